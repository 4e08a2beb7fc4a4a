"""The mrs-etl flow: ingest -> extract -> validate -> review overrides -> checks -> publish.

Orchestration only: every step is a call into mrs_etl. Extraction is one isolated task per document
whose outcome is cached by content (processed/.cache, keyed on sha256 and EXTRACTOR_VERSION) rather
than by Prefect's task cache: that works the same with any task runner and with or without an API
server, and costs one file read per document. A run whose inputs (documents, overrides, checks, code
version) equal those of the published version stops right after ingest.
"""
from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from mrs_etl.pipeline.assemble import assemble, inputs_fingerprint, with_overrides
from mrs_etl.pipeline.checks import configured_checks, run_checks
from mrs_etl.pipeline.extract import ExtractionCache, ExtractionCrashed, extract_document, rejected_record
from mrs_etl.pipeline.ingest import ingest
from mrs_etl.pipeline.isolation import Limits
from mrs_etl.pipeline.lock import processed_lock
from mrs_etl.pipeline.publish import Published, current_version, publish, read_manifest
from mrs_etl.prefect_api import prefect_api
from mrs_etl.review.overrides import check_overrides_store
from mrs_etl.tables import frame

CACHE_DIR = ".cache"

# Called in the flow's process after each document (record with "relpath"); set by the CLI's progress bar.
_on_document: Callable[[dict, int], None] | None = None


@contextlib.contextmanager
def reporting(callback: Callable[[dict, int], None]) -> Iterator[None]:
    """Call `callback(record, total)` as each document finishes, while the block runs."""
    global _on_document
    previous, _on_document = _on_document, callback
    try:
        yield
    finally:
        _on_document = previous


@dataclass
class RunSummary:
    documents: int
    ok: int
    quarantined: list[dict]  # path, stage, reason, detail
    extracted: int  # documents extracted in this run (cache misses)
    cached: int
    rows: dict[str, int]
    version: str
    published: bool  # False when the tables were unchanged
    seconds: float
    peak_rss_mb: float  # largest child peak resident memory in this run (0 when all cached)
    extractions: list[dict] = field(default_factory=list)  # path, pages, seconds, peak_rss_mb of each extraction run
    checks: dict[str, str] = field(default_factory=dict)
    override_conflicts: list[dict] = field(default_factory=list)  # stewards' overrides that did not apply
    refused: str | None = None  # why nothing was published (no PDF found, none readable) unless allow_empty


def _retry_transient(task, task_run, state) -> bool:
    error = state.data if isinstance(state.data, BaseException) else None
    return isinstance(error, (ExtractionCrashed, OSError)) or "ExtractionCrashed" in (state.message or "")


@task(name="ingest", cache_policy=NO_CACHE, persist_result=False)
def ingest_task(raw_dir: str):
    return ingest(raw_dir)


@task(name="extract", cache_policy=NO_CACHE, persist_result=False, retries=2, retry_delay_seconds=1,
      retry_condition_fn=_retry_transient, task_run_name="extract {relpath}")
def extract_task(path: str, relpath: str, sha256: str, cache_dir: str, limits: Limits) -> dict:
    return extract_document(path, sha256, cache_dir, limits)


@task(name="validate", cache_policy=NO_CACHE, persist_result=False)
def validate_task(documents, records, problems, processed_dir: str):
    previous = current_version(processed_dir)
    rejections = previous / "parquet" / "rejections.parquet" if previous else None
    return assemble(documents, records, problems,
                    pd.read_parquet(rejections) if rejections and rejections.is_file() else None)


@task(name="review overrides", cache_policy=NO_CACHE, persist_result=False)
def overrides_task(tables, processed_dir: str):
    return with_overrides(tables, processed_dir)


@task(name="checks", cache_policy=NO_CACHE, persist_result=False)
def checks_task(names: list[str], tables):
    return run_checks(names, tables)


@task(name="publish", cache_policy=NO_CACHE, persist_result=False)
def publish_task(tables, processed_dir: str, keep: int, inputs: str):
    return publish(tables, processed_dir, keep=keep, inputs=inputs)


def _markdown(summary: RunSummary) -> str:
    lines = ["# mrs-etl run", "",
             f"- documents: {summary.documents} ({summary.ok} ok, {len(summary.quarantined)} quarantined)",
             f"- extracted this run: {summary.extracted}, from cache: {summary.cached}",
             f"- published: {summary.version} ({'new version' if summary.published else 'unchanged'})",
             f"- time: {summary.seconds:.1f} s, largest extraction peak memory: {summary.peak_rss_mb:.0f} MB", "",
             "| table | rows |", "|---|---:|"]
    lines += [f"| {name} | {n} |" for name, n in summary.rows.items()]
    lines += [f"\n## Check: {name}\n\n{text}" for name, text in summary.checks.items()]
    if summary.override_conflicts:
        lines += ["", f"## {len(summary.override_conflicts)} steward override(s) did not apply", ""]
        lines += [f"- {c['table']} {c['row_key']}: {c['kind']}: {c['detail']}" for c in summary.override_conflicts]
    return "\n".join(lines)


