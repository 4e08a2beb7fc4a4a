"""Self-assessment checklists ("Can I ...?"): units covered, then bulleted items grouped under headings.

A self-assessment guide restates a qualification's criteria as questions a candidate ticks. It
prints the units it covers in its header, then a checklist where unit (and sometimes
learning-outcome) headings stand at the left edge and each item starts with a bullet. Items
become criteria of their unit; a trailing "*" marks a critical item and is kept as a flag.

The heading edge is read per page (guides shift their margin from page to page), and a heading set
in the page's top or bottom margin is kept when it stands as close above its first item as the
guide's other headings do. Guides that group units into projects print a shared unit again under
each project: the repeat is one more element of that unit, titled by its project, not a new unit.
A guide may also print several assessments, each with its own header, checklist and declaration (the
full qualification, then one per certificate of competency or project): each is read, a unit that a
later assessment restates gains that assessment's new lines as an element titled by it, and a line
the unit already holds is read once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from mrs_etl.models import (JOINED_UNITS, UNITS_NOT_SEPARATED, Criterion, DocumentInfo, Element, Extraction, ListedUnit,
                            Qualification, Unit)
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
    # the labels of an assessment's header around its own title ("Certificate of Competency 1:")
    assessment_labels: str = r"\b(?:certificate\s+of|competency\s*\d*\s*:|projects?\s*(?:[-–]\s*based)?\s*\d*\s*:?|for\s+full|assessment\s+title\s*:?)"


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
        elif items and bullet_x is not None and line.page == items[-1][-1].page \
                and line.top - items[-1][-1].bottom < ITEM_GAP \
                and (line.x0 > bullet_x + 3 or (line.x0 > bullet_x - 1 and line.text[:1].islower())):
            # some guides set a wrapped line flush with the bullet: a line going on in lower case goes on
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
    sections = _sections(lines, layout)
    if not sections:
        return Extraction(document=info, qualification=qualification, warnings=["no checklist found"])
    units: list[Unit] = []
    stands_for: list[list[str]] = []  # per unit, the covered titles it restates
    listed: list[str] = []
    for n, (header, body) in enumerate(sections):
        covered = _covered_units(header, layout)
        listed += [t for t in covered if all(_score(t, seen) < UNIT_MATCH for seen in listed)]
        name = _section_name(header, layout)
        # an assessment that lists no units is named by its own title (a project), then the qualification's
        for unit, titles in _section_units(body, in_margin, covered, name or qualification.title, layout):
            k = _restated(titles, stands_for) if n else None
            if k is None:
                units.append(unit)
                stands_for.append(titles)
            else:
                _merge(units[k], unit, name or f"Assessment {n + 1}")
    qualification.listed_units = [ListedUnit(code="", title=t) for t in listed]
    return Extraction(document=info, qualification=qualification, units=units)


def _sections(lines: list[Line], layout: ChecklistLayout) -> list[tuple[list[Line], list[Line]]]:
    """(header, checklist) of each assessment the guide prints: a guide for the full qualification may be
    followed by one per certificate of competency or project, each with its own header and declaration."""
    sections = []
    after = 0  # where the previous assessment's declaration ended
    while True:
        start = next((i for i in range(after, len(lines)) if re.search(layout.checklist_start, lines[i].text, re.I)),
                     None)
        if start is None:
            return sections
        end = next((i for i in range(start + 1, len(lines)) if re.search(layout.checklist_end, lines[i].text, re.I)),
                   len(lines))
        header = lines[after:start]
        instructions = next((i for i, l in enumerate(header) if re.search(layout.units_end, l.text, re.I)), len(header))
        sections.append((header[:instructions], lines[start + 1:end]))
        # the declaration runs on to the candidate's name or signature: skip past its lines
        after = next((i for i in range(end + 1, len(lines)) if re.search(layout.qualification_pattern, lines[i].text, re.I)
                      or re.search(layout.checklist_start, lines[i].text, re.I)), len(lines))


def _section_name(header: list[Line], layout: ChecklistLayout) -> str:
    """The assessment's own title ('BREAD MAKING', a project's name): the header between the qualification
    and the units covered, without its labels."""
    opening = next((i for i, l in enumerate(header) if re.search(layout.qualification_pattern, l.text, re.I)), -1)
    start = next((i for i, l in enumerate(header) if re.search(layout.units_label, l.text, re.I)), len(header))
    # the units covered may start above their label's line: the title ends at the first bulleted line
    lines = header[opening + 1:start]
    first_bullet = next((i for i, l in enumerate(lines) if _is_bullet(l)), len(lines))
    text = " ".join(w.text for l in lines[:first_bullet] for w in l.words if w.text not in BULLET_GLYPHS)
    return re.sub(r"\s+", " ", re.sub(layout.assessment_labels, " ", text, flags=re.I)).strip(" :")


def _score(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(a.lower(), b.lower())


def _restated(titles: list[str], stands_for: list[list[str]]) -> int | None:
    """The unit already read whose covered titles include every title a later assessment's unit restates."""
    for k, known in enumerate(stands_for):
        if titles and all(any(_score(t, u) >= UNIT_MATCH for u in known) for t in titles):
            return k
    return None


