"""Anomaly scan over every competency standard in the corpus (target: 0 anomalies).

Extracts each TESDA TR, SKKNI and NOS/NSQ of ../shared/corpus/pdf and prints, per document, the counts of
`mrs_etl.standard.anomalies.scan` (footer or note text in a criterion, unit without title or
elements, element without criteria), each anomaly with --verbose, and the totals.

    .venv/bin/python bench/anomalies.py [--corpus ../shared/corpus] [--verbose] [--jobs N] [PDF ...]
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mrs_etl.standard.anomalies import LIST_KINDS  # noqa: E402

FAMILIES = ("tesda-tr", "skkni", "other-nos")  # SOURCES.tsv families of competency standards (NOS/NSQ: "other-nos")


def standards_in(corpus: Path) -> list[Path]:
    """The corpus PDFs whose SOURCES.tsv family is a competency standard."""
    rows = [line.split("\t") for line in (corpus / "SOURCES.tsv").read_text().splitlines()[1:] if line.strip()]
    return sorted(corpus / "pdf" / r[0] for r in rows if r[1] in FAMILIES)


def scan_file(path: str):
    from mrs_etl.extract import extract_pdf
    from mrs_etl.standard.anomalies import scan

    ex = extract_pdf(path)
    return len(ex.units), scan(ex)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--verbose", "-v", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not args.pdfs and not (args.corpus / "SOURCES.tsv").is_file():
        print(f"SKIP: corpus not found at {args.corpus}")
        return 0
    pdfs = args.pdfs or standards_in(args.corpus)
    totals: Counter = Counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for pdf, (n_units, anomalies) in zip(pdfs, pool.map(scan_file, map(str, pdfs))):
            counts = Counter(a.kind for a in anomalies)
            totals.update(counts)
            summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "0"
            print(f"{pdf.name}: {n_units} units, anomalies {summary}")
            if args.verbose:
                for a in anomalies:
                    print(f"    {a.kind} {a.unit} {a.where} {a.detail}")
    errors = {k: v for k, v in totals.items() if k not in LIST_KINDS}
    listing = {k: v for k, v in totals.items() if k in LIST_KINDS}
    print(f"total over {len(pdfs)} documents: {sum(errors.values())} anomalies "
          f"({', '.join(f'{k} {v}' for k, v in sorted(errors.items())) or 'none'}) (target 0)")
    print(f"disagreements with the unit list (source defects or misreads, read them): "
          f"{', '.join(f'{k} {v}' for k, v in sorted(listing.items())) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