# one extraction child per core: more would only compete for the same CPUs and memory
@flow(name="mrs-etl", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=os.cpu_count() or 2))
def mrs_etl_pipeline(raw_dir: str = "raw", processed_dir: str = "processed", timeout_s: float = 600.0,
                     memory_mb: int = 1536, keep_versions: int = 3, checks: list[str] | None = None,
                     allow_empty: bool = False) -> RunSummary:
    """Everything below raw_dir into validated tables published in processed_dir.

    A run that finds no PDF, or whose every document is quarantined, publishes nothing (the current
    version stays) unless `allow_empty`: an emptied or unmounted raw/ must not empty what readers get.
    """
    started = time.monotonic()
    logger = get_run_logger()
    limits = Limits(timeout_s=timeout_s, memory_mb=memory_mb)
    cache_dir = str(Path(processed_dir) / CACHE_DIR)
    cache = ExtractionCache(cache_dir)
    names = configured_checks(checks)
    check_results: dict[str, str] = {}
    conflicts: list[dict] = []
    refused = None
    with processed_lock(processed_dir):
        documents, problems = ingest_task(raw_dir)
        logger.info("%d documents in %s (%d not taken in)", len(documents), raw_dir, len(problems))
        if not documents and not problems and not allow_empty:
            refused = f"no PDF found below {raw_dir}"
        inputs = inputs_fingerprint(documents, problems, processed_dir, names)
        misses = [d for d in documents if not cache.path(d.sha256).is_file()]
        manifest = read_manifest(processed_dir)
        if refused:
            tables, rows, records = {name: frame(name, []) for name in ("documents", "rejections")}, {}, {}
            published = Published(current_version(processed_dir) or Path(processed_dir), False, rows)
        elif not misses and manifest is not None and manifest.get("inputs") == inputs:
            # nothing that the tables depend on changed: what is published is what this run would publish
            logger.info("raw/ unchanged since %s: nothing to extract or publish", manifest["published_at"])
            version = current_version(processed_dir)
            tables = {name: pd.read_parquet(version / "parquet" / f"{name}.parquet") for name in ("documents", "rejections")}
            rows, records = manifest["rows"], {d.sha256: {"cached": True} for d in documents}
            published = Published(version, False, rows)
            for doc, status in zip(tables["documents"].path, tables["documents"].status):
                _report({"relpath": doc, "status": status, "cached": True}, len(documents))
        else:
            records = _extract_all(documents, misses, cache_dir, limits, logger)
            tables = validate_task(documents, quote(records), problems, processed_dir)
            tables, conflicts = overrides_task(quote(tables), processed_dir)
            if names:
                added, check_results = checks_task(names, quote(tables))
                tables = {**tables, **added}
            rows = {name: len(df) for name, df in tables.items()}
            if not (tables["documents"]["status"] == "ok").any() and not allow_empty:
                refused = f"none of the {len(documents) + len(problems)} file(s) below {raw_dir} could be read"
                published = Published(current_version(processed_dir) or Path(processed_dir), False, rows)
            else:
                published = publish_task(quote(tables), processed_dir, keep_versions, inputs)
    if refused:
        logger.error("published nothing: %s (the current version stays; allow_empty=True publishes it anyway)",
                     refused)
    rejections = tables["rejections"]
    summary = RunSummary(
        documents=len(documents) + len(problems),
        ok=int((tables["documents"]["status"] == "ok").sum()),
        quarantined=[{k: (None if v != v else v) for k, v in r.items()}
                     for r in rejections[["path", "stage", "reason", "detail"]].astype(object).to_dict("records")],
        extracted=sum(not r.get("cached") for r in records.values()),
        cached=sum(bool(r.get("cached")) for r in records.values()),
        rows=rows, version=published.path.name, published=published.changed,
        seconds=round(time.monotonic() - started, 2),
        peak_rss_mb=max((r.get("peak_rss_mb", 0.0) for r in records.values()), default=0.0),
        extractions=[{"path": d.relpath, "pages": records[d.sha256].get("pages"),
                      "seconds": records[d.sha256]["seconds"], "peak_rss_mb": records[d.sha256]["peak_rss_mb"]}
                     for d in documents if "seconds" in records[d.sha256]],
        checks=check_results, override_conflicts=conflicts, refused=refused)
    create_markdown_artifact(key="mrs-etl-run-summary", markdown=_markdown(summary),
                             description="Documents, rows per table and time of this run")
    create_table_artifact(key="mrs-etl-quarantine", table=summary.quarantined or [{"path": "", "stage": "",
                          "reason": "none quarantined", "detail": ""}],
                          description="Documents quarantined in this run, with the reason")
    return summary


