"""Reading the pages a standard needs, once each: words, rulings, and running headers/footers removed."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mrs_etl.pdf.document import iter_pages, open_pdf
from mrs_etl.pdf.lines import Line, Word, group_lines, page_words
from mrs_etl.pdf.objects import PageObjects, page_objects
from mrs_etl.pdf.ocr import ocr_page, ocr_words_done

MARGIN_SHARE = 0.12  # running headers/footers live in the top/bottom 12% of the page
RUNNING_SHARE = 0.3  # ... and repeat on at least this share of the pages read
_ITEM_NUMBER = re.compile(r"^\s*\d{1,4}(?:\.\d{1,3})*\.?\s*$")
_PAGE_NUMBER = re.compile(r"^[\s\-–—_|.]*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—_|.]*$", re.I)


@dataclass(frozen=True)
class Rule:
    """A ruling line segment (from PDF lines or rectangle edges)."""
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageContent:
    number: int
    width: float
    height: float
    words: list[Word]
    vrules: list[Rule] = field(default_factory=list)
    hrules: list[Rule] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # full-width lines, for finding headings


def _rules(objects: PageObjects) -> tuple[list[Rule], list[Rule]]:
    vertical, horizontal = [], []
    for e in objects.edges:
        rule = Rule(float(e.x0), float(e.top), float(e.x1), float(e.bottom))
        if e.orientation == "v" and rule.bottom - rule.top > 4:
            vertical.append(rule)
        elif e.orientation == "h" and rule.x1 - rule.x0 > 20:
            horizontal.append(rule)
    return vertical, horizontal


def read_pages(path: str | Path, numbers: list[int], protect: Callable[[str], bool] = lambda text: False,
               language: str | None = None) -> list[PageContent]:
    """Words and rules of the given pages; running text removed unless `protect` says it is structure.

    A page without a text layer that triage OCR'd is read by OCR in the document's `language`.
    """
    pages = []
    with open_pdf(path) as pdf:
        for page in iter_pages(pdf, numbers):
            objects = page_objects(page)  # the page's layout read once, for its words and its rules
            words = page_words(page, objects=objects)
            if not words and ocr_words_done(path, page.page_number):
                words = ocr_page(path, page.page_number, language)[0]  # a scanned page, OCR'd at triage
            vrules, hrules = _rules(objects)
            pages.append(PageContent(page.page_number, float(page.width), float(page.height), words, vrules, hrules))
    strip_running_text(pages, protect)
    for p in pages:
        p.lines = group_lines(p.words)
    return pages


def _signature(line: Line) -> str:
    """Text with standalone numbers (page numbers, dates) masked: codes with dots must repeat exactly."""
    text = re.sub(r"\s+", " ", line.text.strip().lower())
    return re.sub(r"(?<![\w.])\d{1,4}(?![\w.])", "#", text)


def _chunks(line: Line, gap: float = 15.0) -> list[Line]:
    """A line cut where words stand far apart: a footer sharing a baseline with table text is its own chunk."""
    out = [Line([line.words[0]])]
    for prev, word in zip(line.words, line.words[1:]):
        if word.x0 - prev.x1 > gap:
            out.append(Line([word]))
        else:
            out[-1].words.append(word)
    return out


def _margin_lines(page: PageContent, lines: list[Line]) -> list[Line]:
    """Lines in the top and bottom margins, with the lines stacked tight against them.

    A footer block may reach a little above the margin ("____ 2" over "TR Food Processing NC II"):
    a line closer than half its height to a margin line belongs to the same block. Such a line is
    only dropped if it repeats like running text or reads as a page number, never for its place.
    """
    band = page.height * MARGIN_SHARE
    inside = [ln.bottom < band or ln.top > page.height - band for ln in lines]
    for order in (range(len(lines) - 2, -1, -1), range(1, len(lines))):  # grow the footer up, the header down
        for k in order:
            n = k + 1 if order.step < 0 else k - 1
            upper, lower = (lines[k], lines[n]) if order.step < 0 else (lines[n], lines[k])
            if inside[n] and not inside[k] and lower.top - upper.bottom < 0.5 * min(upper.height, lower.height) \
                    and (lower.top > page.height / 2) == (order.step < 0):
                inside[k] = True
    return [ln for ln, keep in zip(lines, inside) if keep]


_PAGE_VALUE = re.compile(r"^[\s\-–—_|.]*(?:page\s*)?(\d{1,4})(?:\s*(?:of|/)\s*\d{1,4})?[\s\-–—_|.]*$", re.I)


def _page_offsets(candidates: dict[int, list[tuple[Line, int]]], needed: int) -> set[int]:
    """Offsets (printed number - page index) shared by many pages: the numbers there are page numbers."""
    counts: dict[int, int] = defaultdict(int)
    for page_number, chunks in candidates.items():
        for offset in {value - page_number for _, value in chunks}:
            counts[offset] += 1
    return {offset for offset, n in counts.items() if n >= needed}


def strip_running_text(pages: list[PageContent], protect: Callable[[str], bool] = lambda text: False) -> None:
    """Remove page numbers and lines repeated at about the same place in the margins of many pages.

    A line repeats as a whole (its numbers masked) or as a chunk (a footer sharing a baseline with
    table text). A bare number at the edge of the page's first or last line is a page number when
    it runs with the page index on many pages, wherever the page puts it. A heading that opens a
    page in many places ("EVIDENCE GUIDE", "KODE UNIT : ...") repeats like a running header;
    `protect` keeps such structural lines.
    """
    if not pages:
        return
    margin_lines: dict[int, list[tuple[Line, Line]]] = {}  # (chunk, the line it was cut from)
    tops: dict[str, list[float]] = defaultdict(list)  # signature -> one top per page it appears on
    numbered: dict[int, list[tuple[Line, int]]] = {}  # page -> bare-number chunks at the page's edges
    for p in pages:
        all_lines = group_lines(p.words)
        entries = [(chunk, ln) for ln in _margin_lines(p, all_lines) for chunk in _chunks(ln)]
        margin_lines[p.number] = entries
        seen = {}
        for chunk, line in entries:
            seen.setdefault(_signature(chunk), chunk.top)
            seen.setdefault(_signature(line), line.top)
        for sig, top in seen.items():
            tops[sig].append(top)
        edges = [all_lines[0], all_lines[-1]] if all_lines else []
        numbered[p.number] = [(chunk, int(m.group(1))) for ln in edges for chunk in (_chunks(ln)[0], _chunks(ln)[-1])
                              if (m := _PAGE_VALUE.match(chunk.text)) and not protect(chunk.text)]
    needed = max(3, int(RUNNING_SHARE * len(pages)))
    offsets = _page_offsets(numbered, needed)

    def repeats(line: Line) -> bool:
        sig = _signature(line)
        # a footer of several words may sit higher on some pages; a short one must keep its place
        n = len(tops[sig]) if len(sig.split()) >= 3 else sum(1 for t in tops[sig] if abs(t - line.top) <= 4)
        return n >= needed

    for p in pages:
        drop: set[int] = set()
        running_lines: set[int] = set()
        numbers: list[tuple[Line, Line]] = []
        drop.update(id(w) for chunk, value in numbered[p.number] if value - p.number in offsets for w in chunk.words)
        for chunk, line in margin_lines[p.number]:
            if protect(chunk.text):
                continue
            if _PAGE_NUMBER.match(line.text) or set(line.text.strip()) <= set("_-–—. "):
                drop.update(id(w) for w in line.words)  # a page number (with its rule) on a line of its own
                continue
            if not protect(line.text) and repeats(line):
                drop.update(id(w) for w in line.words)  # the whole line repeats, whatever its chunks
                continue
            if _ITEM_NUMBER.match(chunk.text):
                numbers.append((chunk, line))  # a page number in a footer, or an item number in a table
                continue
            if repeats(chunk):
                drop.update(id(w) for w in chunk.words)
                running_lines.add(id(line))
        drop.update(id(w) for chunk, line in numbers if id(line) in running_lines for w in chunk.words)
        if drop:
            p.words = [w for w in p.words if id(w) not in drop]
