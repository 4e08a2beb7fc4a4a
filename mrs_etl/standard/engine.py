"""Extracting a competency standard: pages -> unit blocks -> regions -> hierarchy with provenance."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from mrs_etl.models import (Criterion, DocumentInfo, Element, EvidenceItem, Extraction, ListedUnit, ListItem,
                            Qualification, RangeVariable, Unit)
from mrs_etl.pdf.lines import Line, Word, group_lines
from mrs_etl.standard.arrangements import read_arrangements
from mrs_etl.standard.columns import (MIN_COLUMN_WIDTH, RULE_CLUSTER, Column, assign_roles, column_texts,
                                      columns_from_boundaries, covered_length, gap_columns, numbered_columns,
                                      inherit_roles, label_columns, roles_found, ruled_boundaries)
from mrs_etl.standard.headings import heading_at, owned_by_heading
from mrs_etl.standard.items import Item, realign_offset_numbers, segment, side_by_side_apart, without_prefix
from mrs_etl.standard.layout import StandardLayout
from mrs_etl.standard.numbering import parse_number
from mrs_etl.standard.pages import PageContent, read_pages
from mrs_etl.standard.text import clean_value, join_lines

HEADER_LOOKAHEAD = 6  # a table header's labels may wrap over up to this many lines
HEADER_RULE_REACH = 60.0  # the rule closing a header row lies within this distance below its labels


@dataclass
class Region:
    kind: str  # criteria | range | evidence
    lines: list[Line] = field(default_factory=list)


@dataclass
class UnitBlock:
    category: str | None
    fields: dict[str, list[str]] = field(default_factory=dict)
    field_order: list[str] = field(default_factory=list)
    first_line: Line | None = None
    regions: list[Region] = field(default_factory=list)
    in_header: bool = True


# ----------------------------------------------------------------------------------------------
# Which pages to read
# ----------------------------------------------------------------------------------------------

def plan_pages(page_texts: list[str], layout: StandardLayout) -> list[int]:
    """Pages worth a full parse: the unit list before the first unit, then the units up to the end.

    Triage runs on pypdfium2's fast text, so the training-standards and annex pages after the
    competency standards (where the sweep stops anyway) are never parsed with pdfplumber.
    """
    first = next((i for i, t in enumerate(page_texts)
                  if any(layout.label_re.match(line) for line in t.splitlines())), None)
    if first is None:
        return [i + 1 for i, t in enumerate(page_texts) if t.strip()]
    end = next((i for i in range(first, len(page_texts))
                if any(p.match(line.strip()) for line in page_texts[i].splitlines() for p in layout.end_res)),
               len(page_texts) - 1)
    wanted = [i for i in range(first) if layout.code_search_re.search(page_texts[i])
              or layout.code_search_re.search(re.sub(r"(?<=\d) (?=\d)", "", page_texts[i]))]
    wanted += [i for i in range(first, end + 1) if page_texts[i].strip()]
    return [i + 1 for i in wanted]


# ----------------------------------------------------------------------------------------------
# Sweep: lines -> unit blocks and regions
# ----------------------------------------------------------------------------------------------

LABEL_SIMILARITY = 88  # a misprinted label ("UNIT OF MPETENCY", "DESCRIPTON") still opens its field


def _label(line: Line, layout: StandardLayout) -> tuple[str, str] | None:
    m = layout.label_re.match(line.text)
    if not m:
        return _misprinted_label(line.text, layout)
    name = next(k for k in ("title", "code", "descriptor", "hours") if m.groupdict().get(k))
    rest = line.text[m.end():]
    if m.group("colon") or (name == "code" and layout.normalise_code(rest)):
        return name, rest
    return None


WRAPPED_LABEL_WORDS = 3  # a label wrapped in its narrow column leaves at most this many words on the first line


def _wrapped_label(line: Line, following: Line | None, layout: StandardLayout) -> tuple[str, str] | None:
    """A label wrapped over two lines ("UNIT OF" / "COMPETENCY :"), its value beside both lines.

    The first line holds the label's first words and the start of the value; the next line the
    rest of the label, its colon and the rest of the value.
    """
    if following is None or following.page != line.page or following.top - line.bottom > 2 * line.height:
        return None
    for k in range(1, min(WRAPPED_LABEL_WORDS, len(line.words)) + 1):
        head = " ".join(w.text for w in line.words[:k])
        joined = f"{head} {following.text}"
        m = layout.label_re.match(joined)
        if not m or not m.group("colon") or m.end() <= len(head) + 1:
            continue
        name = next(n for n in ("title", "code", "descriptor", "hours") if m.groupdict().get(n))
        value = " ".join(w.text for w in line.words[k:])
        return name, f"{value} {joined[m.end():].strip()}".strip()
    return None


def _misprinted_label(text: str, layout: StandardLayout) -> tuple[str, str] | None:
    prefix, colon, rest = text.partition(":")
    prefix = " ".join(prefix.split())
    if not colon or not 6 <= len(prefix) <= 35 or not prefix.isupper():
        return None
    fields = (("title", layout.title_labels), ("code", layout.code_labels),
              ("descriptor", layout.descriptor_labels), ("hours", layout.hours_labels))
    score, name = max(((fuzz.ratio(prefix, label), name) for name, labels in fields for label in labels),
                      default=(0, None))
    return (name, rest) if score >= LABEL_SIMILARITY else None


def _is_heading(line: Line, pattern: re.Pattern, headings: tuple[str, ...]) -> bool:
    """A section heading set apart by capitals or bold; a misprint ("RANGE OF VAIABLES") still counts."""
    text = line.text.strip()
    if not (text.isupper() or line.bold) or all(w.italic for w in line.words):
        return False
    if pattern.match(text):
        return True
    return len(text) <= 40 and max((fuzz.ratio(text.upper().rstrip(":"), h) for h in headings), default=0) >= LABEL_SIMILARITY


def _is_label_word(word: Word, layout: StandardLayout) -> bool:
    """A word of a column label as a header prints it: in capitals, or in bold ("Elements")."""
    text = word.text.strip(":")
    return text.upper() in layout.label_words and (text.isupper() or word.bold)


def _header_block_roles(page: PageContent, lines: list[Line], role_res: dict[str, re.Pattern]) -> set[str]:
    """Column roles whose labels stand in these lines, read column by column (labels may wrap)."""
    words = [w for l in lines for w in l.words]
    if not words:
        return set()
    columns = columns_from_boundaries(ruled_boundaries(page, min(w.top for w in words), max(w.bottom for w in words)))
    if len(columns) < 2:
        columns = gap_columns(words)
    return roles_found(column_texts(columns, words), role_res)


def _table_header_at(page: PageContent, i: int, layout: StandardLayout) -> bool:
    """A criteria-table header row starts at line i when element and criteria labels follow."""
    lines = page.lines
    # the row opens with a label word in capitals or capitalised: a bold descriptor's wrapped line
    # ("required in welding ...") may start with a label word in lower case, and is no header row
    if not any(_is_label_word(w, layout) and w.text[:1].isupper() for w in lines[i].words[:3]):
        return False
    return {"element", "criteria"} <= _header_block_roles(page, lines[i:i + HEADER_LOOKAHEAD], layout.column_res)


def _in_table_header(region: Region | None) -> bool:
    """Whether the lines read so far are still a criteria table's header row (no numbered row yet)."""
    return (region is not None and region.kind == "criteria" and len(region.lines) < HEADER_LOOKAHEAD
            and not any(parse_number(l.text) for l in region.lines))


