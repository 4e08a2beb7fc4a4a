"""OCR of pages without a text layer, done once per page and process.

A scanned competency standard is OCR'd for triage (its family, which pages to read) and then read
by the standards engine from the same words: the words are kept here, keyed by file and page, so
no page is rendered and recognised twice. tesseract runs through the QA path's `tesseract_words`
(one OpenMP thread per process).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from mrs_etl.pdf.lines import Word, group_lines

_PAGES: dict[tuple[str, int], tuple[list[Word], float]] = {}
_RULE_GLYPHS = re.compile(r"^[|_\[\]!—–-]+$")  # table rules and cell borders read as characters
_MISREAD_NUMBER = re.compile(r"^(\d{1,2})[-,](\d{1,2}\.?)$")  # "3-1" / "3,1" for the item number "3.1"


def _clean(words: list[Word]) -> list[Word]:
    """OCR words without the table's rules read as glyphs, item numbers with their dot restored."""
    out = []
    for w in words:
        if _RULE_GLYPHS.match(w.text):
            continue
        if m := _MISREAD_NUMBER.match(w.text):
            w = replace(w, text=f"{m.group(1)}.{m.group(2)}")
        out.append(w)
    return out


def ocr_page(path: str | Path, page_number: int, language: str | None = None) -> tuple[list[Word], float]:
    """Words of one page by tesseract (boxes in PDF points) and their mean confidence (0-1)."""
    key = (str(Path(path).resolve()), page_number)
    if key not in _PAGES:
        from mrs_etl.qa.pages import tesseract_words

        words, confidence = tesseract_words(path, page_number, language)
        _PAGES[key] = (_clean(words), confidence)
    return _PAGES[key]


def ocr_words_done(path: str | Path, page_number: int) -> tuple[list[Word], float] | None:
    """The words of a page already OCR'd in this process, or None."""
    return _PAGES.get((str(Path(path).resolve()), page_number))


def ocr_texts(path: str | Path, pages: int, language: str | None = None) -> tuple[list[str], float]:
    """Plain text of every page by OCR, one string per page, and the mean word confidence."""
    texts, confidences = [], []
    for number in range(1, pages + 1):
        words, confidence = ocr_page(path, number, language)
        texts.append("\n".join(line.text for line in group_lines(words)))
        if words:
            confidences.append(confidence)
    return texts, (sum(confidences) / len(confidences) if confidences else 0.0)
