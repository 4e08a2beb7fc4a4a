"""QA policy clauses from a document's lines: running headers dropped, headings stacked into a
path, numbered clauses and paragraphs cut, wrapped lines joined.

What differs between document families (numbering styles, running-text patterns) is data in a
`PolicyLayout` that the family's profile holds; this module is the one way clauses are cut.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from rapidfuzz import fuzz

from mrs_etl.models import QAPolicy
from mrs_etl.pdf import Line
from mrs_etl.qa.cleaning import Vocabulary, clean_ocr_text, join_lines_at
from mrs_etl.qa.language import detect_language
from mrs_etl.qa.pages import BORN_DIGITAL, OCR_LAYER, TESSERACT, PageText, read_pages

CONFIDENCE = {BORN_DIGITAL: 0.9, OCR_LAYER: 0.7, TESSERACT: 0.6}
FLAG = {OCR_LAYER: "ocr_layer", TESSERACT: "tesseract_ocr"}


@dataclass(frozen=True)
class PolicyLayout:
    """How a family numbers and heads its clauses (regexes over one line's text)."""
    # a numbered clause or numbered heading: the number is group "num"
    # (a bare '10' is not a number: '10 working days' wraps a sentence; '10.' and '1.2' are)
    clause_number: str = (r"^(?P<num>(?:[IVX]{1,4}\.|[A-Z]\.)?\d{1,2}(?:\.\d{1,2})*\."
                          r"|(?:[IVX]{1,4}\.|[A-Z]\.)?\d{1,2}(?:\.\d{1,2})+|[a-z]\.|[a-z]\)|\d{1,2}\)"
                          r"|\((?:[a-z]|\d{1,2}|[ivx]{1,4})\))\s+(?=\S)")
    # section numbers that head a part of the document ('A. Background', 'V. Assessment')
    section_number: str = r"^(?P<num>[A-Z]\.|[IVX]{1,4}\.)\s+(?=[A-Z])"
    bullet: str = r"^(?P<num>[•▪◦●➢✓❑□○\-–])\s*(?=\S)"
    # lines that are furniture, wherever they are (page counters, page numbers)
    # and table-of-contents entries (dot leaders): they repeat headings, they are not policy
    running_text: tuple[str, ...] = (r"^page\s+\d+\s+of\s+\d+", r"^\d{1,3}$", r"\bpage\s+\d+\s*$",
                                     r"(\.\s?){4,}\s*\d+\s*$")
    heading_max_words: int = 10
    # words that make a line a sentence, never a heading
    sentence_words: str = (r"\b(shall|must|will|should|may|is|are|was|were|harus|wajib|akan|adalah|dapat)\b"
                           r"|\b(and|or|of|the|to|dan|atau|yang|untuk)$")
    top_band: float = 0.20     # share of the page height where running headers live
    bottom_band: float = 0.10  # ... and running footers
    min_letters_words: int = 2  # a clause needs at least this many words of 2+ letters


@dataclass
class _Item:
    kind: str  # heading | clause | bullet | text
    number: str
    text: str
    line: Line
    page: PageText
    size: float
    bold: bool


@dataclass
class _Clause:
    number: str
    heading_path: list[str]
    lines: list[Line] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    pages: list[PageText] = field(default_factory=list)
    bullet: bool = False


def _is_running(line: Line, page: PageText, others: list[PageText], layout: PolicyLayout,
                min_pages: int) -> bool:
    """Furniture: a page counter, or a line in the header/footer band repeated on other pages."""
    text = line.text.strip()
    if any(re.search(p, text, re.I) for p in layout.running_text):
        return True
    in_top = line.bottom <= page.height * layout.top_band
    in_bottom = line.top >= page.height * (1 - layout.bottom_band)
    if not (in_top or in_bottom):
        return False
    key = re.sub(r"\d+", "#", text.lower())
    seen = 1
    for other in others:
        if other is page:
            continue
        band = [ln for ln in other.lines
                if (ln.bottom <= other.height * layout.top_band) == in_top
                and (ln.top >= other.height * (1 - layout.bottom_band)) == in_bottom]
        if any(fuzz.ratio(key, re.sub(r"\d+", "#", ln.text.strip().lower())) >= 85 for ln in band):
            seen += 1
            if seen >= min_pages:
                return True
    return False


def _line_pitch(pages: list[PageText]) -> float:
    gaps = [b.top - a.top for p in pages for a, b in zip(p.lines, p.lines[1:]) if 0 < b.top - a.top < 40]
    return statistics.median(gaps) if gaps else 14.0


def _looks_like_heading(text: str, layout: PolicyLayout) -> bool:
    words = text.split()
    letters = sum(ch.isalpha() for ch in text) / max(1, len(text.replace(" ", "")))
    return (0 < len(words) <= layout.heading_max_words and text[0].isupper() and letters >= 0.6
            and not re.search(r"[.,;:]$|;", text) and sum(ch.isalpha() for ch in text) >= 3
            and not re.search(layout.sentence_words, text))


def _right_margins(pages: list[PageText]) -> dict[int, float]:
    """Where full lines end on each page: a line reaching it wraps into the next one."""
    margins = {}
    for page in pages:
        ends = sorted(ln.x1 for ln in page.lines)
        margins[page.number] = ends[int(0.9 * (len(ends) - 1))] if ends else page.width
    return margins


def _items(pages: list[PageText], layout: PolicyLayout, vocab: Vocabulary, language: str) -> list[_Item]:
    items = []
    min_pages = max(2, round(0.4 * len(pages)))
    margins = _right_margins(pages)
    for page in pages:
        for line in page.lines:
            if _is_running(line, page, pages, layout, min_pages):
                continue
            raw = line.text
            # the repairs only join what the document itself attests, so born-digital text with
            # kerning gaps ('Produks i') is cleaned the same way as OCR text
            text = clean_ocr_text(raw, vocab, language)
            if not text:
                continue
            size = statistics.median(w.size for w in line.words)
            kind, number = "text", ""
            if m := re.match(layout.bullet, text):
                kind, number, text = "bullet", "", text[m.end():]
            elif (m := re.match(layout.section_number, text)) and _looks_like_heading(text[m.end():].rstrip(":"), layout):
                kind, number = "heading", m.group("num").rstrip(".")
            elif m := re.match(layout.clause_number, text):
                number, rest = m.group("num").rstrip("."), text[m.end():]
                wraps = line.x1 >= margins[page.number] - 0.03 * page.width
                # "1.2 Title" is a heading; "3 TITLE" too when set apart by capitals or bold type
                heading = (not wraps and _looks_like_heading(rest, layout)
                           and ("." in number or rest.isupper() or line.bold))
                kind = "heading" if heading else "clause"
                text = text if heading else rest
            items.append(_Item(kind, number, text, line, page, size, line.bold))
    return items


def _mark_unnumbered_headings(items: list[_Item], layout: PolicyLayout, pitch: float) -> None:
    """A short title-like line is a heading when its type sets it apart (bold, bigger) or when it
    stands alone above body text (a gap above, a longer line below) - table cells do not."""
    body = statistics.median(i.size for i in items) if items else 0
    for n, item in enumerate(items):
        if item.kind != "text" or not _looks_like_heading(item.text, layout):
            continue
        prev = items[n - 1] if n else None
        nxt = items[n + 1] if n + 1 < len(items) else None
        if item.bold or item.size >= body + 1.5:
            item.kind = "heading"
            continue
        gap_above = prev is None or prev.page is not item.page or item.line.top - prev.line.bottom > 0.8 * pitch
        body_below = nxt is not None and len(nxt.text.split()) > layout.heading_max_words
        if gap_above and body_below and (prev is None or re.search(r"[.:;]$", prev.text) or prev.kind == "heading"):
            item.kind = "heading"


def _heading_ranks(items: list[_Item]) -> dict[int, int]:
    """Unnumbered headings rank by type size (bigger is higher). A numbered heading of depth 1
    ('A.', 'V.') ranks with the body-size unnumbered headings (scans often lose their numbers),
    deeper numbers ('V.6.') one step below per level."""
    body = statistics.median(i.size for i in items) if items else 0
    bigger = sorted({round(i.size) for i in items
                     if i.kind == "heading" and not i.number and i.size >= body + 1.5}, reverse=True)
    base = len(bigger)
    ranks = {}
    for n, item in enumerate(items):
        if item.kind != "heading":
            continue
        if item.number:
            ranks[n] = base + item.number.count(".")
        else:
            ranks[n] = bigger.index(round(item.size)) if round(item.size) in bigger else base
    return ranks


def _clauses(items: list[_Item], pitch: float) -> list[_Clause]:
    ranks = _heading_ranks(items)
    stack: list[tuple[int, str]] = []
    clauses: list[_Clause] = []
    current: _Clause | None = None
    for n, item in enumerate(items):
        if item.kind == "heading":
            stack = [(r, t) for r, t in stack if r < ranks[n]] + [(ranks[n], item.text)]
            current = None
            continue
        path = [t for _, t in stack]
        new_paragraph = False
        prev = items[n - 1] if n else None
        if item.kind == "text" and current is not None and prev is not None and prev.page is not item.page:
            new_paragraph = re.search(r"[.!?]$", current.texts[-1].rstrip()) is not None
        elif item.kind == "text" and current is not None and prev is not None:
            last = current.texts[-1].rstrip()
            wide_gap = item.line.top - prev.line.bottom > 0.5 * pitch
            # a list item's wrapped lines are indented past its number; a line that is not, ends it
            outdented = bool(current.number or current.bullet) and item.line.x0 <= current.lines[0].x0 + 2
            new_paragraph = wide_gap and not last.endswith((":", ",", "-")) and (
                outdented or re.search(r"[.!?;)]$", last) is not None)
        if item.kind in ("clause", "bullet") or current is None or new_paragraph:
            current = _Clause(item.number, path, bullet=item.kind == "bullet")
            clauses.append(current)
        current.lines.append(item.line)
        current.texts.append(item.text)
        current.pages.append(item.page)
    return clauses


def extract_policies(path: str | Path, layout: PolicyLayout, language: str | None = None,
                     tagger: Callable[[str, str], list[str]] | None = None,
                     ocr: bool = True) -> tuple[list[QAPolicy], str]:
    """The document's clauses and its detected language."""
    pages = read_pages(path, language, ocr=ocr)
    all_text = [ln.text for p in pages for ln in p.lines]
    language = detect_language(" ".join(all_text), default=language or "en")
    vocab = Vocabulary.of(all_text)
    items = _items(pages, layout, vocab, language)
    pitch = _line_pitch(pages)
    _mark_unnumbered_headings(items, layout, pitch)
    policies = []
    for clause in _clauses(items, pitch):
        text, starts = join_lines_at(clause.texts, vocab)
        if sum(len(w) >= 2 and w.isalpha() for w in re.findall(r"[^\W\d_]+", text)) < layout.min_letters_words:
            continue
        box = clause.lines[0].box
        for line in clause.lines[1:]:
            box = box.union(line.box)
        sources = {p.source for p in clause.pages}
        policy = QAPolicy(box=box, confidence=CONFIDENCE[BORN_DIGITAL], heading_path=clause.heading_path,
                          clause=clause.number, text=text, language=language,
                          topics=tagger(text, language) if tagger else [],
                          ocr=bool(sources - {BORN_DIGITAL}),
                          lines=[(ln.box.page, round(ln.box.x0, 1), round(ln.box.top, 1), round(ln.box.x1, 1),
                                  round(ln.box.bottom, 1), start)
                                 for ln, start in zip(clause.lines, starts) if start is not None])
        for source in sorted(sources - {BORN_DIGITAL}):  # a set's order changes run to run (str hashing)
            conf = CONFIDENCE[source]
            ocr_conf = [p.ocr_confidence for p in clause.pages if p.ocr_confidence is not None]
            if source == TESSERACT and ocr_conf:
                conf = min(conf, min(ocr_conf))
            policy.flag(FLAG[source], conf)
        if clause.bullet:
            policy.flag("bullet_item")
        policies.append(policy)
    return policies, language