def sweep(pages: list[PageContent], layout: StandardLayout) -> tuple[list[UnitBlock], list[Line]]:
    blocks: list[UnitBlock] = []
    preamble: list[Line] = []
    block: UnitBlock | None = None
    region: Region | None = None
    category = None
    header_at = (0, 0)  # page and line where the last criteria header row began
    for page in pages:
        lines = page.lines
        skip = -1
        for i, line in enumerate(lines):
            if i == skip:
                continue  # the second line of a wrapped label, read with the first
            text = line.text.strip()
            if blocks and any(p.match(text) for p in layout.end_res):
                return _merge_restated(blocks), preamble
            if region is not None and any(p.match(text) for p in layout.table_end_res):
                region = None  # sign-off rows close the table; what follows until the next unit is not content
                continue
            if len(text) < 80 and (cat := layout.category_heading(text)) and not layout.label_re.match(text):
                category = cat
                region = None
                if block is not None:
                    block.in_header = False
                if not blocks:
                    preamble.append(line)
                continue
            label = _label(line, layout)
            if not label and (label := _wrapped_label(line, lines[i + 1] if i + 1 < len(lines) else None, layout)):
                skip = i + 1
            if label:
                name, rest = label
                if block is None or not block.in_header or name in block.fields:
                    block = UnitBlock(category=category, first_line=line)
                    blocks.append(block)
                    region = None
                block.fields[name] = [rest]
                block.field_order.append(name)
                continue
            if block is None:
                preamble.append(line)
                if layout.lists_unit(text):
                    category = None  # the heading was the unit list's: the units' own headings come later
                continue
            kind = ("criteria" if _table_header_at(page, i, layout) else
                    "range" if _is_heading(line, layout.range_re, layout.range_headings) else
                    "evidence" if _is_heading(line, layout.evidence_re, layout.evidence_headings) else None)
            if kind in ("range", "evidence") and (_in_table_header(region) or (
                    header_at[0] == page.number and 0 < i - header_at[1] < HEADER_LOOKAHEAD
                    and not any(parse_number(l.text) for l in lines[header_at[1]:i]))):
                kind = None  # the header note's "Range of Variables", set in bold in its cell
            if kind == "criteria":
                header_at = (page.number, i)
            if kind == "criteria" and block.regions and block.regions[-1].kind == "criteria":
                region = block.regions[-1]  # the header row repeated on a continuation page
                region.lines.append(line)
            elif kind:
                region = Region(kind, [line])
                block.regions.append(region)
                block.in_header = False
            elif block.in_header and block.field_order:
                block.fields[block.field_order[-1]].append(line.text)
            elif region is not None:
                region.lines.append(line)
    return _merge_restated(blocks), preamble


