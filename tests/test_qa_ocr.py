"""OCR of pages without text (a one-page image-only PDF made here) and cleaning of noisy OCR."""
from __future__ import annotations

import shutil

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.qa_policy import LAYOUT
from mrs_etl.qa.cleaning import Vocabulary, clean_ocr_text, join_lines, join_split_words, normalise
from mrs_etl.qa.pages import TESSERACT, read_pages
from mrs_etl.qa.policies import extract_policies

LINES = ["Complaints and Appeals",
         "1. Every candidate may lodge an appeal against an",
         "assessment decision within fourteen days.",
         "2. The assessment centre keeps records of all appeals."]


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory):
    """A page that is only a picture of text (no text layer), like a scan."""
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed (scripts/setup.sh installs it)")
    font = None
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            font = ImageFont.truetype(name, 34)
            break
        except OSError:
            continue
    image = Image.new("RGB", (1654, 2339), "white")  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(LINES):
        draw.text((150, 200 + n * 60 + (40 if n else 0)), line, fill="black", font=font or ImageFont.load_default())
    path = tmp_path_factory.mktemp("ocr") / "scanned.pdf"
    image.save(path, "PDF", resolution=200)
    return path


def test_page_without_text_layer_is_ocrd_and_rows_are_marked(scanned_pdf):
    pages = read_pages(scanned_pdf, "en")
    assert pages[0].source == TESSERACT
    assert 0 < pages[0].ocr_confidence <= 1
    policies, language = extract_policies(scanned_pdf, LAYOUT, language="en")
    assert language == "en"
    appeal = next(p for p in policies if "lodge an appeal" in p.text)
    assert appeal.clause == "1"
    assert appeal.text.endswith("assessment decision within fourteen days.")  # wrapped line joined
    assert appeal.heading_path == ["Complaints and Appeals"]
    assert all(p.ocr and "tesseract_ocr" in p.flags and p.confidence <= 0.6 for p in policies)
    assert appeal.box.page == 1 and 0 < appeal.box.x0 < appeal.box.x1 <= 595.3


def test_ocr_can_be_switched_off(scanned_pdf):
    assert extract_policies(scanned_pdf, LAYOUT, ocr=False)[0] == []


VOCAB = Vocabulary.of(["Teaching experience of trainers", "animasi produksi", "the self-assessment guide",
                       "competency assessment"])


@pytest.mark.parametrize("noisy, clean", [
    ("Teaching_E xperience , 5 years", "Teaching Experience, 5 years"),
    ("assessed by the panel | and ~ the RO", "assessed by the panel and the RO"),
    ("( 40 hours )", "(40 hours)"),
    ("Trainer\ufffeCandidate", "Trainer-Candidate"),
    ("International (cid:9) Training", "International Training"),
])
def test_noisy_ocr_is_cleaned(noisy, clean):
    assert clean_ocr_text(noisy, VOCAB) == clean


def test_fragments_are_joined_only_into_words_the_document_prints():
    assert join_split_words("Pra Produks i animas i", VOCAB, "id") == "Pra Produksi animasi"
    assert join_split_words("a dog of note", VOCAB, "en") == "a dog of note"  # real short words stay
    assert join_split_words("WET trainers E xpert", VOCAB, "en") == "WET trainers E xpert"  # 'expert' unattested


def test_line_end_hyphens():
    assert join_lines(["the compe-", "tency of trainers"], VOCAB) == "the competency of trainers"
    assert join_lines(["use the self-", "assessment guide"], VOCAB) == "use the self-assessment guide"
    assert join_lines(["the Trainer-", "Candidate is"], VOCAB) == "the Trainer-Candidate is"


def test_normalise_leaves_clean_text_alone():
    text = "The PO shall issue the TMC and COC, while the RO shall issue the NTTC."
    assert normalise(text) == text
