"""From per-document records to the published tables, quarantining documents whose rows break the schema."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from mrs_etl import EXTRACTOR_VERSION, __version__
from mrs_etl.control_characters import escape
from mrs_etl.pipeline.extract import utc_now
from mrs_etl.pipeline.ingest import IngestProblem, RawDocument
from mrs_etl.schema import TABLES
from mrs_etl.tables import CONTENT_TABLES, frame
from mrs_etl.pipeline.validate import table_problems, validate_tables


PIPELINE_TABLES = ("documents", *CONTENT_TABLES, "qualification_catalogue", "rejections")  # what every run publishes; checks may add more


def inputs_fingerprint(documents: list[RawDocument], problems: list[IngestProblem], processed: str | Path,
                       checks: list[str]) -> str:
    """Everything the published tables depend on besides the cached extractions themselves.

    Equal to the current version's recorded inputs (and every extraction cached) means a run would
    publish exactly what is already there, so it can stop after ingest.
    """
    from mrs_etl.review.overrides import default_store_path

    store = default_store_path(processed)
    overrides = [(p.name, p.stat().st_size, p.stat().st_mtime_ns)
                 for p in (store, store.with_name(store.name + "-wal")) if p.is_file()]
    payload = {"extractor": EXTRACTOR_VERSION, "package": __version__, "schema": repr(TABLES),
               "documents": sorted((d.relpath, d.sha256) for d in documents),
               "problems": sorted((p.relpath, p.reason, p.detail) for p in problems),
               "overrides": overrides, "checks": sorted(checks)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def with_overrides(tables: dict[str, pd.DataFrame], processed: str | Path) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """The stewards' overrides replayed on freshly extracted tables (validated again), and those that did not apply.

    The store lives beside processed/ (never inside a published version), so overrides survive every
    re-extraction, crash and re-publication; without a store every reviewable row is "unreviewed".
    """
    from mrs_etl.review.overrides import OverrideStore, apply_overrides, default_store_path

    store_path = default_store_path(processed)
    tables, conflicts = apply_overrides(tables, OverrideStore(store_path) if store_path.is_file() else [])
    tables = with_catalogue(tables)
    validate_tables(tables)
    return tables, [c.as_dict() for c in conflicts]


def _document_row(doc: RawDocument, record: dict, status: str) -> dict:
    return {"document_id": doc.sha256, "path": escape(doc.relpath), "file_name": escape(doc.file_name),
            "family": record.get("family") or "unknown", "country": record.get("country"),
            "language": record.get("language"), "pages": record.get("pages"), "status": status,
            "extractor_version": record.get("extractor_version", EXTRACTOR_VERSION)}


def _rejection_row(document_id: str, relpath: str, stage: str, reason: str, detail: str, at: str | None) -> dict:
    return {"document_id": document_id, "path": escape(relpath), "stage": stage, "reason": reason,
            "detail": escape(detail), "rejected_at": at or utc_now()}


def _document_tables(doc: RawDocument, record: dict) -> dict[str, pd.DataFrame]:
    tables = {name: frame(name, record["rows"].get(name, [])) for name in CONTENT_TABLES}
    tables["documents"] = frame("documents", [_document_row(doc, record, "ok")])
    return tables


def _combine(parts: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    combined = {}
    for name in CONTENT_TABLES:
        frames = [p[name] for p in parts if len(p[name])]
        combined[name] = pd.concat(frames, ignore_index=True) if frames else frame(name, [])
    return combined


def assemble(documents: list[RawDocument], records: dict[str, dict], ingest_problems: list[IngestProblem],
             previous_rejections: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every declared table, validated (raises TablesInvalid only for problems no single document explains).

    A document whose own rows break the schema is quarantined at stage validate; the whole set is
    validated once and documents are only checked one by one when it fails. A rejection already
    published keeps its first `rejected_at`, so an unchanged raw/ gives unchanged tables.
    """
    documents = sorted(documents, key=lambda d: d.relpath)
    records = dict(records)
    per_document = {d.sha256: _document_tables(d, records[d.sha256]) for d in documents
                    if records[d.sha256]["status"] == "ok"}
    content = _combine(list(per_document.values()))
    if table_problems({**content, "documents": frame("documents", [
            _document_row(d, records[d.sha256], "ok") for d in documents if d.sha256 in per_document])}):
        for sha, tables in list(per_document.items()):
            problems = table_problems(tables)
            if problems:
                records[sha] = {**records[sha], "status": "quarantined", "stage": "validate",
                                "reason": "schema_violation", "detail": "; ".join(problems[:5]),
                                "rejected_at": records[sha].get("extracted_at")}
                del per_document[sha]
        content = _combine(list(per_document.values()))

    rejections = [_rejection_row(d.sha256, d.relpath, records[d.sha256]["stage"], records[d.sha256]["reason"],
                                 records[d.sha256].get("detail") or "", records[d.sha256].get("rejected_at"))
                  for d in documents if records[d.sha256]["status"] != "ok"]
    rejections += [_rejection_row(p.document_id, p.relpath, "ingest", p.reason, p.detail, None)
                   for p in ingest_problems]
    first_seen = {} if previous_rejections is None else {
        (r.document_id, r.stage, r.reason): r.rejected_at for r in previous_rejections.itertuples()}
    for row in rejections:
        row["rejected_at"] = first_seen.get((row["document_id"], row["stage"], row["reason"]), row["rejected_at"])
    tables = {**content,
              "documents": frame("documents", [_document_row(d, records[d.sha256], records[d.sha256]["status"])
                                               for d in documents]),
              "rejections": frame("rejections", rejections)}
    tables = with_catalogue(tables)
    validate_tables(tables)
    return tables


def with_catalogue(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with the step-1 qualification catalogue derived from them (again after a steward's edits)."""
    from mrs_etl.portfolio.catalogue import catalogue_frame

    tables = {**tables, "qualification_catalogue": catalogue_frame(tables)}
    return {name: tables[name] for name in TABLES if name in tables}