def _merge_restated(blocks: list[UnitBlock]) -> list[UnitBlock]:
    """A header restated above its table ("Unit 1: <title>" after the labelled header): one unit.

    A block without a code that follows a coded block which has no criteria table yet gives that
    block its regions.
    """
    out: list[UnitBlock] = []
    for block in blocks:
        previous = out[-1] if out else None
        if previous is not None and "code" not in block.fields and "code" in previous.fields \
                and not any(r.kind == "criteria" for r in previous.regions) and block.regions:
            previous.regions.extend(block.regions)
            continue
        out.append(block)
    return out


# ----------------------------------------------------------------------------------------------
# Tables and lists
# ----------------------------------------------------------------------------------------------

def _by_page(lines: list[Line]) -> list[tuple[int, list[Line]]]:
    out: list[tuple[int, list[Line]]] = []
    for line in lines:
        if out and out[-1][0] == line.page:
            out[-1][1].append(line)
        else:
            out.append((line.page, [line]))
    return out


def _header_bottom(page: PageContent, header_lines: list[Line], body: list[Line], left: float, right: float) -> float:
    """Bottom of a header row: the first rule under its labels that spans the table, else the labels' bottom.

    Tables drawn cell by cell have no single wide rule: segments at the same height count together.
    The cut never passes the first numbered line of the body, so a missed header rule cannot take
    the first row with it.
    """
    last = header_lines[-1]
    below_labels = (last.top + last.bottom) / 2
    label_bottom = max(l.bottom for l in header_lines)
    first_item = min((l.top for l in body if l.top > label_bottom and any(
        parse_number(w.text) for w in l.words)), default=float("inf"))
    width = max(right - left, 1.0)
    rows: dict[int, list[tuple[float, float]]] = {}
    for rule in page.hrules:
        if below_labels <= rule.top <= min(label_bottom + HEADER_RULE_REACH, first_item):
            rows.setdefault(round(rule.top / 2), []).append((max(rule.x0, left), min(rule.x1, right)))
    for key in sorted(rows):
        if covered_length([(a, b) for a, b in rows[key] if b > a]) >= 0.4 * width:
            return key * 2
    return label_bottom


def _header_lines(page: PageContent, lines: list[Line], layout: StandardLayout,
                  role_res: dict[str, re.Pattern]) -> list[Line]:
    """The leading lines of a region that form a header row (labels of two columns or more)."""
    head = lines[:HEADER_LOOKAHEAD]
    first_row = next((k for k, l in enumerate(head) if parse_number(without_prefix(l.text, layout.element_prefix_re))),
                     len(head))
    head = head[:first_row]  # a header row ends where the first numbered row begins
    if len(_header_block_roles(page, head, role_res)) < 2:
        return []
    last = max((k for k, l in enumerate(head) if any(_is_label_word(w, layout) for w in l.words)),
               default=-1)
    return head[:last + 1]


def _columns_for(page: PageContent, lines: list[Line], header: list[Line], role_res: dict[str, re.Pattern],
                 previous: list[Column], numbered: bool) -> list[Column]:
    """The table's columns on this page.

    With a header row, only rules that cross the header count: cells of data rows may be split by
    rules of their own (a numbers sub-column), which are not columns of the table. A continuation
    page keeps the previous page's columns while its rules agree with them.
    """
    words = [w for l in lines for w in l.words]
    top = min(w.top for w in words)
    bottom = max(w.bottom for w in words)
    left = min(w.x0 for w in words) - 1
    right = max(w.x1 for w in words) + 1
    bounds = ruled_boundaries(page, top, bottom)
    if header:
        header_bounds = ruled_boundaries(page, min(l.top for l in header), max(l.bottom for l in header))
        header_words = [w for l in header for w in l.words]
        # a header cell holding two columns' labels ("LO (Learning outcome) Performance Criteria") is a
        # merged cell: the body's rules split the table then
        merged = any(len(roles_found([t], role_res)) >= 2
                     for t in column_texts(columns_from_boundaries(header_bounds), header_words))
        if len(header_bounds) >= 3 and not merged:
            below = max(l.bottom for l in header)
            bounds = _numbers_join_their_column(header_bounds, bounds, [w for w in words if w.top > below])
    elif previous and all(any(abs(b - x) <= 6 for b in bounds) for x in [previous[0].x0] + [c.x1 for c in previous]):
        return previous
    columns = columns_from_boundaries(bounds)
    if len(columns) < 2 and numbered:
        columns = numbered_columns(lines, left, right)
    if len(columns) < 2:
        if header:
            columns = label_columns(header, role_res, left, right)
        elif previous:
            return previous
        else:
            return [Column(left, right)]
    if header:
        header_words = [w for l in header for w in l.words]
        below = max(l.bottom for l in header)
        columns = _merge_number_columns(assign_roles(columns, header_words, role_res),
                                        [w for w in words if w.top > below])
    else:
        columns = inherit_roles(columns, previous)
    return columns


