"""OCR of pages without a text layer, done once per page and process.

A scanned competency standard is OCR'd for triage (its family, which pages to read) and then read
by the standards engine from the same words: the words are kept here, keyed by file, page and
language, so no page is rendered and recognised twice in one language. Triage does not know the
family (hence the language) yet: it reads in the language the pages read so far are written in;
the engine reads the pages it parses in its profile's language, which re-reads a page only where
triage guessed otherwise. tesseract runs through the QA path's `tesseract_words`
(one OpenMP thread per process).
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace
from pathlib import Path

from mrs_etl.pdf.lines import Word, group_lines

_PAGES: dict[tuple[str, int, str], tuple[list[Word], float]] = {}  # (file, page, language) -> words, confidence
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
    """Words of one page by tesseract (boxes in PDF points) and their mean confidence (0-1).

    `language`: the document's (ISO 639-1, as its profile declares it; English when unknown),
    which picks tesseract's trained data (`mrs_etl.qa.pages.TESSERACT_LANG`).
    """
    language = language if language in installed_languages() else "en"
    key = (str(Path(path).resolve()), page_number, language)
    if key not in _PAGES:
        from mrs_etl.qa.pages import tesseract_words

        words, confidence = tesseract_words(path, page_number, language)
        _PAGES[key] = (_clean(words), confidence)
    return _PAGES[key]


@functools.cache
def installed_languages() -> frozenset[str]:
    """The document languages (ISO 639-1) whose tesseract trained data is installed; English stands in for the rest."""
    import pytesseract

    from mrs_etl.qa.pages import TESSERACT_LANG

    try:
        trained = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError):
        trained = set()
    return frozenset(iso for iso, code in TESSERACT_LANG.items() if code in trained)


def ocr_words_done(path: str | Path, page_number: int) -> tuple[list[Word], float] | None:
    """The words of a page already OCR'd in this process (in any language), or None."""
    resolved = str(Path(path).resolve())
    return next((v for (file, number, _), v in _PAGES.items() if file == resolved and number == page_number), None)


def ocr_texts(path: str | Path, pages: int, language: str | None = None) -> tuple[list[str], float]:
    """Plain text of every page by OCR, one string per page, and the mean word confidence.

    Without a `language` (triage, before the family is known) the first page is read in English
    and each next page in the language the text read so far is written in (its function words),
    so that a scanned Indonesian standard is mostly read once, in Indonesian, and the engine finds
    its pages already read in its profile's language.
    """
    texts, confidences = [], []
    current = language or "en"
    for number in range(1, pages + 1):
        words, confidence = ocr_page(path, number, current)
        texts.append("\n".join(line.text for line in group_lines(words)))
        if words:
            confidences.append(confidence)
        if language is None:
            from mrs_etl.qa.language import detect_language

            current = detect_language("\n".join(texts), default=current)
    return texts, (sum(confidences) / len(confidences) if confidences else 0.0)
