"""Extraction speed as ratios to pdfplumber, both sides timed in the same run (targets >= 2.0).

1. Single document: pages per second of `mrs_etl.extract.extract_pdf` on one PDF, divided by
   pdfplumber `extract_text` on the same PDF (both with their libraries imported beforehand).
2. Pipeline: cold-run pages per second of the whole flow (per-document children on all cores) over
   the corpus's competency standards (every PDF whose SOURCES.tsv family is a standard; `--set all`
   for every corpus PDF), divided by pages per second of single-process pdfplumber `extract_text`
   over the same pages.

Prints the load average before and after: on a shared machine the ratios, not the seconds, count.
The whole-corpus pipeline run takes about half an hour on a busy 2-core machine; run it in the
background (`nohup ... &`) when the load is low.

    .venv/bin/python bench/speed.py [--corpus ../shared/corpus/pdf] [--set standards|all] [--only GLOB]
                                    [--single STEM] [--skip-pipeline]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from bench.extraction import bare_pdfplumber  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"


STANDARD_FAMILIES = ("tesda-tr", "skkni", "other-nos")  # SOURCES.tsv families that are competency standards


def standards(corpus_pdf: Path) -> set[str]:
    """File names of the corpus's competency standards, by their SOURCES.tsv family."""
    sources = corpus_pdf.parent / "SOURCES.tsv"
    rows = [line.split("\t") for line in sources.read_text().splitlines()[1:] if line.strip()]
    return {r[0] for r in rows if len(r) > 1 and r[1] in STANDARD_FAMILIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "pdf")
    parser.add_argument("--set", choices=("standards", "all"), default="standards",
                        help="the corpus's competency standards (default) or every corpus PDF")
    parser.add_argument("--only", default="*.pdf", help="glob narrowing the set (default: the whole set)")
    parser.add_argument("--single", default="tesda-tr-masonry-nc-ii")
    parser.add_argument("--skip-pipeline", action="store_true")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"SKIP: corpus not found at {args.corpus}")
        return 0
    print(f"load average before: {load()}")
    from mrs_etl.extract import extract_pdf
    from mrs_etl.registry import profiles

    profiles()  # the profiles (and what they import) load once per process, not per document

    single = args.corpus / f"{args.single}.pdf"
    t0 = time.perf_counter()
    extract_pdf(single)
    t1 = time.perf_counter()
    n = bare_pdfplumber(single)
    t2 = time.perf_counter()
    print(f"single document {single.name}: {n} pages, extract_pdf {t1 - t0:.1f} s, "
          f"pdfplumber extract_text {t2 - t1:.1f} s, ratio {(t2 - t1) / (t1 - t0):.2f} (target >= 2.0)")
    if args.skip_pipeline:
        return 0
    from pipelines.flows import run_pipeline

    pdfs = sorted(p for p in args.corpus.glob(args.only) if args.set == "all" or p.name in standards(args.corpus))
    work = Path(tempfile.mkdtemp(prefix="mrs-etl-speed-"))
    raw = work / "raw"
    raw.mkdir()
    for pdf in pdfs:
        (raw / pdf.name).symlink_to(pdf)
    (work / "empty").mkdir()
    run_pipeline(work / "empty", work / "warmup")  # Prefect's temporary server starts outside the timing
    t0 = time.perf_counter()
    summary = run_pipeline(raw, work / "processed")
    pipeline_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = sum(bare_pdfplumber(pdf) for pdf in pdfs)
    plumber_s = time.perf_counter() - t0
    print(f"pipeline cold over {len(pdfs)} PDFs ({args.set}) ({summary.ok} ok, {len(summary.quarantined)} quarantined), "
          f"{pages} pages: {pipeline_s:.1f} s = {pages / pipeline_s:.2f} pages/s; single-process pdfplumber "
          f"extract_text {plumber_s:.1f} s = {pages / plumber_s:.2f} pages/s; ratio {plumber_s / pipeline_s:.2f} "
          f"(target >= 2.0)")
    print(f"load average after: {load()}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