NUMBER_COLUMN_WIDTH = 40.0  # a ruled sub-column this narrow, holding only item numbers, is part of the next column


def _numbers_join_their_column(header_bounds: list[float], body_bounds: list[float], body_words: list[Word]) -> list[float]:
    """The header's column boundaries, a boundary moved left where the body rules off a strip of numbers before it.

    A header cell may span the column before the criteria and the criteria's ruled strip of item
    numbers ("LO (Learning outcome)" over "LO 1" | "1.1" | "Identify ..."): the header's boundary
    then puts the numbers in the wrong column. Numbers number the text to their right, so a body
    rule that cuts a narrow numbers-only strip off the left of a header boundary becomes the boundary.
    """
    bounds = list(header_bounds)
    for b in body_bounds:
        if any(abs(b - h) <= RULE_CLUSTER for h in bounds):
            continue
        right = next((k for k, h in enumerate(bounds) if 0 < h - b < NUMBER_COLUMN_WIDTH), None)
        if right is None or (right > 0 and bounds[right - 1] >= b - MIN_COLUMN_WIDTH):
            continue
        held = [w for w in body_words if b - 1 <= w.xmid < bounds[right] + 1]
        if len(held) >= 2 and all(parse_number(w.text) for w in held):
            bounds[right] = b
    return bounds


def _merge_number_columns(columns: list[Column], words: list[Word]) -> list[Column]:
    """A criteria column whose item numbers sit in a ruled sub-column of their own ("1.1" | "Identify ...")."""
    out: list[Column] = []
    for col in columns:
        if out and out[-1].role is None and out[-1].x1 - out[-1].x0 < NUMBER_COLUMN_WIDTH and col.role:
            held = [w for w in words if out[-1].holds(w)]
            if held and all(parse_number(w.text) for w in held):
                out[-1] = Column(out[-1].x0, col.x1, col.role)
                continue
        out.append(col)
    return out


@dataclass
class ColumnStream:
    """The lines of each column of a table, page after page, with the header rows removed."""
    pages: list[list[tuple[Column, list[Line]]]]

    def lines_of(self, role: str) -> list[list[Line]]:
        return [[l for col, ls in cols if col.role == role for l in ls] for cols in self.pages]


def read_table(region: Region, pages_by_number: dict[int, PageContent], role_res: dict[str, re.Pattern],
               layout: StandardLayout, skip_first_line: bool, numbered: bool = False) -> ColumnStream:
    previous: list[Column] = []
    out = []
    for page_number, lines in _by_page(region.lines[1:] if skip_first_line else region.lines):
        page = pages_by_number[page_number]
        header = _header_lines(page, lines, layout, role_res) if role_res else []
        columns = _columns_for(page, lines, header, role_res, previous, numbered)
        previous = columns
        words = [w for l in lines for w in l.words]
        if header:
            cut = _header_bottom(page, header, lines, columns[0].x0, columns[-1].x1)
            words = [w for w in words if w.top >= cut - 1]
        per_column: dict[int, list[Word]] = {}
        for w in words:
            idx = next((i for i, c in enumerate(columns) if c.holds(w)), None)
            if idx is None:
                idx = min(range(len(columns)),
                          key=lambda i: min(abs(columns[i].x0 - w.xmid), abs(columns[i].x1 - w.xmid)))
            per_column.setdefault(idx, []).append(w)
        out.append([(columns[i], _content_lines(group_lines(per_column[i]), layout)) for i in sorted(per_column)])
    return ColumnStream(out)


def _content_lines(lines: list[Line], layout: StandardLayout) -> list[Line]:
    """A column's lines without header-row text: label-only cells, and header notes above the first item.

    Notes ("Italicized terms are elaborated in the Range of Variables") are only dropped above the
    column's first numbered item, so a criterion that happens to end "... range of variables." keeps it.
    """
    first_item = next((i for i, l in enumerate(lines) if parse_number(l.text)), len(lines))
    return [l for i, l in enumerate(lines)
            if not _is_label_only(l, layout) and not (i < first_item and layout.is_noise(l.text))]


def _is_label_only(line: Line, layout: StandardLayout) -> bool:
    """A cell holding only a column label: a header row repeated inside the table."""
    return all(w.text.strip(":").isupper() and _is_label_word(w, layout) for w in line.words)


