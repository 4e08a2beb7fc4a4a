"""Self-assessment checklists ("Can I ...?"): units covered, then bulleted items grouped under headings.

A self-assessment guide restates a qualification's criteria as questions a candidate ticks. It
prints the units it covers in its header, then a checklist where unit (and sometimes
learning-outcome) headings stand at the left edge and each item starts with a bullet. Items
become criteria of their unit; a trailing "*" marks a critical item and is kept as a flag.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from mrs_etl.models import Criterion, DocumentInfo, Element, Extraction, ListedUnit, Qualification, Unit
from mrs_etl.pdf.lines import Line, group_lines, page_words
from mrs_etl.pdf.document import iter_pages, open_pdf
from mrs_etl.standard.numbering import BULLETS
from mrs_etl.standard.pages import MARGIN_SHARE
from mrs_etl.standard.text import join_lines

# the numbering module's bullet glyphs without dashes and stars: in a checklist those are words
BULLET_GLYPHS = "".join(ch for ch in BULLETS if ch not in "-–*·")
UNIT_MATCH = 85  # rapidfuzz token_sort_ratio for a heading to be one of the covered units
ITEM_GAP = 8.0  # points between an item's wrapped lines (and between a heading and its first item)


@dataclass(frozen=True)
class ChecklistLayout:
    qualification_pattern: str  # group 1 = qualification title
    units_label: str  # starts the list of units covered
    units_end: str  # ends it (the instructions)
    checklist_start: str  # the "Can I?" header line
    checklist_end: str  # the declaration after the checklist
    project_pattern: str  # "Project 1: ..." headings group units, they are not units


def _is_bullet(line: Line) -> bool:
    first = line.words[0].text
    return first[:1] in BULLET_GLYPHS


def _strip_bullet(text: str) -> str:
    return text.lstrip(BULLET_GLYPHS + " ")


def _lines(path: str | Path) -> tuple[list[Line], set[int]]:
    """All lines, and the ids of those in a page's top or bottom margin (headers, footers)."""
    lines: list[Line] = []
    in_margin: set[int] = set()
    with open_pdf(path) as pdf:
        for page in iter_pages(pdf):
            band = float(page.height) * MARGIN_SHARE
            for line in group_lines(page_words(page)):
                lines.append(line)
                if line.bottom < band or line.top > float(page.height) - band:
                    in_margin.add(id(line))
    return lines, in_margin


def _bullet_items(lines: list[Line]) -> list[list[Line]]:
    """Bulleted items with their wrapped lines (indented past the bullet)."""
    items: list[list[Line]] = []
    bullet_x = None
    for line in lines:
        if _is_bullet(line):
            items.append([line])
            bullet_x = line.x0
        elif items and bullet_x is not None and line.x0 > bullet_x + 3 and line.top - items[-1][-1].bottom < ITEM_GAP:
            items[-1].append(line)
    return items


def _covered_units(header: list[Line], layout: ChecklistLayout) -> list[str]:
    """Units listed in the guide's header: bullets right of the label, or the label's own value."""
    start = next((i for i, l in enumerate(header) if re.search(layout.units_label, l.text, re.I)), None)
    if start is None:
        return []
    block = header[max(0, start - 3):]  # the label may stand beside the middle of the list
    bullets = [w for l in block for w in l.words if w.text[:1] in BULLET_GLYPHS]
    if not bullets:
        value = header[start].text.split(":", 1)
        return [value[1].strip()] if len(value) == 2 and value[1].strip() else []
    # the label column sits left of the bullets: keep only the words from the bullets rightwards
    bullet_x = min(w.x0 for w in bullets)
    right = group_lines([w for l in block for w in l.words if w.x0 >= bullet_x - 1])
    return [t for t in (_strip_bullet(join_lines([l.text for l in item])) for item in _bullet_items(right)) if t]


