"""Self-assessment checklists ("Can I ...?"): units covered, then bulleted items grouped under headings.

A self-assessment guide restates a qualification's criteria as questions a candidate ticks. It
prints the units it covers in its header, then a checklist where unit (and sometimes
learning-outcome) headings stand at the left edge and each item starts with a bullet. Items
become criteria of their unit; a trailing "*" marks a critical item and is kept as a flag.

The heading edge is read per page (guides shift their margin from page to page), and a heading set
in the page's top or bottom margin is kept when it stands as close above its first item as the
guide's other headings do. Guides that group units into projects print a shared unit again under
each project: the repeat is one more element of that unit, titled by its project, not a new unit.
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
LOOSE_UNIT_MATCH = 70  # ... or to restate one that no other heading matches better
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
        elif items and bullet_x is not None and line.x0 > bullet_x + 3 and line.page == items[-1][-1].page \
                and line.top - items[-1][-1].bottom < ITEM_GAP:
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

    body = lines[start + 1:end]
    blocks = _blocks(body, in_margin)
    headings = [join_lines([l.text for l in b]) for kind, b in blocks if kind == "heading"]
    decisions = iter(_unit_headings([h for h in headings if not re.search(layout.project_pattern, h, re.I)], covered))

    units: list[Unit] = []
    unit_by_listed: dict[int, Unit] = {}
    unit: Unit | None = None
    element: Element | None = None
    project = ""
    for kind, block in blocks:
        if kind == "heading":
            title = join_lines([l.text for l in block])
            if re.search(layout.project_pattern, title, re.I):
                project = title
                continue
            opens_unit, listed = next(decisions)
            if listed is not None and listed in unit_by_listed:
                # the same unit printed again under another project: one unit, one more group of items
                unit = unit_by_listed[listed]
                element = Element(number="", title=project, box=block[0].box)
                unit.elements.append(element)
            elif opens_unit or unit is None:
                unit = Unit(code="", title=title, box=block[0].box)
                unit.flag("no_code_in_source")
                if listed is not None:
                    unit_by_listed[listed] = unit
                units.append(unit)
                element = None
            else:
                element = Element(number="", title=title, box=block[0].box)
                unit.elements.append(element)
            continue
        if unit is None:
            unit = Unit(code="", title=" / ".join(covered) or qualification.title, box=block[0].box)
            unit.flag("no_code_in_source")
            if len(covered) > 1:
                unit.flag("units_not_separated", 0.7)
            units.append(unit)
        if element is None:
            element = Element(number="", title="", box=block[0].box)
            unit.elements.append(element)
        text = _strip_bullet(join_lines([l.text for l in block]))
        criterion = Criterion(number="", text=text.rstrip(" *").strip(), box=block[0].box)
        for l in block[1:]:
            criterion.box = criterion.box.union(l.box)
        if text.rstrip().endswith("*"):
            criterion.flag("critical")
        element.criteria.append(criterion)
    units = [u for u in units if any(e.criteria for e in u.elements)]
    for u in units:
        u.elements = [e for e in u.elements if e.criteria]
    return Extraction(document=info, qualification=qualification, units=units)


def _blocks(body: list[Line], in_margin: set[int]) -> list[tuple[str, list[Line]]]:
    """The checklist in reading order as ("heading", lines) and ("item", lines) blocks.

    A heading stands at the left edge of its page's items (guides shift the whole page by a few
    points from one page to the next), an item's wrapped lines stand right of its bullet. A line in a
    page's top margin is a heading only when it heads an item (or the next line of a heading) as
    closely as the guide's other headings head theirs: a running header stands apart.
    """
    items = _bullet_items(body)
    item_starts = {id(item[0]): item for item in items}
    in_item = set(id(l) for item in items for l in item)
    lowest = min((l.x0 for l in body if _is_bullet(l)), default=0.0)
    edge: dict[int, float] = {}
    for l in body:
        if _is_bullet(l):
            edge[l.page] = min(edge.get(l.page, l.x0), l.x0)

    def at_edge(line: Line) -> bool:
        return line.x0 <= edge.get(line.page, lowest) + 3

    pairs = [(l, b) for l, b in zip(body, body[1:]) if b.page == l.page and at_edge(l) and id(l) not in in_item]
    gaps = sorted(b.top - l.bottom for l, b in pairs if id(b) in item_starts and id(l) not in in_margin)
    head_gap = max(ITEM_GAP, 1.25 * gaps[len(gaps) // 2]) if gaps else ITEM_GAP
    heads_item: set[int] = set()
    for line, below in reversed(pairs):
        if (id(below) in item_starts or id(below) in heads_item) and below.top - line.bottom < head_gap:
            heads_item.add(id(line))

    blocks: list[tuple[str, list[Line]]] = []
    for line in body:
        if id(line) in item_starts:
            blocks.append(("item", item_starts[id(line)]))
        elif id(line) not in in_item and (id(line) not in in_margin or id(line) in heads_item) and at_edge(line):
            if blocks and blocks[-1][0] == "heading" and line.text[:1].islower():
                blocks[-1][1].append(line)
            else:
                blocks.append(("heading", [line]))
        elif id(line) not in in_item and id(line) not in in_margin and _wraps(blocks, line):
            blocks[-1][1].append(line)
    return blocks


def _wraps(blocks: list[tuple[str, list[Line]]], line: Line) -> bool:
    """Is this indented line the wrapped end of the heading right above it ("... WITH SPECIAL" / "NEEDS")?"""
    if not blocks or blocks[-1][0] != "heading":
        return False
    above = blocks[-1][1][-1]
    return above.page == line.page and line.x0 > above.x0 + 3 and line.top - above.bottom < ITEM_GAP


def _unit_headings(headings: list[str], covered: list[str]) -> list[tuple[bool, int | None]]:
    """For each heading: does it open a unit, and which covered unit does it name (None: none).

    A heading names a covered unit when it matches the listed title closely, or loosely (a guide
    may restate "Practice career professionalism" as "Establish professionalism") while no other
    heading matches that title better; a heading in capitals opens a unit too. The rest are the
    unit's groups of items (learning outcomes), including a unit's name repeated over its first group.
    """
    def score(h: str, t: str) -> float:
        return fuzz.token_sort_ratio(h.lower(), t.lower())

    matches = [max(range(len(covered)), key=lambda i: score(h, covered[i]), default=None) for h in headings]
    # the heading that restates a covered unit most closely, among those whose closest unit it is
    best_heading = [max((score(h, t) for h, m in zip(headings, matches) if m == i), default=0)
                    for i, t in enumerate(covered)]
    decisions: list[tuple[bool, int | None]] = []
    last: str | None = None
    for h, match in zip(headings, matches):
        s = score(h, covered[match]) if match is not None else 0
        names = s >= UNIT_MATCH or (s >= LOOSE_UNIT_MATCH and s >= best_heading[match])
        opens = names or h.isupper()
        if opens and last is not None and score(last, h) >= UNIT_MATCH:
            opens = names = False  # the unit's name repeated as the heading of its first group of items
        decisions.append((opens, match if names else None))
        if opens:
            last = h
    return decisions
