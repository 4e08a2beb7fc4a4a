"""Hostile-input benchmark: the generated suite mixed with good documents, through the whole flow.

Prints documents tried, processed, quarantined (with reason), crashed, hung (stopped by the time
limit), good rows lost (criteria of readable documents missing against their clean originals) and
outcomes that differ from what the suite expects.

    .venv/bin/python bench/hostile.py [--timeout S] [--memory-mb MB] [--bomb-mb MB] [--pages N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--bomb-mb", type=int, default=2048)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    from mrs_etl.generated_documents.hostile import build_suite, outcome
    from mrs_etl.pipeline.publish import read_published
    from pipelines.flows import run_pipeline

    work = Path(tempfile.mkdtemp(prefix="mrs-etl-hostile-"))
    cases = build_suite(work / "raw", bomb_mb=args.bomb_mb, pages=args.pages)
    t0 = time.perf_counter()
    try:
        summary = run_pipeline(work / "raw", work / "processed", timeout_s=args.timeout, memory_mb=args.memory_mb)
    except Exception as exc:  # the run itself must never fail on bad input
        print(f"RUN CRASHED: {type(exc).__name__}: {exc}")
        return 1
    seconds = time.perf_counter() - t0
    tables = read_published(work / "processed")
    docs = tables["documents"].set_index("path")
    rejections = tables["rejections"].set_index("path")
    criteria = tables["performance_criteria"].groupby("document_id").size()

    def criteria_of(name: str) -> int:
        return int(criteria.get(docs.loc[name, "document_id"], 0)) if name in docs.index else 0

    results = {c.name: outcome(docs.loc[c.name, "status"] if c.name in docs.index else "quarantined",
                               rejections.loc[c.name, "reason"] if c.name in rejections.index else None)
               for c in cases}
    reasons = Counter(r.split(":", 1)[1] for r in results.values() if r != "ok")
    lost = sum(max(0, criteria_of(c.rows_like) - criteria_of(c.name)) for c in cases if c.rows_like)
    unexpected = [(c.name, results[c.name], sorted(c.expect)) for c in cases if results[c.name] not in c.expect]
    print(f"documents tried: {len(cases)}")
    print(f"processed: {sum(r == 'ok' for r in results.values())}")
    print(f"quarantined: {sum(reasons.values())} ({', '.join(f'{k} {v}' for k, v in sorted(reasons.items()))})")
    print(f"crashed: {reasons.get('crashed', 0)}")
    print(f"hung (stopped by the {args.timeout:.0f} s limit): {reasons.get('timeout', 0)}")
    print(f"good rows lost: {lost}")
    print(f"unexpected outcomes: {len(unexpected)}")
    for name, got, want in unexpected:
        print(f"  {name!r}: {got}, expected one of {want}")
    for c in cases:
        extraction = next((e for e in summary.extractions if e["path"] == c.name), {})
        print(f"  {c.what:45.45} {results[c.name]:32} {extraction.get('seconds', 0):6.1f} s "
              f"{extraction.get('peak_rss_mb', 0):6.0f} MB  {c.name!r}")
    print(f"run time: {seconds:.1f} s")
    return 0 if not unexpected and lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
