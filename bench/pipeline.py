"""Pipeline benchmark: the whole flow over ../shared/corpus/pdf cold, then again unchanged.

Prints the warm/cold wall-time ratio (target <= 0.03) and the peak resident memory of each
document's isolated extraction, the largest document's in particular (target <= 300 MB); the peak is
the kernel's rusage of that child process. Prefect's temporary API server is started before the
clock runs (by a flow run over an empty directory), so both timings measure the pipeline itself.

    .venv/bin/python bench/pipeline.py [--corpus DIR] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--keep", type=Path, help="use this processed directory (default: a temporary one)")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    from pipelines.flows import run_pipeline

    work = Path(tempfile.mkdtemp(prefix="mrs-etl-bench-"))
    processed = args.keep or work / "processed"
    (work / "empty").mkdir()
    run_pipeline(work / "empty", work / "warmup")  # starts Prefect's temporary server outside the timings

    t0 = time.perf_counter()
    cold = run_pipeline(args.corpus, processed)
    cold_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    warm = run_pipeline(args.corpus, processed)
    warm_s = time.perf_counter() - t0

    print(f"documents: {cold.documents} ({cold.ok} ok, {len(cold.quarantined)} quarantined)")
    for q in cold.quarantined:
        print(f"  quarantined {q['path']}: {q['reason']}: {(q['detail'] or '')[:100]}")
    print(f"rows: {', '.join(f'{k} {v}' for k, v in cold.rows.items())}")
    print(f"cold: {cold_s:.2f} s ({cold.extracted} extracted)")
    print(f"warm: {warm_s:.2f} s ({warm.extracted} extracted, {warm.cached} from cache, "
          f"{'republished' if warm.published else 'nothing to republish'})")
    print(f"warm/cold: {warm_s / cold_s:.4f}  (target <= 0.03)")
    by_memory = sorted(cold.extractions, key=lambda e: -e["peak_rss_mb"])
    largest = max(cold.extractions, key=lambda e: (e["pages"] or 0, (args.corpus / e["path"]).stat().st_size))
    print(f"largest document: {largest['path']} ({largest['pages']} pages): peak RSS {largest['peak_rss_mb']:.0f} MB, "
          f"{largest['seconds']:.1f} s  (target <= 300 MB)")
    print("highest peak RSS: " + ", ".join(f"{e['path']} {e['peak_rss_mb']:.0f} MB" for e in by_memory[:3]))
    print("slowest: " + ", ".join(f"{e['path']} {e['seconds']:.1f} s"
                                  for e in sorted(cold.extractions, key=lambda e: -e["seconds"])[:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
