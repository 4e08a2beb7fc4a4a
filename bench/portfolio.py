"""Portfolio speed: a corridor's whole portfolio (HTML, PDF, workbooks, manifest) from already-processed tables.

"cold" is the first portfolio in a fresh process (the comparison and compliance libraries, spaCy
tokenizers, lemma tables and rulebook load then); "warm" the median of the next runs. Without
--processed, the corridor's PDFs from ../shared/corpus are ingested once into bench/out/portfolio
(not timed; reused by later runs).

    .venv/bin/python bench/portfolio.py [--corridor ph-id-computer-systems-servicing] [--processed DIR --raw DIR] [--runs 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _prepare(corridor_name: str, corpus: Path) -> tuple[Path, Path]:
    from mrs_etl.portfolio.corridor import load_corridor
    from pipelines.flows import run_pipeline

    base = ROOT / "bench" / "out" / "portfolio"
    raw, processed = base / "raw", base / "processed"
    raw.mkdir(parents=True, exist_ok=True)
    corridor = load_corridor(corridor_name)
    for side in corridor.sides:
        for name in (*side.qualification, *side.supporting, *side.qa_documents):
            if not (raw / name).exists():
                (raw / name).symlink_to((corpus / "pdf" / name).resolve())
    run_pipeline(raw, processed)  # an unchanged raw/ stops after ingest
    return processed, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corridor", default="ph-id-computer-systems-servicing")
    parser.add_argument("--processed", type=Path)
    parser.add_argument("--raw", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.processed is None:
        args.processed, args.raw = _prepare(args.corridor, args.corpus)
    started = time.perf_counter()
    from mrs_etl.portfolio import make_portfolio
    from mrs_etl.portfolio.corridor import load_corridor

    corridor = load_corridor(args.corridor)
    with tempfile.TemporaryDirectory(prefix="mrs-portfolio-bench-") as out:
        folder, pf = make_portfolio(corridor, args.processed, out, args.raw)
        cold = time.perf_counter() - started
        warm, pf_warm = [], pf
        for _ in range(args.runs):
            t = time.perf_counter()
            _, pf_warm = make_portfolio(corridor, args.processed, out, args.raw)
            warm.append(time.perf_counter() - t)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    median = statistics.median(warm) if warm else float("nan")
    counts = {k: sum(r["status"] == k for r in pf.completeness) for k in ("answered", "partly", "missing")}
    print(f"corridor {corridor.name}: {len(pf.claims)} claims, {len(pf.sources)} sources, folder {size / 1e6:.1f} MB; "
          f"completeness {counts}")
    print("last warm run per step (s):", ", ".join(f"{k} {v:.1f}" for k, v in pf_warm.seconds.items()))
    print(f"cold (fresh process, imports included): {cold:.2f} s")
    print(f"warm (median of {len(warm)}): {median:.2f} s   warm/cold {median / cold:.2f}")


if __name__ == "__main__":
    main()
