"""Words and text lines with their boxes.

A `Line` is a run of words sharing a baseline band inside one column; tables are read by
first cutting words into columns and then grouping each column's words into lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from mrs_etl.models import Box
from mrs_etl.pdf.objects import PageObjects, page_objects


TOUCHING = 0.5  # points: words closer than this are one run of text split by a font change


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    bold: bool = False
    italic: bool = False
    size: float = 0.0

    @property
    def xmid(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Words joined by one space, except words that touch: a font change ("(" + italic "output" + ")")
        splits pdfplumber's words without any space between them on the page."""
        parts: list[str] = []
        for prev, word in zip([None, *self.words], self.words):
            if prev is not None:
                parts.append("" if word.x0 - prev.x1 < TOUCHING else " ")
            parts.append(word.text)
        return "".join(parts)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def box(self) -> Box:
        return Box(self.page, self.x0, self.top, self.x1, self.bottom)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)


def page_words(page, page_number: int | None = None, objects: PageObjects | None = None) -> list[Word]:
    """Words of a pdfplumber page, upright text only, with bold/italic from the font name.

    `objects`: the page's characters already read (`page_objects`), so that a caller that also
    needs the rules reads the page's layout once.
    """
    number = page_number if page_number is not None else page.page_number
    raw = (objects or page_objects(page)).words()
    words = []
    for w in raw:
        if not w.get("upright", True):
            continue
        font = (w.get("fontname") or "").lower()
        words.append(Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]),
                          number, bold="bold" in font or "black" in font or ",b" in font,
                          italic="italic" in font or "oblique" in font, size=float(w.get("size") or 0.0)))
    return words


def group_lines(words: Iterable[Word], tolerance: float = 3.0) -> list[Line]:
    """Group words into lines by vertical overlap, top to bottom, words left to right."""
    ordered = sorted(words, key=lambda w: (w.page, w.top, w.x0))
    lines: list[Line] = []
    for word in ordered:
        line = lines[-1] if lines else None
        if line is not None and line.page == word.page:
            mid = (word.top + word.bottom) / 2
            if abs(word.top - line.words[0].top) <= tolerance or line.top <= mid <= line.bottom:
                line.words.append(word)
                continue
        lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    return lines
