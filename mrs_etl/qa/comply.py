"""`mrs-etl comply`: QA PDFs in, a compliance workbook, report and tables out."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mrs_etl.errors import DocumentRejected


class NothingToCheck(ValueError):
    """No input could be read as a QA document: no report is written (one of "no evidence found" would mislead)."""


@dataclass
class ComplyResult:
    tables: dict
    written: list[Path]
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (file, reason, detail)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what is doubtful about it)


def _not_qa_warning(pdf: Path) -> str | None:
    """Why `pdf` does not look like a QA document (its detected family), or None when it does."""
    from mrs_etl.registry import detect_family
    from mrs_etl.pdf.triage import quick_text

    try:
        profile = detect_family(quick_text(pdf))
    except Exception:  # unreadable: extraction reports it
        return None
    if profile is None:
        return "matches no known document family: its verdicts may not describe a QA system"
    if profile.kind != "qa-policy":
        return (f"reads as a {profile.kind} ({profile.name}), not a QA document: its verdicts may not describe "
                "a QA system")
    return None


def comply(pdfs: list[Path], system: str, out: Path, rulebook_path: Path | None = None) -> ComplyResult:
    """Extract every PDF with the qa-policy profile, check the clauses, write the outputs to `out`.
    A PDF that cannot be read is reported and left out; the others are still checked."""
    from datetime import datetime, timezone

    from mrs_etl.extract import extract_pdf
    from mrs_etl.qa import check_compliance, policies_frames
    from mrs_etl.qa.report import write_report
    from mrs_etl.qa.rulebook import load_rulebook

    rulebook = load_rulebook(rulebook_path)  # a bad rulebook stops before any work
    extractions, rejected, warnings = [], [], []
    for pdf in pdfs:
        try:
            extraction = extract_pdf(pdf, family="qa-policy")
        except DocumentRejected as exc:
            rejected.append((str(pdf), exc.reason, exc.detail))
            continue
        except FileNotFoundError:
            rejected.append((str(pdf), "not_found", "no such file"))
            continue
        except IsADirectoryError:
            rejected.append((str(pdf), "is_a_directory", "give the PDF files themselves"))
            continue
        except OSError as exc:
            rejected.append((str(pdf), "unreadable_file", f"{type(exc).__name__}: {exc.strerror or exc}"))
            continue
        except Exception as exc:  # an extractor bug on this document: the others are still checked
            rejected.append((str(pdf), "extraction_failed", f"{type(exc).__name__}: {exc}"))
            continue
        if not extraction.qa_policies:
            rejected.append((str(pdf), "no_qa_clauses", "no clause could be read from it"))
            continue
        extractions.append(extraction)
        doubt = _not_qa_warning(pdf)
        if doubt:
            warnings.append((str(pdf), doubt))
    if not extractions:
        raise NothingToCheck(f"none of the {len(pdfs)} file(s) could be read as a QA document: no report written")
    qa_policies, documents = policies_frames(extractions)
    checked_at = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    tables = check_compliance(qa_policies, system, documents, rulebook, checked_at)
    about = {"system": system, "rulebook_version": rulebook.version, "rulebook_title": rulebook.title,
             "rulebook_path": rulebook.path, "checked_at": checked_at,
             "documents": "; ".join(documents["file_name"]),
             "not_read": "; ".join(f"{f} ({r}: {d})" for f, r, d in rejected) or "-",
             "note": "The official Guiding Principles text is not available: GP theme rules use unofficial "
                     "wording. 'evidenced' is never given without a cited sentence."}
    pdfs = dict(zip(documents["document_id"], documents["path"]))
    written = write_report({**tables, "qa_policies": qa_policies}, out, about, list(documents["file_name"]), pdfs)
    return ComplyResult(tables, written, rejected, warnings)
