"""Criteria F1 of the OCR path: a TR's pages rendered to images (no text layer), OCR'd and extracted.

Makes a scan of the given pages of a corpus TR (default: Driving NC II pages 1, 3 and 4, which hold
the cover, the unit list and unit 500311105), extracts it and scores the units of the project's
own gold (tests/gold) that the scan holds, with ../shared/tools/score_extraction.py.

The pages are OCR'd in the document's language (its profile's: Indonesian for SKKNI); `--english`
reads them in English instead, as before the language was taken from the profile, to compare:

    .venv/bin/python bench/ocr_standard.py --stem skkni-2023-126-desain-grafis --pages 5,21,22,23 [--english]

    .venv/bin/python bench/ocr_standard.py [--stem tesda-tr-driving-nc-ii] [--pages 1,3,4] [--dpi 150] [--english]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mrs_etl.extract import extract_pdf  # noqa: E402
from mrs_etl.standard_json import to_standard_json  # noqa: E402
from tests.pdf_factory import scanned_copy  # noqa: E402


def score_scan(corpus: Path, stem: str, pages: list[int], dpi: int, work: Path) -> tuple[dict, object]:
    """(scores of the scan's extraction on the gold units it holds, the extraction)."""
    gold = json.loads((ROOT / "tests" / "gold" / f"{stem}.json").read_text())
    scan = scanned_copy(corpus / "pdf" / gold["document"], pages, work / f"{stem}-scan.pdf", dpi)
    extraction = extract_pdf(scan)
    gold["units"] = [u for u in gold["units"] if u["page"] in pages]
    for unit in gold["units"]:
        unit["page"] = pages.index(unit["page"]) + 1
    spec = importlib.util.spec_from_file_location("score_extraction", corpus.parent / "tools" / "score_extraction.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    return scorer.score(gold, to_standard_json(extraction)), extraction


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--stem", default="tesda-tr-driving-nc-ii")
    parser.add_argument("--pages", default="1,3,4")
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--english", action="store_true", help="OCR in English whatever the document's language")
    args = parser.parse_args()
    if args.english:
        import mrs_etl.pdf.ocr

        mrs_etl.pdf.ocr.installed_languages = lambda: frozenset({"en"})  # as if no other trained data were installed
    if not (args.corpus / "pdf").is_dir():
        print(f"SKIP: corpus not found at {args.corpus}")
        return 0
    pages = [int(p) for p in args.pages.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        result, extraction = score_scan(args.corpus, args.stem, pages, args.dpi, Path(tmp))
        seconds = time.perf_counter() - t0
    language = "en" if args.english else extraction.document.language
    print(f"{args.stem} pages {args.pages} scanned at {args.dpi} dpi, OCR'd ({language}) and extracted in {seconds:.1f} s")
    print(f"warnings: {extraction.warnings}")
    print(f"units_f1 {result['units_f1']:.3f}  criteria_f1 {result['pc_f1']:.3f} "
          f"({result['pc_tp']}/{result['pc_gold']} gold, {result['pc_pred']} found)  "
          f"criteria_exact {result['pc_exact'] / max(result['pc_tp'], 1):.3f}  elements_f1 {result['el_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