def extract_checklist(path: str | Path, info: DocumentInfo, page_texts: list[str], layout: ChecklistLayout) -> Extraction:
    lines, in_margin = _lines(path)
    text = "\n".join(page_texts[:2])
    m = re.search(layout.qualification_pattern, text, re.I | re.M)
    qualification = Qualification(title=m.group(1).strip() if m else "")
    start = next((i for i, l in enumerate(lines) if re.search(layout.checklist_start, l.text, re.I)), None)
    if start is None:
        return Extraction(document=info, qualification=qualification, warnings=["no checklist found"])
    end = next((i for i, l in enumerate(lines) if i > start and re.search(layout.checklist_end, l.text, re.I)),
               len(lines))
    instr = next((i for i, l in enumerate(lines[:start]) if re.search(layout.units_end, l.text, re.I)), start)
    covered = _covered_units(lines[:instr], layout)
    qualification.listed_units = [ListedUnit(code="", title=t) for t in covered]

    units: list[Unit] = []
    element: Element | None = None
    body = lines[start + 1:end]
    bullet_xs = [l.x0 for l in body if _is_bullet(l)]
    bullet_x = min(bullet_xs) if bullet_xs else 0.0
    heading: list[Line] = []
    heading_box = None

    def flush_heading() -> None:
        nonlocal element
        if not heading:
            return
        title = join_lines([l.text for l in heading])
        heading.clear()
        if re.search(layout.project_pattern, title, re.I):
            return
        # a heading is a unit when it names a covered unit, is set in capitals, or comes first;
        # other headings group items inside the unit (learning outcomes)
        best = max((fuzz.token_sort_ratio(t.lower(), title.lower()) for t in covered), default=0)
        is_unit = best >= UNIT_MATCH or title.isupper() or not units
        if is_unit and units and fuzz.token_sort_ratio(units[-1].title.lower(), title.lower()) >= UNIT_MATCH:
            is_unit = False  # the unit's name repeated as the heading of its first group of items
        if is_unit:
            unit = Unit(code="", title=title, box=heading_box)
            unit.flag("no_code_in_source")
            units.append(unit)
            element = None
        else:
            element = Element(number="", title=title, box=heading_box)
            units[-1].elements.append(element)

    items = _bullet_items(body)
    item_starts = {id(item[0]): item for item in items}
    in_item = set(id(l) for item in items for l in item)
    # a heading printed in a page's top margin is still one when an item (or the heading's next line)
    # follows it as closely as an item's own wrapped lines do: a running header stands apart
    heads_item: set[int] = set()
    for line, below in reversed(list(zip(body, body[1:]))):
        if (id(below) in item_starts or id(below) in heads_item) and below.page == line.page \
                and below.top - line.bottom < ITEM_GAP and line.x0 <= bullet_x + 3:
            heads_item.add(id(line))
    for line in body:
        if id(line) in item_starts:
            flush_heading()
            if not units:
                unit = Unit(code="", title=" / ".join(covered) or qualification.title, box=line.box)
                unit.flag("no_code_in_source")
                if len(covered) > 1:
                    unit.flag("units_not_separated", 0.7)
                units.append(unit)
            if element is None:
                element = Element(number="", title="", box=line.box)
                units[-1].elements.append(element)
            item = item_starts[id(line)]
            text = _strip_bullet(join_lines([l.text for l in item]))
            critical = text.rstrip().endswith("*")
            criterion = Criterion(number="", text=text.rstrip(" *").strip(), box=line.box)
            for l in item[1:]:
                criterion.box = criterion.box.union(l.box)
            if critical:
                criterion.flag("critical")
            element.criteria.append(criterion)
        elif id(line) not in in_item and (id(line) not in in_margin or id(line) in heads_item) \
                and line.x0 <= bullet_x + 3:
            if heading and line.text[:1].islower():
                heading.append(line)
            else:
                flush_heading()
                heading.append(line)
                heading_box = line.box
    flush_heading()
    units = [u for u in units if any(e.criteria for e in u.elements)]
    for u in units:
        u.elements = [e for e in u.elements if e.criteria]
    return Extraction(document=info, qualification=qualification, units=units)
