"""What a sound extraction of a competency standard never holds, as checks anyone can run.

A criterion with a running footer or a header note in its text, a unit without a title or
without elements, an element without criteria: each is an extraction error (or a source defect
worth a person's look), whatever the document. `bench/anomalies.py` runs the scan over the
corpus; the same scan judges documents the engine has never seen.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from mrs_etl.models import Extraction

# Running text a criterion never ends with or contains: footers, page numbers, the header note
FOOTER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("promulgation_footer", r"\bPromulgated\b"),
    ("page_of_footer", r"\bPage\s+\d+\s+of\s+\d+\b|(?<![\d/])\d{1,4}\s*/\s*\d{1,4}\s*$"),
    ("rule_footer", r"_{3,}"),
    ("header_note", r"\bitali[cs]i[sz]ed\b|\belaborated\s+in\s+the\s+range\b|\bBold\s*&\s*Itali"),
    # a bare page number after the sentence ("... information received 2")
    ("page_number", r"[a-z.;)] \d{1,3}$"),
)
_FOOTER_RES = tuple((name, re.compile(p, re.I)) for name, p in FOOTER_PATTERNS)
# ... unless the word before it makes it a reference ("Table 2", "Level 3", "NC II 2" is not one)
_NUMBERED_NOUN = re.compile(r"\b(?:table|figure|section|step|level|class|grade|annex|phase|chapter|part|zone|"
                            r"type|no\.?|number|item|form|category|size|stage)\s+\d{1,3}$", re.I)


# The number of another item of the unit printed inside an element title or a criterion ("Wear PPE
# 2. Observe personal hygiene", "... guidelines 2. 6 Work is checked"): two items read as one
_ELEMENT_NUMBER_IN_TEXT = re.compile(r"(?<=\s)(\d{1,2})\.\s+(?=[A-Z][a-z])")
_CRITERION_NUMBER_IN_TEXT = re.compile(r"(?<=\s)(\d{1,2})\.\s?(\d{1,2})\s+(?=[A-Z][a-z])")


def merged_item(text: str, siblings: set[str]) -> str | None:
    """The number of a sibling item (one of `siblings`, or the next one after them) found inside the text."""
    for m in _ELEMENT_NUMBER_IN_TEXT.finditer(text):
        if m.group(1) in siblings:
            return m.group(1)
    for m in _CRITERION_NUMBER_IN_TEXT.finditer(text):
        if f"{m.group(1)}.{m.group(2)}" in siblings:
            return f"{m.group(1)}.{m.group(2)}"
    return None


# Disagreements with the qualification's unit list: often the source's own defect, so counted apart
LIST_KINDS = ("unit_not_in_list", "listed_unit_not_found", "criterion_numbered_for_other_element")


@dataclass(frozen=True)
class Anomaly:
    kind: str  # footer_in_criterion | unit_without_title | unit_without_elements | element_without_criteria |
    # item_merged_into_text | LIST_KINDS
    unit: str  # the unit's code
    where: str  # element / criterion number
    detail: str


def footer_in(text: str) -> str | None:
    """The kind of running text found in a criterion's text, or None."""
    for name, pattern in _FOOTER_RES:
        if pattern.search(text) and not (name == "page_number" and _NUMBERED_NOUN.search(text)):
            return name
    return None


def scan(extraction: Extraction) -> list[Anomaly]:
    out: list[Anomaly] = []
    for unit in extraction.units:
        if not unit.title.strip():
            out.append(Anomaly("unit_without_title", unit.code, "", ""))
        if not unit.elements:
            out.append(Anomaly("unit_without_elements", unit.code, "", unit.title[:60]))
        element_numbers = {e.number for e in unit.elements if e.number}
        for el in unit.elements:
            # the element numbers a merged title would hold: the unit's others and the ones it lacks
            expected = {str(k) for k in range(1, len(unit.elements) + 6)} - {el.number}
            hit = merged_item(el.title, expected if el.number.isdigit() else element_numbers - {el.number})
            if hit:
                out.append(Anomaly("item_merged_into_text", unit.code, el.number, f"element {hit} in: {el.title[:70]}"))
            if el.number.isdigit():
                criteria_numbers = {c.number for c in el.criteria}
                width = len(el.criteria) + 3
                siblings = {f"{el.number}.{k}" for k in range(1, width + 1)} - criteria_numbers
                for c in el.criteria:
                    hit = merged_item(c.text, siblings)
                    if hit and "." in hit:
                        out.append(Anomaly("item_merged_into_text", unit.code, c.number, f"criterion {hit} in: ...{c.text[-70:]}"))
            if not el.criteria:
                out.append(Anomaly("element_without_criteria", unit.code, el.number, el.title[:60]))
            for c in el.criteria:
                head = c.number.split(".")[0]
                if "." in c.number and el.number and head != el.number and head in {e.number for e in unit.elements}:
                    out.append(Anomaly("criterion_numbered_for_other_element", unit.code, c.number, f"under {el.number}"))
                kind = footer_in(c.text)
                if kind:
                    out.append(Anomaly("footer_in_criterion", unit.code, c.number, f"{kind}: ...{c.text[-70:]}"))
    listed = extraction.qualification.listed_units if extraction.qualification else []
    if listed:
        def key(code: str) -> str:
            return re.sub(r"\W", "", code or "").upper()
        found = {key(u.code) for u in extraction.units} | {key(u.code_as_listed) for u in extraction.units}
        out += [Anomaly("listed_unit_not_found", lu.code, "", lu.title[:60]) for lu in listed if key(lu.code) not in found]
        out += [Anomaly("unit_not_in_list", u.code, "", u.title[:60]) for u in extraction.units
                if "not_in_unit_list" in u.flags]
    return out