def _report(record: dict, total: int) -> None:
    if _on_document is not None:
        _on_document(record, total)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _extract_all(documents, misses, cache_dir: str, limits: Limits, logger) -> dict[str, dict]:
    """Records of every document: cached ones read here, one isolated extract task per cache miss."""
    cache = ExtractionCache(cache_dir)
    records: dict[str, dict] = {}
    misses = list(misses)
    missing = {d.sha256 for d in misses}
    for doc in documents:
        if doc.sha256 not in missing:
            cached = cache.get(doc.sha256)
            if cached is None:  # unreadable record: extract again
                misses.append(doc)
                continue
            records[doc.sha256] = {**cached, "cached": True}
            _report({**cached, "cached": True, "relpath": doc.relpath}, len(documents))
    # largest first: the children run on all cores, and a long document started last would leave
    # the other cores idle while it finishes alone
    misses.sort(key=lambda d: -_size(d.path))
    by_future = {extract_task.submit(d.path, d.relpath, d.sha256, cache_dir, limits): d for d in misses}
    for future in as_completed(list(by_future)):
        doc = by_future[future]
        try:
            record = future.result()
        except Exception as exc:  # crashed after its retries: quarantine, not cached, retried next run
            record = rejected_record(doc.sha256, "crashed", f"{type(exc).__name__}: {exc}")
        records[doc.sha256] = record
        if record["status"] != "ok":
            logger.info("quarantined %s: %s: %s", doc.relpath, record["reason"], record.get("detail", ""))
        _report({**record, "relpath": doc.relpath}, len(documents))
    return records


def run_pipeline(raw_dir: str | Path = "raw", processed_dir: str | Path = "processed", *, task_runner: str = "thread",
                 dask_address: str | None = None, workers: int | None = None, **options) -> RunSummary:
    """Run the flow with the chosen task runner: "thread" (`workers` extractions at once, default one per
    core) or "dask" (a new local cluster, or the existing one at `dask_address`)."""
    flow_ = mrs_etl_pipeline
    if task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        flow_ = flow_.with_options(task_runner=DaskTaskRunner(address=dask_address) if dask_address
                                   else DaskTaskRunner())
    elif workers:
        flow_ = flow_.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    elif task_runner != "thread":
        raise ValueError(f"unknown task runner {task_runner!r} (thread | dask)")
    # what would only fail inside the flow run (with Prefect's traceback) is refused here, before a server starts
    with processed_lock(processed_dir, grant=True):
        check_overrides_store(processed_dir)
        with prefect_api():
            return flow_(raw_dir=str(raw_dir), processed_dir=str(processed_dir), **options)




# --- portfolios (Roadmap step 7a) ------------------------------------------------------------------------

@task(name="portfolio", cache_policy=NO_CACHE, persist_result=False, task_run_name="portfolio {corridor}")
def portfolio_task(corridor: str, processed_dir: str, out_dir: str, raw_dir: str) -> dict:
    from mrs_etl.portfolio import make_portfolio
    from mrs_etl.portfolio.corridor import load_corridor

    folder, pf = make_portfolio(load_corridor(corridor), processed_dir, out_dir, raw_dir)
    return {"corridor": pf.corridor.name, "folder": str(folder),
            **{k: sum(r["status"] == k for r in pf.completeness) for k in ("answered", "partly", "missing")},
            "sections_missing": ", ".join(s.key for s in pf.sections.values() if s.status == "missing") or "none"}


@flow(name="mrs-etl-portfolios", log_prints=False)
def portfolio_flow(corridors: list[str] | None = None, raw_dir: str = "raw", processed_dir: str = "processed",
                   out_dir: str = "portfolios", ingest_first: bool = True) -> list[dict]:
    """Ingestion (unless ingest_first is False), then one portfolio per corridor (default: every corridors/*.toml).
    A corridor that fails is reported in the artifact; the others are still built."""
    from mrs_etl.portfolio.corridor import REPO_CORRIDORS

    logger = get_run_logger()
    if ingest_first:
        mrs_etl_pipeline(raw_dir=raw_dir, processed_dir=processed_dir)
    names = corridors or sorted(p.stem for p in REPO_CORRIDORS.glob("*.toml"))
    outcomes = []
    for name in names:
        try:
            outcomes.append(portfolio_task(name, processed_dir, out_dir, raw_dir))
        except Exception as exc:  # one bad corridor file must not cost the others their portfolio
            logger.warning("portfolio %s failed: %s", name, exc)
            outcomes.append({"corridor": name, "folder": "", "answered": 0, "partly": 0, "missing": 0,
                             "sections_missing": f"failed: {type(exc).__name__}: {exc}"})
    create_table_artifact(key="mrs-etl-portfolios", table=outcomes or [{"corridor": "none"}],
                          description="Portfolios built in this run: completeness per corridor")
    return outcomes
