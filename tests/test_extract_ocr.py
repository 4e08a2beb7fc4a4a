"""A scanned competency standard: pages of a corpus TR rendered to images, OCR'd and extracted.

The scan has no text layer at all, so it used to be quarantined as `no_text_layer`; now tesseract
reads it (OMP_THREAD_LIMIT=1, as the QA path does), every row is flagged `tesseract_ocr` with a
lower confidence, and the criteria are scored against the project's own gold for that unit.
Three pages only, to stay fast: the cover, the unit list and unit 500311105 of Driving NC II.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.corpus
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scanned(corpus_dir, tmp_path_factory):
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        pytest.skip("tesseract or pdftoppm not installed")
    sys.path.insert(0, str(ROOT))
    from bench.ocr_standard import score_scan

    return score_scan(corpus_dir, "tesda-tr-driving-nc-ii", [1, 3, 4], 150, tmp_path_factory.mktemp("scan"))


def test_scanned_tr_is_read_by_ocr_not_quarantined(scanned):
    result, extraction = scanned
    assert extraction.document.family == "tesda-tr"
    assert any("tesseract OCR" in w for w in extraction.warnings)
    unit = next(u for u in extraction.units if u.code == "500311105")
    criteria = [c for e in unit.elements for c in e.criteria]
    assert criteria and all("tesseract_ocr" in c.flags and c.confidence <= 0.8 for c in criteria)
    assert "tesseract_ocr" in unit.flags and unit.confidence <= 0.8


def test_scanned_tr_criteria_against_gold(scanned):
    result, _ = scanned
    assert result["units_f1"] == 1.0
    assert result["pc_f1"] >= 0.9, result


@pytest.fixture(scope="module")
def scanned_skkni(corpus_dir, tmp_path_factory):
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        pytest.skip("tesseract or pdftoppm not installed")
    from mrs_etl.pdf.ocr import installed_languages

    if "id" not in installed_languages():
        pytest.skip("tesseract has no Indonesian trained data (Debian: tesseract-ocr-ind)")
    sys.path.insert(0, str(ROOT))
    from bench.ocr_standard import score_scan

    # the annex's first page (the standard's title) and unit M.74DKV13.001.1's table
    return score_scan(corpus_dir, "skkni-2023-126-desain-grafis", [5, 21], 150, tmp_path_factory.mktemp("scan"))


def test_scanned_skkni_is_read_in_indonesian(scanned_skkni):
    from mrs_etl.pdf import ocr

    result, extraction = scanned_skkni
    assert extraction.document.family == "skkni" and extraction.document.language == "id"
    scan = str(Path(extraction.document.path).resolve())
    read = {(number, language) for file, number, language in ocr._PAGES if file == scan}
    # the unit's page, which the engine parses, was read with tesseract's Indonesian data
    assert (2, "id") in read
    assert result["units_f1"] == 1.0 and result["pc_f1"] == 1.0, result