def _items_in(stream: ColumnStream, role: str, min_depth: int, max_depth: int = 9,
              prefix: re.Pattern | None = None, pages_by_number: dict[int, PageContent] | None = None) -> list[Item]:
    items: list[Item] = []
    for lines in stream.lines_of(role):
        carry = items[-1] if items else None
        new, leading = segment(lines, min_depth, max_depth, carry=carry, prefix=prefix)
        if new and pages_by_number is not None:
            _text_above_numbers(new, carry, leading, pages_by_number[new[0].page])
        items.extend(new)
    return items


def _text_above_numbers(items: list[Item], carry: Item | None, leading: list[Line], page: PageContent) -> None:
    """Lines printed above an item's number inside its ruled row move to that item.

    A row whose number is centred beside its text ("Assess the height and" / "nature of the work
    to" / "1.1 choose suitable access" / "equipment.") prints the first lines above the number: by
    position they would continue the item before, or be lost before a page's first item. Only in
    a column that rules every row: a line moves when a rule separates it from the number above it
    and none separates it from the number below it.
    """
    numbers = [it.number_line for it in items]
    text_x = sorted(l.x0 for it in items for l in it.lines if not parse_number(l.text)) or [numbers[0].x0]
    x = text_x[len(text_x) // 2] + 2

    def rules_between(upper: float, lower: float) -> bool:
        return any(upper < r.top < lower and r.x0 - 1 <= x <= r.x1 + 1 for r in page.hrules)

    pairs = list(zip(numbers, numbers[1:]))
    if not pairs or not all(rules_between(a.bottom, b.top) for a, b in pairs):
        return  # rows not ruled one by one: position alone cannot tell whose text a line is
    for k, item in enumerate(items):
        owner = items[k - 1] if k else carry
        before = owner.lines[owner.above + 1:] if owner is not None else leading
        above_number = numbers[k - 1] if k else (owner.number_line if owner is not None else None)
        moving: list[Line] = []
        for line in reversed(before):
            if line.page != page.number or rules_between(line.top, item.number_line.top) or \
                    not rules_between(above_number.bottom if above_number and above_number.page == page.number
                                      else float("-inf"), line.top):
                break
            moving.insert(0, line)
        if not moving:
            continue
        if owner is not None:
            del owner.lines[len(owner.lines) - len(moving):]
            del owner.texts[len(owner.texts) - len(moving):]
            if owner is carry and not owner.spans_pages and "split_across_pages" in owner.flags:
                owner.flags.remove("split_across_pages")
        else:
            del leading[len(leading) - len(moving):]
        item.lines[:0] = moving
        item.texts[:0] = [l.text for l in moving]
        item.above += len(moving)
        item.flags.append("text_above_number")


ROW_RULE_WIDTH = 60.0  # a horizontal rule at least this wide separates table rows


def _row_position(item: Item, pages_by_number: dict[int, PageContent]) -> tuple[int, float]:
    """Where an item stands for ownership: the top of its ruled row, else its own top.

    A criterion's first line may sit a little above its element's number inside the same row
    (vertically centred cells); rows, not raw tops, decide which element it belongs to.
    """
    page, top = item.position
    rules = [r.top for r in pages_by_number[page].hrules if r.x1 - r.x0 >= ROW_RULE_WIDTH and r.top <= top + 1]
    return (page, max(rules)) if rules else (page, top)


def _number_flags(numbers: list[str], node_flags: list[list[str]]) -> None:
    seen = set()
    for n, flags in zip(numbers, node_flags):
        if n and n in seen:
            flags.append("number_repeated")
        seen.add(n)


def _claim_by_number(elements: list[Element]) -> None:
    """An element left without criteria takes back the criteria numbered after it.

    When an element's number and its criteria sit in different rows of the table, position hands
    the criteria to a neighbouring element ("2.1"-"2.7" under element 4, element 2 empty). Their
    numbers say where they belong; they move only to an element that is otherwise empty and
    whose number no other element shares, so a numbering typo in a full table stays as printed.
    """
    numbers = [e.number for e in elements]
    for target in elements:
        if target.criteria or not target.number or numbers.count(target.number) != 1:
            continue
        for el in elements:
            if el is target or el.number == target.number:
                continue
            moving = [c for c in el.criteria if c.number.split(".")[0] == target.number and "." in c.number]
            if moving:
                target.criteria.extend(moving)
                el.criteria = [c for c in el.criteria if all(c is not m for m in moving)]
                for c in moving:
                    c.flag("owner_from_number", 0.9)
        target.criteria.sort(key=lambda c: (c.box.page, c.box.top) if c.box else (0, 0))


def parse_criteria(region: Region, pages_by_number: dict[int, PageContent], layout: StandardLayout) -> list[Element]:
    stream = read_table(region, pages_by_number, layout.column_res, layout, skip_first_line=False, numbered=True)
    element_items = _items_in(stream, "element", 1, 3, prefix=layout.element_prefix_re)
    criteria_items = _items_in(stream, "criteria", 2, pages_by_number=pages_by_number) or \
        _items_in(stream, "criteria", 1, pages_by_number=pages_by_number)
    realign_offset_numbers(criteria_items)
    elements = [Element(number=it.number, title=it.text(layout.dehyphenate), box=it.box) for it in element_items]
    starts = [(_row_position(it, pages_by_number), idx) for idx, it in enumerate(element_items)]

    def attach(items: list[Item], add) -> None:
        for it in items:
            idx = heading_at(_row_position(it, pages_by_number), starts)
            if idx is None:
                if not elements or elements[0].number != "":
                    elements.insert(0, Element(number="", title="", box=it.box))
                    elements[0].flag("element_missing", 0.5)
                    starts[:] = [(p, i + 1) for p, i in starts]
                idx = 0
            add(elements[idx], it)

    def add_criterion(el: Element, it: Item) -> None:
        c = Criterion(number=it.number, text=it.text(layout.dehyphenate), box=it.box)
        for f in it.flags:
            c.flag(f, 0.8 if f == "number_beside_previous_text" else 0.95)
        if it.style != "decimal":
            c.flag("unnumbered", 0.9)
        el.criteria.append(c)

    attach(criteria_items, add_criterion)
    for role, attr in (("knowledge", "required_knowledge"), ("skills", "required_skills")):
        items = _items_in(stream, role, 1)
        attach(items, lambda el, it, attr=attr: getattr(el, attr).append(
            ListItem(number=it.number, text=it.text(layout.dehyphenate), box=it.box)))
    _claim_by_number(elements)
    for el in elements:
        _number_flags([c.number for c in el.criteria], [c.flags for c in el.criteria])
        for c in el.criteria:
            if "number_repeated" in c.flags:
                c.confidence = min(c.confidence, 0.9)
        if not el.criteria:
            el.flag("no_criteria", 0.6)
    _number_flags([e.number for e in elements], [e.flags for e in elements])
    return elements


def _two_level(region: Region, pages_by_number: dict[int, PageContent], layout: StandardLayout,
               role_res: dict[str, re.Pattern]) -> list[tuple[Item | None, list[Item]]]:
    """Headings with their items: a ruled 2-column table (heading | items) or a numbered list."""
    stream = read_table(region, pages_by_number, role_res, layout, skip_first_line=True, numbered=True)
    groups: list[tuple[Item | None, list[Item]]] = []
    if max((len(cols) for cols in stream.pages), default=1) >= 2:
        # ruled table: the leftmost column holds headings, the others hold the items
        headings: list[Item] = []
        items: list[Item] = []
        first = next(cols for cols in stream.pages if cols)[0][0]
        heading_x = (first.x0 + first.x1) / 2  # the heading column is where the first page has it
        for cols in stream.pages:
            left_lines = [l for col, ls in cols if col.x0 - 1 <= heading_x < col.x1 + 1 for l in ls]
            right_lines = sorted((l for col, ls in cols if not col.x0 - 1 <= heading_x < col.x1 + 1 for l in ls),
                                 key=lambda l: (l.page, l.top, l.x0))
            new_h, lead_h = segment(left_lines, 1, 9, carry=headings[-1] if headings else None)
            if not new_h and lead_h and not headings:
                new_h = [Item("", "plain", 1, lead_h, [l.text for l in lead_h])]
            headings.extend(new_h)
            for stream in side_by_side_apart(right_lines):
                new_i, lead_i = segment(stream, 1, 9, carry=items[-1] if items else None)
                if lead_i:  # text before any numbered item: an unnumbered item of its own
                    new_i.insert(0, Item("", "plain", 1, lead_i, [l.text for l in lead_i]))
                items.extend(new_i)
        groups = [(h, []) for h in headings]
        orphans: list[Item] = []
        for it, idx in owned_by_heading(items, headings):
            (orphans if idx is None else groups[idx][1]).append(it)
        return ([(None, orphans)] if orphans else []) + groups
    # numbered list: depth-1 numbers are headings, deeper numbers items
    lines = [l for cols in stream.pages for _, ls in cols for l in ls]
    items, leading = segment(lines, 1, 9)
    current: tuple[Item | None, list[Item]] | None = None
    for it in items:
        if it.style == "decimal" and it.depth == 1:
            # wrapped heading lines continue in lower case; a capitalised line is a paragraph under it
            k = 1
            while k < len(it.lines) and it.texts[k][:1].islower():
                k += 1
            current = (Item(it.number, it.style, 1, it.lines[:k], it.texts[:k]), [])
            groups.append(current)
            if k < len(it.lines):
                current[1].append(Item("", "plain", 2, it.lines[k:], it.texts[k:]))
        else:
            if current is None:
                current = (None, [])
                groups.append(current)
            current[1].append(it)
    return groups


def parse_range(region: Region, pages_by_number: dict[int, PageContent], layout: StandardLayout) -> list[RangeVariable]:
    out = []
    for heading, items in _two_level(region, pages_by_number, layout, layout.range_column_res):
        if heading is None:
            continue
        rv = RangeVariable(number=heading.number, variable=heading.text(layout.dehyphenate), box=heading.box)
        rv.items = [ListItem(number=i.number, text=i.text(layout.dehyphenate), box=i.box) for i in items
                    if i.text(layout.dehyphenate)]
        if rv.variable:
            out.append(rv)
    return out


def parse_evidence(region: Region, pages_by_number: dict[int, PageContent], layout: StandardLayout) -> list[EvidenceItem]:
    out = []
    for heading, items in _two_level(region, pages_by_number, layout, {}):
        head_text = heading.text(layout.dehyphenate) if heading else ""
        aspect = layout.aspect_of(head_text) if head_text else "other"
        if not items and heading is not None:
            out.append(EvidenceItem(aspect=aspect, heading=head_text, number=heading.number, text=head_text,
                                    box=heading.box))
        for it in items:
            text = it.text(layout.dehyphenate)
            if text:
                out.append(EvidenceItem(aspect=aspect, heading=head_text, number=it.number, text=text, box=it.box))
    return out


# ----------------------------------------------------------------------------------------------
# Units, the unit list, the qualification
# ----------------------------------------------------------------------------------------------

def _hours(text: str) -> float | None:
    m = re.search(r"(\d+(?:\.\d+)?)", text or "")
    return float(m.group(1)) if m else None


def build_unit(block: UnitBlock, pages_by_number: dict[int, PageContent], layout: StandardLayout) -> Unit:
    fields = {k: join_lines(v, layout.dehyphenate) for k, v in block.fields.items()}
    raw_code = clean_value(fields.get("code", ""))
    code = layout.normalise_code(raw_code)
    unit = Unit(code=code or raw_code, title=clean_value(fields.get("title", "")),
                descriptor=clean_value(fields.get("descriptor", "")), category=block.category,
                nominal_hours=_hours(fields.get("hours", "")) if "hours" in fields else None,
                box=block.first_line.box if block.first_line else None)
    if not code:
        unit.flag("code_not_recognised", 0.6)
    if not unit.title:
        unit.flag("title_missing", 0.6)
    for region in block.regions:
        if region.kind == "criteria":
            unit.elements.extend(parse_criteria(region, pages_by_number, layout))
        elif region.kind == "range":
            unit.range_variables.extend(parse_range(region, pages_by_number, layout))
        elif region.kind == "evidence":
            unit.evidence_guide.extend(parse_evidence(region, pages_by_number, layout))
    if not unit.elements:
        unit.flag("no_elements", 0.5)
    return unit


_NUMBER = re.compile(r"\d{1,4}(?:\.\d)?")
_WITH_HOURS_WORD = re.compile(r"(\d{1,4}(?:\.\d)?)?(?:hours?|hrs?|jam)\.?", re.I)


def _list_row(rest: str, layout: StandardLayout) -> tuple[str, str | None, dict[str, float]]:
    """(title, category, numeric columns) of what a unit-list row prints after its code. The
    numbers a row prints (layout.unit_list_numbers, in order: credit, hours ...) come right after the
    code or at the end of the row; a row may end with its category ("Mandatory", "Optional unit")."""
    category = None
    for cat, pattern in layout.category_res.items():
        if (m := pattern.search(rest)) and rest[:m.start()].strip():
            category, rest = cat, rest[:m.start()]
            break
    tokens = rest.split()
    names = layout.unit_list_numbers
    hours_word = False  # "12 hours", "12hrs": the number before it is the hours, even after a one-word title
    if tokens and (m := _WITH_HOURS_WORD.fullmatch(tokens[-1])):
        if m.group(1):
            tokens[-1], hours_word = m.group(1), True
        elif len(tokens) > 1 and _NUMBER.fullmatch(tokens[-2]):
            tokens.pop()
            hours_word = True
    numbers: dict[str, float] = {}
    leading: list[str] = []
    if len(names) > 1:  # "CON/PD/001/L2 2 20 Health and Safety": the columns in their printed order
        while tokens and _NUMBER.fullmatch(tokens[0]) and len(leading) < len(names):
            leading.append(tokens.pop(0))
        numbers = dict(zip(names, map(float, leading)))
    if not leading:
        # a title of one word keeps it when the row's numbers are marked as such (a unit, two columns)
        keep = 1 if hours_word or len(names) > 1 else 2
        trailing: list[str] = []
        while len(tokens) > keep and _NUMBER.fullmatch(tokens[-1]) and len(trailing) < len(names):
            trailing.insert(0, tokens.pop())
        numbers = dict(zip(names[-len(trailing):], map(float, trailing))) if trailing else {}
    return " ".join(tokens).strip(" :-–"), category, numbers


def parse_listed_units(preamble: list[Line], layout: StandardLayout) -> list[ListedUnit]:
    """The qualification's list of units: a code at the start of a line, the title after it, and
    the row's numbers (hours) and category where it prints them."""
    listed: list[ListedUnit] = []
    category = None
    last_line: Line | None = None
    title_x = None
    for line in preamble:
        text = line.text.strip()
        if cat := layout.category_heading(text):
            category, last_line = cat, None
            continue
        row = layout.unit_row(text)
        if row:
            m, body, where = row
            title, row_category, numbers = _list_row(body[where[m.end() - 1] + 1:], layout)
            lu = ListedUnit(code=m.group(0), title=title, category=row_category or category or layout.default_category,
                            box=line.box)
            lu.nominal_hours = numbers.get("hours")
            listed.append(lu)
            last_line = line
            # where the title column starts: its first word (a word may be printed in pieces, '"' + 'Handle')
            first = title.split()[0] if title else ""
            title_x = next((w.x0 for w in line.words[1:] if w.text and not w.text.isdigit()
                            and (w.text == first or first.startswith(w.text))), None)
            continue
        if listed and last_line is not None and title_x is not None and line.page == last_line.page \
                and abs(line.x0 - title_x) <= 4 and line.top - last_line.bottom < last_line.height * 1.2:
            listed[-1].title = f"{listed[-1].title} {text}".strip()
            last_line = line
        else:
            last_line = None
    return listed


def _same_title(a: str, b: str) -> bool:
    return re.sub(r"\W+", " ", a).strip().lower() == re.sub(r"\W+", " ", b).strip().lower()


TITLE_SIMILARITY = 85  # a unit header's title and a list entry's title name the same unit


def reconcile(units: list[Unit], listed: list[ListedUnit], layout: StandardLayout) -> None:
    """Keep the list's code/title beside the header's where they differ, and flag it."""
    def key(code: str) -> str:
        return re.sub(r"\W", "", code).upper()

    def similarity(a: str, b: str) -> float:
        return fuzz.ratio(a.lower(), b.lower())

    by_code = {key(lu.code): lu for lu in listed}
    header_codes = {key(u.code) for u in units}
    for unit in units:
        lu = by_code.get(key(unit.code))
        if listed and unit.title and (lu is None or similarity(lu.title, unit.title) < TITLE_SIMILARITY):
            # the header's code is not listed, or is listed for another title (a header repeating
            # another unit's code): the list entry with this title, if no header claims its code
            best = max(listed, key=lambda x: similarity(x.title, unit.title))
            if similarity(best.title, unit.title) >= TITLE_SIMILARITY and best is not lu \
                    and key(best.code) not in header_codes:
                lu = best
                unit.code_as_listed = best.code
                unit.flag("code_differs_from_list", 0.9)
        if lu is None:
            if listed:
                unit.flag("not_in_unit_list", 0.9)
        else:
            if unit.title and lu.title and not _same_title(unit.title, lu.title):
                unit.title_as_listed = lu.title
                unit.flag("title_differs_from_list")
            if unit.category is None:
                unit.category = lu.category
            if unit.nominal_hours is None:
                unit.nominal_hours = lu.nominal_hours
        if unit.category is None:
            unit.category = layout.default_category


def qualification_from(page_texts: list[str], listed: list[ListedUnit], layout: StandardLayout) -> Qualification:
    text = "\n".join(page_texts[:12])

    def first(patterns: tuple[str, ...]) -> str | None:
        for p in patterns:
            m = re.search(p, text, re.I | re.M)
            if m:
                return re.sub(r"\s+", " ", m.group(1)).strip()
        return None

    qualification = Qualification(title=first(layout.title_patterns) or "", level=first(layout.level_patterns),
                                  sector=first(layout.sector_patterns), listed_units=listed)
    if layout.states_arrangements:
        stated = read_arrangements(page_texts)
        qualification.nominal_hours = stated.nominal_hours
        qualification.hours_by_category = dict(stated.hours_by_category)
        qualification.hours_page = stated.hours_page
        qualification.packaging_rules = list(stated.packaging_rules)
    return qualification


def extract_standard(path: str | Path, info: DocumentInfo, page_texts: list[str], layout: StandardLayout) -> Extraction:
    numbers = plan_pages(page_texts, layout)
    pages = read_pages(path, numbers, protect=layout.is_structure, language=info.language)
    pages_by_number = {p.number: p for p in pages}
    blocks, preamble = sweep(pages, layout)
    units = [build_unit(b, pages_by_number, layout) for b in blocks]
    units = [u for u in units if u.code or u.elements]
    listed = parse_listed_units(preamble, layout)
    reconcile(units, listed, layout)
    return Extraction(document=info, qualification=qualification_from(page_texts, listed, layout), units=units)