def _line_key(text: str) -> str:
    """An item's words, for telling a line printed again from a new one."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def _merge(unit: Unit, again: Unit, assessment: str) -> None:
    """A unit printed again by a later assessment: its items not already in the unit, as one more element
    titled by that assessment (a certificate's checklist repeats most of the full qualification's lines)."""
    known = {_line_key(c.text) for e in unit.elements for c in e.criteria}
    new = [c for e in again.elements for c in e.criteria if _line_key(c.text) not in known]
    if new:
        unit.elements.append(Element(number="", title=assessment, box=new[0].box, criteria=new))


def _section_units(body: list[Line], in_margin: set[int], covered: list[str], fallback_title: str,
                   layout: ChecklistLayout) -> list[tuple[Unit, list[str]]]:
    """One assessment's checklist as units, each with the covered titles it restates."""
    blocks = _blocks(body, in_margin, covered)
    headings = [join_lines([l.text for l in b]) for kind, b in blocks if kind == "heading"]
    decisions = iter(_unit_headings([h for h in headings if not re.search(layout.project_pattern, h, re.I)], covered))

    units: list[tuple[Unit, list[str]]] = []
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
                units.append((unit, [title] + ([covered[listed]] if listed is not None else [])))
                element = None
            else:
                element = Element(number="", title=title, box=block[0].box)
                unit.elements.append(element)
            continue
        if unit is None:
            unit = Unit(code="", title=JOINED_UNITS.join(covered) or fallback_title, box=block[0].box)
            unit.flag("no_code_in_source")
            if len(covered) > 1:
                unit.flag(UNITS_NOT_SEPARATED, 0.7)
            units.append((unit, list(covered) or [unit.title]))
        if element is None:
            element = Element(number="", title="", box=block[0].box)
            unit.elements.append(element)
        text = _strip_bullet(join_lines([l.text for l in block]))
        if _line_key(text) in {_line_key(c.text) for e in unit.elements for c in e.criteria}:
            continue  # the unit printed again under another project repeats this line: it is read once
        criterion = Criterion(number="", text=text.rstrip(" *").strip(), box=block[0].box)
        for l in block[1:]:
            criterion.box = criterion.box.union(l.box)
        if text.rstrip().endswith("*"):
            criterion.flag("critical")
        element.criteria.append(criterion)
    kept = [(u, t) for u, t in units if any(e.criteria for e in u.elements)]
    for u, _ in kept:
        u.elements = [e for e in u.elements if e.criteria]
    return kept


def _blocks(body: list[Line], in_margin: set[int], covered: list[str] = ()) -> list[tuple[str, list[Line]]]:
    """The checklist in reading order as ("heading", lines) and ("item", lines) blocks.

    A heading stands at the left edge of its page's items (guides shift the whole page by a few
    points from one page to the next), an item's wrapped lines stand right of its bullet. A line in a
    page's top margin is a heading only when it heads an item (or the next line of a heading) as
    closely as the guide's other headings head theirs, or when it is the title of one of the units
    `covered` and heads an item: a running header stands apart.
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
    head_gap = _head_gap(body, in_margin)
    heads_item: set[int] = set()
    for line, below in reversed(pairs):
        if (id(below) in item_starts or id(below) in heads_item) and below.top - line.bottom < head_gap:
            heads_item.add(id(line))
    # a covered unit's title in a margin heads the next item, even over a page break (a title printed in
    # the foot of a page, its items on the next)
    for k, line in enumerate(body):
        if id(line) in in_margin and at_edge(line) and id(line) not in in_item \
                and any(_score(line.text, title) >= UNIT_MATCH for title in covered):
            after = next((b for b in body[k + 1:] if id(b) not in in_margin or id(b) in item_starts), None)
            if after is not None and id(after) in item_starts:
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


def _head_gap(body: list[Line], in_margin: set[int]) -> float:
    """How far below a heading its first item stands in this guide (1.25 x the median, ITEM_GAP at least)."""
    items = _bullet_items(body)
    starts = {id(item[0]) for item in items}
    in_item = {id(l) for item in items for l in item}
    edge: dict[int, float] = {}
    for l in body:
        if _is_bullet(l):
            edge[l.page] = min(edge.get(l.page, l.x0), l.x0)
    gaps = sorted(b.top - l.bottom for l, b in zip(body, body[1:])
                  if b.page == l.page and id(b) in starts and id(l) not in in_item and id(l) not in in_margin
                  and l.x0 <= edge.get(l.page, 0.0) + 3)
    return max(ITEM_GAP, 1.25 * gaps[len(gaps) // 2]) if gaps else ITEM_GAP


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
