"""Nominal hours and packaging rules as a TESDA training regulation states them (Roadmap step 3).

The extractor parses the competency standards (TR Section 2); the hours sit in Section 3 ("3.1
Curriculum design": "Nominal Training Hours: 18 hours (Basic) / 24 hours (Common) / 216 hours
(Core)", or per category heading, "BASIC COMPETENCIES (20 Hours)") and the packaging rules in
Sections 1 and 4 ("This Qualification is packaged from the competency map of ...", "To attain the
National Qualification of ..., the candidate must demonstrate competence ... covering all the units
listed in Section 1"). They are read from the pages' plain text (pdfium, fast): the standard engine
reads them into the qualification when a profile's layout says its documents state them, so that
the qualification catalogue and the comparability summary can quote them; a document that prints
neither gives nothing, never a guess.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field

CATEGORIES = ("basic", "common", "core", "elective")
_ANCHOR = re.compile(r"(?:nominal\s+)?training\s+(?:nominal\s+)?(?:hours|duration)\s*:", re.IGNORECASE)
# how far past the anchor the curriculum design prints its hours (beauty care: per category heading,
# two pages on)
_WINDOW = 6000
# how far the curriculum design runs: some TRs state each category's hours in its own block, pages
# apart (heavy equipment: basic and common on one page, "CORE COMPETENCIES ... 120 Hours" four on)
_SPAN = 20000
_NUMBER = r"(\d{1,3}(?:,\d{3})*(?:\.\d+)?)"
_HOURS = r"(?:hours?|hrs?)\.?"
_CATEGORY = r"(basic|common|core|elective)\b"
_HOURS_THEN_CATEGORY = re.compile(_NUMBER + r"\s*" + _HOURS + r"\s*[-–—]?\s*\(?\s*" + _CATEGORY, re.IGNORECASE)
_CATEGORY_THEN_HOURS = re.compile(
    r"\b(basic|common|core|elective)\s+competenc(?:y|ies)\s*\(\s*" + _NUMBER + r"\s*" + _HOURS, re.IGNORECASE)
# "Nominal Training Hours: 120 Hours" with no category: that of the block's heading, just before
_BARE_HOURS = re.compile(r"\s*" + _NUMBER + r"\s*" + _HOURS + r"(?!\s*[-–—]?\s*\(?\s*(?:basic|common|core|elective)\b)",
                         re.IGNORECASE)
_HEADING = re.compile(r"^\s*(BASIC|COMMON|CORE|ELECTIVE)\s+COMPETENC(?:Y|IES)\s*$", re.MULTILINE)
_HEADING_REACH = 400
_TOTAL = re.compile(r"total\s*:?\s*" + _NUMBER + r"\s*" + _HOURS + r"|" + _NUMBER + r"\s*" + _HOURS +
                    r"\s*[-–—:]?\s*total\b", re.IGNORECASE)
# a curriculum design that prints its total unlabelled ("Course Description: 568 Hours")
_DESIGN = re.compile(r"curriculum\s+design\b", re.IGNORECASE)
_DESIGN_TOTAL = re.compile(r"\b" + _NUMBER + r"\s*" + _HOURS + r"(?=\s*$)", re.IGNORECASE | re.MULTILINE)
_DESIGN_REACH = 300
_RULES = (re.compile(r"this\s+qualification\s+is\s+packaged\s+from\b[^.]*\.", re.IGNORECASE),
          re.compile(r"to\s+attain\s+the\s+national\s+qualification\b[^.]*\.", re.IGNORECASE),
          # the 2017 printing: "4.1.1 A National Certificate (NC) is issued when ... as follows:" + the units
          re.compile(r"a\s+national\s+certificate\s*(?:\(NC\)\s*)?is\s+issued\s+when\b[^.:]*[.:]", re.IGNORECASE))


@dataclass(frozen=True)
class Arrangements:
    hours_by_category: dict[str, float] = field(default_factory=dict)
    total_hours: float | None = None  # as printed
    packaging_rules: tuple[str, ...] = ()
    hours_page: int | None = None  # 1-based page where the curriculum design states the hours

    @property
    def nominal_hours(self) -> float | None:
        """The printed total, else the sum of the printed per-category hours when they include the core
        (a sum without the core is no qualification's hours)."""
        if self.total_hours is not None:
            return self.total_hours
        return sum(self.hours_by_category.values()) if "core" in self.hours_by_category else None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def read_arrangements(page_texts: list[str]) -> Arrangements:
    """Hours and packaging rules from the plain text of a training regulation's pages."""
    text = "\n".join(page_texts)
    starts = list(itertools.accumulate((len(t) + 1 for t in page_texts[:-1]), initial=0))
    hours: dict[str, float] = {}
    total = first = None
    for anchor in _ANCHOR.finditer(text):
        if first is not None and anchor.start() - first > _SPAN:
            break
        window = text[anchor.end():anchor.end() + _WINDOW]
        found = [(m.start(), m.group(2).lower(), m.group(1)) for m in _HOURS_THEN_CATEGORY.finditer(window)]
        found += [(m.start(), m.group(1).lower(), m.group(2)) for m in _CATEGORY_THEN_HOURS.finditer(window)]
        bare = _BARE_HOURS.match(window)
        heading = list(_HEADING.finditer(text, max(0, anchor.start() - _HEADING_REACH), anchor.start()))
        if bare and heading:
            found.append((bare.start(), heading[-1].group(1).lower(), bare.group(1)))
        for _, category, number in sorted(found):
            hours.setdefault(category, _number(number))  # the first figure of a category: later ones are units'
        totals = _TOTAL.search(window[:1500])
        if totals and total is None:
            total = _number(totals.group(1) or totals.group(2))
        if (found or totals) and first is None:
            first = anchor.start()
        if total is not None or all(c in hours for c in ("basic", "common", "core")):
            break
    if first is None:
        for design in _DESIGN.finditer(text):
            unlabelled = _DESIGN_TOTAL.search(text, design.end(), design.end() + _DESIGN_REACH)
            if unlabelled:
                total, first = _number(unlabelled.group(1)), design.start()
                break
    page = None if first is None else bisect.bisect_right(starts, first)
    rules = []
    for pattern in _RULES:
        match = pattern.search(text)
        if match:
            rules.append(" ".join(match.group(0).split()))
    return Arrangements({c: hours[c] for c in CATEGORIES if c in hours}, total, tuple(rules), page)

