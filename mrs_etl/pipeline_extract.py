"""Extract one document in an isolated child and keep the outcome in a content-addressed cache.

The cache holds one JSON record per (extractor version, sha256): the document's triage facts
(family, country, language, pages), its status and, when ok, the rows of every content table.
A record is written atomically by whoever produced it, so a run killed at any moment leaves either
a complete record or none, and a re-run over unchanged raw/ reads records instead of extracting.
Rejections are cached too (the same bytes fail the same way); only a crash is not, so it is retried.
"""
from __future__ import annotations

import json
import time
import traceback
from pathlib import Path

from mrs_etl import EXTRACTOR_VERSION
from mrs_etl.errors import DocumentRejected
from mrs_etl.isolation import MB, Limits, run_isolated
from mrs_etl.storage import write_json_atomic

CHILD_TARGET = "mrs_etl.pipeline_extract:extract_to_file"


class ExtractionCrashed(RuntimeError):
    """The child died without a verdict (signal, interpreter failure): worth retrying."""


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def rejected_record(sha256: str, reason: str, detail: str, **facts) -> dict:
    return {"document_id": sha256, "extractor_version": EXTRACTOR_VERSION, "status": "quarantined",
            "stage": "extract", "reason": reason, "detail": detail, "rejected_at": utc_now(), "rows": {},
            **facts}


class ExtractionCache:
    """processed/.cache/extract/<extractor version>/<sha256[:2]>/<sha256>.json"""

    def __init__(self, root: str | Path):
        self.root = Path(root) / "extract" / EXTRACTOR_VERSION

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

    from mrs_etl.extract import detect_family
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


def extract_to_file(path: str, sha256: str, out: str) -> None:
    """Child side: triage and extract `path`, write its record to `out`. Every failure becomes a record."""
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
    write_json_atomic(out, record)


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
    if outcome.ok:
        record = cache.get(sha256)
        if record is not None:
            return {**record, **run_facts}
        raise ExtractionCrashed(f"the extraction process ended without a result: {outcome.stderr_tail[-300:]}")
    reason, detail = outcome.failure()
    if reason == "crashed":
        raise ExtractionCrashed(detail)
    record = rejected_record(sha256, reason, detail)
    cache.put(sha256, record)
    return {**record, **run_facts}
