"""`mrs-etl comply`: QA PDFs in, a compliance workbook, report and tables out."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mrs_etl.errors import DocumentRejected


@dataclass
class ComplyResult:
    tables: dict
    written: list[Path]
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # (file, reason, detail)


def comply(pdfs: list[Path], system: str, out: Path, rulebook_path: Path | None = None) -> ComplyResult:
    """Extract every PDF with the qa-policy profile, check the clauses, write the outputs to `out`.
    A PDF that cannot be read is reported and left out; the others are still checked."""
    from datetime import datetime, timezone

    from mrs_etl.extract import extract_pdf
    from mrs_etl.qa import check_compliance, policies_frames
    from mrs_etl.qa.report import write_report
    from mrs_etl.qa.rulebook import load_rulebook

    rulebook = load_rulebook(rulebook_path)  # a bad rulebook stops before any work
    extractions, rejected = [], []
    for pdf in pdfs:
        try:
            extractions.append(extract_pdf(pdf, family="qa-policy"))
        except DocumentRejected as exc:
            rejected.append((str(pdf), exc.reason, exc.detail))
        except FileNotFoundError:
            rejected.append((str(pdf), "not_found", "no such file"))
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
    return ComplyResult(tables, written, rejected)
