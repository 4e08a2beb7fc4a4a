"""Nominal hours and packaging rules as a TESDA training regulation states them (Roadmap step 3).

The extractor parses the competency standards (TR Section 2); the hours sit in Section 3 ("3.1
Curriculum design": "Nominal Training Hours: 18 hours (Basic) / 24 hours (Common) / 216 hours
(Core)", or per category heading, "BASIC COMPETENCIES (20 Hours)") and the packaging rules in
Sections 1 and 4 ("This Qualification is packaged from the competency map of ...", "To attain the
National Qualification of ..., the candidate must demonstrate competence ... covering all the units
listed in Section 1"). They are read here from the PDF's plain text (pdfium, fast), so that the
qualification summary can quote them; a document that prints neither gives nothing, never a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("basic", "common", "core", "elective")
_ANCHOR = re.compile(r"(?:nominal\s+)?training\s+(?:nominal\s+)?(?:hours|duration)\s*:", re.IGNORECASE)
# how far past the anchor the curriculum design prints its hours (beauty care: per category heading,
# two pages on)
_WINDOW = 6000
_NUMBER = r"(\d{1,3}(?:,\d{3})*(?:\.\d+)?)"
_HOURS = r"(?:hours?|hrs?)\.?"
_HOURS_THEN_CATEGORY = re.compile(
    _NUMBER + r"\s*" + _HOURS + r"\s*\(?\s*(basic|common|core|elective)\b", re.IGNORECASE)
_CATEGORY_THEN_HOURS = re.compile(
    r"\b(basic|common|core|elective)\s+competenc(?:y|ies)\s*\(\s*" + _NUMBER + r"\s*" + _HOURS, re.IGNORECASE)
_TOTAL = re.compile(r"total\s*:?\s*" + _NUMBER + r"\s*" + _HOURS + r"|" + _NUMBER + r"\s*" + _HOURS +
                    r"\s*[-–—:]?\s*total\b", re.IGNORECASE)
_RULES = (re.compile(r"this\s+qualification\s+is\s+packaged\s+from\b[^.]*\.", re.IGNORECASE),
          re.compile(r"to\s+attain\s+the\s+national\s+qualification\b[^.]*\.", re.IGNORECASE))


@dataclass(frozen=True)
class Arrangements:
    hours_by_category: dict[str, float] = field(default_factory=dict)
    total_hours: float | None = None  # as printed
    packaging_rules: tuple[str, ...] = ()

    @property
    def nominal_hours(self) -> float | None:
        """The printed total, else the sum of the printed per-category hours."""
        if self.total_hours is not None:
            return self.total_hours
        return sum(self.hours_by_category.values()) if self.hours_by_category else None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def read_arrangements(page_texts: list[str]) -> Arrangements:
    """Hours and packaging rules from the plain text of a training regulation's pages."""
    text = "\n".join(page_texts)
    hours: dict[str, float] = {}
    total = None
    for anchor in _ANCHOR.finditer(text):
        window = text[anchor.end():anchor.end() + _WINDOW]
        found = [(m.start(), m.group(2).lower(), m.group(1)) for m in _HOURS_THEN_CATEGORY.finditer(window)]
        found += [(m.start(), m.group(1).lower(), m.group(2)) for m in _CATEGORY_THEN_HOURS.finditer(window)]
        for _, category, number in sorted(found):
            hours.setdefault(category, _number(number))  # the first figure of a category: later ones are units'
        totals = _TOTAL.search(window[:1500])
        if totals:
            total = _number(totals.group(1) or totals.group(2))
        if hours:
            break
    rules = []
    for pattern in _RULES:
        match = pattern.search(text)
        if match:
            rules.append(" ".join(match.group(0).split()))
    return Arrangements({c: hours[c] for c in CATEGORIES if c in hours}, total, tuple(rules))


def read_pdf_arrangements(path: str | Path) -> Arrangements:
    """Arrangements of a PDF (every page's text through pdfium); nothing when it cannot be read."""
    from mrs_etl.errors import DocumentRejected
    from mrs_etl.pdf.triage import quick_text

    try:
        return read_arrangements(quick_text(path, max_pages=None))
    except DocumentRejected:
        return Arrangements()
