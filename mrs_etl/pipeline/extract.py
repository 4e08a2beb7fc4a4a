"""Extract one document in an isolated child and keep the outcome in a content-addressed cache.

The cache holds one JSON record per (extractor version, sha256): the document's triage facts
(family, country, language, pages), its status and, when ok, the rows of every content table.
A record is written atomically by whoever produced it, so a run killed at any moment leaves either
a complete record or none, and a re-run over unchanged raw/ reads records instead of extracting.
Rejections are cached too (the same bytes fail the same way); a crash is not, so it is retried.

The child extracts a private copy of the file whose hash it takes while copying, so a record always
describes the bytes its key names. A file that changed or vanished since ingest is quarantined for
this run only (`changed_during_run`, never cached): the next run hashes it again.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import time
import traceback
from pathlib import Path

from mrs_etl import EXTRACTOR_VERSION
from mrs_etl.extraction_key import extraction_key
from mrs_etl.errors import DocumentRejected
from mrs_etl.files import sha256_file
from mrs_etl.pipeline.isolation import MB, Limits, run_isolated
from mrs_etl.storage import write_json_atomic

CHILD_TARGET = "mrs_etl.pipeline.extract:extract_to_file"
TRANSIENT_SUFFIX = ".transient.json"  # beside the cache record: an outcome for this run only


class ExtractionCrashed(RuntimeError):
    """The child died without a verdict (signal, interpreter failure): worth retrying."""


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def rejected_record(sha256: str, reason: str, detail: str, **facts) -> dict:
    return {"document_id": sha256, "extractor_version": EXTRACTOR_VERSION, "status": "quarantined",
            "stage": "extract", "reason": reason, "detail": detail, "rejected_at": utc_now(), "rows": {},
            **facts}


class ExtractionCache:
    """processed/.cache/extract/<extractor version>-<extraction code digest>/<sha256[:2]>/<sha256>.json"""

    def __init__(self, root: str | Path):
        self.root = Path(root) / "extract" / extraction_key()

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str) -> dict | None:
        try:
            return json.loads(self.path(sha256).read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return None

    def put(self, sha256: str, record: dict) -> None:
        write_json_atomic(self.path(sha256), record)


def _triage(path: Path) -> dict:
    """Family, country, language and page count from the fast text layer (first pages only)."""
    import pypdfium2 as pdfium

    from mrs_etl.registry import detect_family
    from mrs_etl.pdf.triage import quick_text

    facts: dict = {}
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise DocumentRejected("encrypted" if "password" in str(exc).lower() else "unreadable_pdf",
                               f"pdfium: {exc}") from exc
    try:
        facts["pages"] = len(doc)
    finally:
        doc.close()
    profile = detect_family(quick_text(path))
    facts.update(family=profile.name if profile else "unknown", country=profile.country if profile else None,
                 language=profile.language if profile else None)
    return facts


def changed_record(sha256: str, detail: str) -> dict:
    """A document whose file changed or vanished while the run went on: quarantined now, read again next run."""
    return {**rejected_record(sha256, "changed_during_run", f"{detail}; it is read again on the next run"),
            "transient": True}


def _snapshot(path: str, folder: Path) -> tuple[Path, str]:
    """A private copy of `path` and the sha256 of exactly the bytes copied."""
    copy = folder / Path(path).name
    digest = hashlib.sha256()
    with open(path, "rb") as src, open(copy, "wb") as dst:
        while block := src.read(1 << 20):
            digest.update(block)
            dst.write(block)
    return copy, digest.hexdigest()


def source_unchanged(path: str, sha256: str) -> bool:
    try:
        return sha256_file(path) == sha256
    except OSError:
        return False


def extract_to_file(path: str, sha256: str, out: str) -> None:
    """Child side: triage and extract `path`, write its record to `out`. Every failure becomes a record.

    An outcome that does not belong to the bytes named by `sha256` (the file changed or vanished since
    ingest) goes to `out` + TRANSIENT_SUFFIX instead, so that it is never cached.
    """
    with tempfile.TemporaryDirectory(prefix="mrs-etl-extract-") as folder:
        try:
            copy, digest = _snapshot(path, Path(folder))
        except OSError as exc:
            write_json_atomic(out + TRANSIENT_SUFFIX, changed_record(
                sha256, f"the file could not be read again ({type(exc).__name__}: {exc.strerror or exc})"))
            return
        if digest != sha256:
            write_json_atomic(out + TRANSIENT_SUFFIX, changed_record(sha256, "the file changed after it was hashed"))
            return
        write_json_atomic(out, _extract(str(copy), sha256))


def _extract(path: str, sha256: str) -> dict:
    from mrs_etl.extract import extract_pdf
    from mrs_etl.pdf.document import sniff
    from mrs_etl.tables import extraction_rows

    facts: dict = {"family": "unknown"}
    try:
        sniff(path)
        facts.update(_triage(Path(path)))
        extraction = extract_pdf(path, family=None if facts["family"] == "unknown" else facts["family"],
                                 sha256=sha256)
        info = extraction.document
        record = {"document_id": sha256, "extractor_version": EXTRACTOR_VERSION, "status": "ok",
                  "family": info.family, "country": info.country, "language": info.language,
                  "pages": info.pages, "warnings": extraction.warnings, "extracted_at": utc_now(),
                  "rows": dict(extraction_rows(extraction))}
    except DocumentRejected as exc:
        record = rejected_record(sha256, exc.reason, exc.detail, **facts)
    except MemoryError:
        raise  # the isolation wrapper reports it as memory_limit
    except Exception as exc:  # an extractor bug on this document: quarantine it, keep the trace for a person
        where = traceback.extract_tb(exc.__traceback__)[-1]
        record = rejected_record(sha256, "extraction_failed", f"{type(exc).__name__}: {exc} "
                                 f"(at {Path(where.filename).name}:{where.lineno})", **facts)
    return record


def extract_document(path: str, sha256: str, cache_dir: str | Path, limits: Limits = Limits()) -> dict:
    """The cached record of one document, extracting it in an isolated child on a cache miss.

    The returned record carries `cached` and, after a real extraction, `seconds` and `peak_rss_mb`
    (run facts, not stored in the cache).
    """
    cache = ExtractionCache(cache_dir)
    record = cache.get(sha256)
    if record is not None:
        return {**record, "cached": True}
    target = cache.path(sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    outcome = run_isolated(CHILD_TARGET, [str(path), sha256, str(target)], limits)
    run_facts = {"cached": False, "seconds": round(outcome.elapsed_s, 3),
                 "peak_rss_mb": round(outcome.peak_rss_bytes / MB, 1)}
    transient = Path(str(target) + TRANSIENT_SUFFIX)
    if transient.is_file():
        record = json.loads(transient.read_text(encoding="utf-8"))
        transient.unlink(missing_ok=True)
        return {**record, **run_facts}
    if outcome.ok:
        record = cache.get(sha256)
        if record is not None:
            return {**record, **run_facts}
        raise ExtractionCrashed(f"the extraction process ended without a result: {outcome.stderr_tail[-300:]}")
    if not source_unchanged(path, sha256):  # the failure may be the change's doing: not this content's verdict
        return {**changed_record(sha256, "the file changed or vanished while it was extracted"), **run_facts}
    reason, detail = outcome.failure()
    if reason == "crashed":
        raise ExtractionCrashed(detail)
    record = rejected_record(sha256, reason, detail)
    cache.put(sha256, record)
    return {**record, **run_facts}
