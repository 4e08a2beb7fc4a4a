"""Text lines of a QA document's pages, whatever their source: born-digital text, the file's
own OCR layer under a scanned image, or our own tesseract OCR of pages without text.

Each page says where its words came from (`source`) so that rows built from it can be marked
`ocr` with a lower confidence. An "existing OCR layer" is recognised generally - a page whose
text sits over an image covering (nearly) the whole page, or a file whose producer/creator is
an OCR or scanning program - never by file name.
"""
from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mrs_etl.pdf import Line, Word, group_lines, iter_pages, open_pdf, page_words

BORN_DIGITAL, OCR_LAYER, TESSERACT = "text", "ocr-layer", "tesseract"

# producer/creator metadata of OCR engines and scanning software
OCR_PRODUCERS = re.compile(r"omnipage|abbyy|finereader|readiris|tesseract|ocrmypdf|\bocr\b|scan", re.I)
FULL_PAGE_IMAGE = 0.85   # share of the page area an image must cover to be "the page"
SPARSE_TEXT = 200        # fewer non-space characters than this is a sparse text layer ...
PICTURE_AREA = 0.20      # ... and with images covering this share, the pictures are OCR'd too
NO_TEXT = 10             # fewer characters than this: the page has no text layer
OCR_DPI = 300
# ISO 639-1 -> tesseract traineddata (Debian tesseract-ocr-* packs)
TESSERACT_LANG = {"en": "eng", "id": "ind", "ms": "msa", "th": "tha", "vi": "vie", "km": "khm",
                  "lo": "lao", "my": "mya"}


@dataclass
class PageText:
    number: int
    width: float
    height: float
    source: str  # BORN_DIGITAL | OCR_LAYER | TESSERACT (TESSERACT when any word came from our OCR)
    lines: list[Line] = field(default_factory=list)
    ocr_confidence: float | None = None  # mean tesseract word confidence (0-1) when we OCR'd


def _image_coverage(page) -> float:
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for im in page.images:
        w = max(0.0, min(im["x1"], page.width) - max(im["x0"], 0))
        h = max(0.0, min(im["bottom"], page.height) - max(im["top"], 0))
        covered = max(covered, w * h / area)
    return covered


def has_ocr_producer(metadata: dict) -> bool:
    return any(OCR_PRODUCERS.search(str(metadata.get(k) or "")) for k in ("Producer", "Creator"))


@contextlib.contextmanager
def _single_threaded_tesseract():
    """tesseract's OpenMP threads fight each other on small machines: one thread per process."""
    old = os.environ.get("OMP_THREAD_LIMIT")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("OMP_THREAD_LIMIT", None)
        else:
            os.environ["OMP_THREAD_LIMIT"] = old


def tesseract_words(path: str | Path, page_number: int, language: str | None) -> tuple[list[Word], float]:
    """OCR one page (rendered with pdfium) into words with boxes in PDF points, and the mean confidence."""
    import pypdfium2 as pdfium
    import pytesseract

    doc = pdfium.PdfDocument(str(path))
    try:
        page = doc[page_number - 1]
        try:
            image = page.render(scale=OCR_DPI / 72).to_pil()
        finally:
            page.close()
    finally:
        doc.close()
    lang = TESSERACT_LANG.get(language or "en", "eng")
    with _single_threaded_tesseract():
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
    to_pt = 72 / OCR_DPI
    words, confs = [], []
    for text, conf, x, y, w, h in zip(data["text"], data["conf"], data["left"], data["top"],
                                      data["width"], data["height"]):
        conf = float(conf)
        if not text.strip() or conf < 0:
            continue
        words.append(Word(text.strip(), x * to_pt, y * to_pt, (x + w) * to_pt, (y + h) * to_pt,
                          page_number, size=h * to_pt))
        confs.append(conf / 100)
    return words, (sum(confs) / len(confs) if confs else 0.0)


def _overlaps(word: Word, others: list[Word]) -> bool:
    return any(word.x0 < o.x1 and o.x0 < word.x1 and word.top < o.bottom and o.top < word.bottom for o in others)


def read_pages(path: str | Path, language: str | None = None, ocr: bool = True) -> list[PageText]:
    """Every page's lines, OCR'ing pages without (enough) text when `ocr` is on."""
    pages: list[PageText] = []
    with open_pdf(path) as pdf:
        ocr_document = has_ocr_producer(pdf.metadata or {})
        for page in iter_pages(pdf):
            words = page_words(page)
            n_chars = sum(len(w.text) for w in words)
            coverage = _image_coverage(page)
            source = BORN_DIGITAL
            if words and (coverage >= FULL_PAGE_IMAGE or ocr_document):
                source = OCR_LAYER
            result = PageText(page.page_number, float(page.width), float(page.height), source)
            if ocr and (n_chars < NO_TEXT or (n_chars < SPARSE_TEXT and coverage >= PICTURE_AREA)):
                ocr_words, result.ocr_confidence = tesseract_words(path, page.page_number, language)
                # the text layer wins where both have a word: it is exact
                words = words + [w for w in ocr_words if not _overlaps(w, words)]
                result.source = TESSERACT
            result.lines = group_lines(words)
            pages.append(result)
    return pages
