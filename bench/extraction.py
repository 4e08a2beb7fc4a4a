"""Extraction quality and speed on the documents that have gold annotations.

Prints the lines of ../shared/tools/score_extraction.py for every gold document (targets on the
dev gold: units F1 >= 0.99, criteria F1 >= 0.98, criteria exact >= 0.95), then the speed ratio:
pages per second of the full extraction (`mrs_etl.extract.extract_pdf`, hashing and family
detection included) divided by pages per second of pdfplumber's bare `extract_text` over the same
pages, in the same run (target >= 1.0).

    .venv/bin/python bench/extraction.py [--corpus ../shared/corpus] [--out bench/out/extraction]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mrs_etl.extract import extract_pdf  # noqa: E402
from mrs_etl.standard_json import to_standard_json  # noqa: E402


def bare_pdfplumber(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        n = 0
        for page in pdf.pages:
            page.extract_text()
            page.close()
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "extraction")
    args = parser.parse_args()
    gold_dir = args.corpus / "gold"
    if not gold_dir.is_dir():
        print(f"SKIP: no gold annotations at {gold_dir} (../shared/corpus is absent)")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    ours = plumber = 0.0
    pages = 0
    for gold in sorted(gold_dir.glob("*.json")):
        pdf = args.corpus / "pdf" / f"{gold.stem}.pdf"
        t0 = time.perf_counter()
        extraction = extract_pdf(pdf)
        t1 = time.perf_counter()
        n = bare_pdfplumber(pdf)
        t2 = time.perf_counter()
        ours += t1 - t0
        plumber += t2 - t1
        pages += n
        (args.out / gold.name).write_text(json.dumps(to_standard_json(extraction), ensure_ascii=False, indent=1))
        print(f"{pdf.name}: {n} pages, extraction {t1 - t0:.2f} s, bare pdfplumber extract_text {t2 - t1:.2f} s")
    scorer = args.corpus.parent / "tools" / "score_extraction.py"
    print(subprocess.run([sys.executable, str(scorer), "--dir", str(gold_dir), str(args.out)],
                         capture_output=True, text=True, check=True).stdout, end="")
    own_gold = ROOT / "tests" / "gold"
    if any(own_gold.glob("*.json")):
        # the project's own hand-checked gold: documents the engine was not tuned on
        own_out = args.out / "own"
        own_out.mkdir(parents=True, exist_ok=True)
        for gold in sorted(own_gold.glob("*.json")):
            extraction = extract_pdf(args.corpus / "pdf" / json.loads(gold.read_text())["document"])
            (own_out / gold.name).write_text(json.dumps(to_standard_json(extraction), ensure_ascii=False))
        print("project gold (tests/gold):")
        print(subprocess.run([sys.executable, str(scorer), "--dir", str(own_gold), str(own_out)],
                             capture_output=True, text=True, check=True).stdout, end="")
    ratio = (pages / ours) / (pages / plumber)
    print(f"speed: extraction {pages / ours:.1f} pages/s, pdfplumber extract_text {pages / plumber:.1f} pages/s, "
          f"ratio {ratio:.2f} (target >= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
