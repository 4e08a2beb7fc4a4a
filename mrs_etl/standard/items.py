"""Numbered items from the lines of one column: where an item starts, what continues it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mrs_etl.models import Box
from mrs_etl.pdf.lines import Line
from mrs_etl.standard.numbering import Numbered, parse_number
from mrs_etl.standard.text import join_lines

NUMBER_INDENT = 8.0  # a number further right than this from the column's numbers is text
_SENTENCE_END = re.compile(r"[.;:!?]\s*$")


@dataclass
class Item:
    number: str
    style: str
    depth: int
    lines: list[Line] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # one per line, the first without its number
    flags: list[str] = field(default_factory=list)
    above: int = 0  # lines printed above the number in its cell (lines[above] holds the number)

    @property
    def number_line(self) -> Line:
        return self.lines[self.above]

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def position(self) -> tuple[int, float]:
        return (self.page, self.top)

    @property
    def box(self) -> Box:
        first = self.lines[0]
        box = first.box
        for line in self.lines[1:]:
            box = box.union(line.box)
        return box

    @property
    def spans_pages(self) -> bool:
        return self.lines[-1].page != self.lines[0].page

    def text(self, dehyphenate: str | None = None) -> str:
        return join_lines(self.texts, dehyphenate)


def starts_item(numbered: Numbered | None, min_depth: int, max_depth: int) -> bool:
    if numbered is None:
        return False
    if numbered.style == "decimal":
        return min_depth <= numbered.depth <= max_depth
    return min_depth <= 1  # bullets, letters and roman numerals start items in any list


def _nested(n: Numbered, line: Line, current: Item | None, number_x: float) -> bool:
    """An indented sub-item ("1.2.1" under "1.2", a sub-bullet) or its sibling at the same indent ("1.2.2" after "1.2.1").

    A wrapped line that starts with a figure ("1.5 metres ...") is neither: it does not extend the
    current number, and the current item does not stand at that indent.
    """
    if current is not None and n.style == "bullet" and current.style == "bullet":
        return True  # a bulleted list's sub-bullets are items of their own, whatever their indent
    if current is None or n.style != "decimal" or current.style != "decimal" or not current.number:
        return False
    if n.number.startswith(current.number + "."):
        return True
    parent = current.number.rsplit(".", 1)[0]
    current_x = current.lines[0].x0 if current.lines else number_x
    if n.depth < current.depth and line.x0 < current_x - 3 and "." in n.number \
            and current.number.startswith(n.number.rsplit(".", 1)[0] + "."):
        # back out to the next sibling of an ancestor ("4.2 Standar" after "4.1.1 Kejujuran", set left of it)
        ancestor = ".".join(current.number.split(".")[:n.depth])
        return _number_key(n.number) > _number_key(ancestor)
    return (current_x > number_x + NUMBER_INDENT and abs(line.x0 - current_x) <= 3
            and n.depth == current.depth and n.number.startswith(parent + "."))


def without_prefix(text: str, prefix: re.Pattern | None) -> str:
    """ "LO 2: Store materials" -> "2. Store materials": a family's label before its item numbers."""
    if prefix is None or not (m := prefix.match(text)):
        return text
    return re.sub(r"^(\d{1,3}):?", r"\1.", text[m.end():].lstrip(), count=1)


def segment(lines: list[Line], min_depth: int = 1, max_depth: int = 9,
            carry: Item | None = None, prefix: re.Pattern | None = None) -> tuple[list[Item], list[Line]]:
    """Split a column's lines into items.

    Lines before the first number continue `carry` (the item left open on the previous page) or
    are returned as leading lines. A number counts only at the column's number indent, so a
    wrapped line that happens to begin with a figure stays text. `prefix` is a label printed
    before the numbers ("LO 1"), removed before the number is read.
    """
    parsed = [(line, _column_number(without_prefix(line.text, prefix), min_depth, max_depth)) for line in lines]
    number_x = _number_indent([line.x0 for line, n in parsed if starts_item(n, min_depth, max_depth)])
    items: list[Item] = []
    leading: list[Line] = []
    current = carry
    in_run = _numbered_runs(parsed, min_depth, max_depth)
    for k, (line, n) in enumerate(parsed):
        if starts_item(n, min_depth, max_depth) and (line.x0 <= number_x + NUMBER_INDENT or k in in_run
                                                     or _nested(n, line, current, number_x)):
            current = Item(n.number, n.style, n.depth, [line], [n.rest])
            items.append(current)
        elif current is not None:
            current.lines.append(line)
            current.texts.append(line.text)
            if current is carry and "split_across_pages" not in carry.flags:
                carry.flags.append("split_across_pages")
        else:
            leading.append(line)
    return items, leading


RUN_LENGTH = 3  # numbers in sequence at one indent that make a list, wherever it is indented


def _numbered_runs(parsed: list[tuple[Line, Numbered | None]], min_depth: int, max_depth: int) -> set[int]:
    """Indices of lines that number a list indented past the column's numbers: at least RUN_LENGTH
    numbers one after the other ("3.1.1.", "3.1.2.", "3.1.3." ...) at one indent, or a sub-list that opens
    right under the number it subdivides ("3.2 Keterampilan", "3.2.1 ..."). Figures that open wrapped
    lines never run in sequence like that."""
    runs: set[int] = set()
    run: list[int] = []
    numbered = [k for k, (_, n) in enumerate(parsed) if starts_item(n, min_depth, max_depth) and n.style == "decimal"]

    def close(run: list[int]) -> None:
        before = [k for k in numbered if k < run[0]]
        # the number the run subdivides ("2.2 Perlengkapan" over 2.2.1, 2.2.2 ...), printed right above it
        parent = before[-1] if before and parsed[run[0]][1].number == parsed[before[-1]][1].number + ".1" else None
        if parent is not None and run[0] - parent > 8:  # more lines between than a parent item wraps to
            parent = None
        if len(run) < RUN_LENGTH and parent is None:
            return
        runs.update(run)
        if parent is not None:
            runs.add(parent)  # it starts an item too, and a sub-list opening under it needs no length

    for k in numbered:
        line, n = parsed[k]
        if run:
            last_line, last = parsed[run[-1]]
            head, _, tail = n.number.rpartition(".")
            last_head, _, last_tail = last.number.rpartition(".")
            if abs(line.x0 - last_line.x0) <= 2 and head == last_head and tail.isdigit() and last_tail.isdigit() \
                    and int(tail) == int(last_tail) + 1:
                run.append(k)
                continue
            close(run)
        run = [k]
    close(run)
    return runs


_SPLIT_NUMBER = re.compile(r"^(\d{1,2})\s+(?=\S)")


def _column_number(text: str, min_depth: int, max_depth: int) -> Numbered | None:
    """The line's item number, reading "2. 6 Work is checked" as 2.6 where the column holds numbers of
    that depth and not of the one printed (a typed space inside the number)."""
    n = parse_number(text)
    if n is None or n.style != "decimal" or starts_item(n, min_depth, max_depth) or not text.lstrip().startswith(n.number + "."):
        return n
    m = _SPLIT_NUMBER.match(n.rest)
    if not m:
        return n
    joined = parse_number(f"{n.number}.{m.group(1)} {n.rest[m.end():]}")
    return joined if starts_item(joined, min_depth, max_depth) else n


def _number_indent(xs: list[float]) -> float | None:
    """Where the column's numbers start: the leftmost number's indent, unless that number stands alone
    a little left of an indent the others share (a typed "11." for "1."): then the shared indent, so
    the others do not read as text. A number further left than that starts the column (a heading
    number above indented sub-items)."""
    ordered = sorted(xs)
    if len(ordered) < 3 or ordered[1] - ordered[0] <= NUMBER_INDENT:
        return ordered[0] if ordered else None
    shared = ordered[1] if ordered[2] - ordered[1] <= NUMBER_INDENT else None
    return shared if shared is not None and shared - ordered[0] <= 2 * NUMBER_INDENT else ordered[0]


def realign_offset_numbers(items: list[Item]) -> None:
    """Fix numbers printed beside the last line(s) of the previous item.

    Some tables print "2.2" beside "standards are maintained." (the end of 2.1) and start 2.2's
    sentence on the next line. Signs: the numbered line starts in lower case, the previous item
    has not ended its sentence, and a later line of the item starts a new sentence. The text up to
    the sentence end moves back to the previous item; the number keeps the new sentence.
    """
    for prev, item in zip(items, items[1:]):
        if item.above or not item.texts or not item.texts[0][:1].islower() or _SENTENCE_END.search(prev.texts[-1] if prev.texts else "."):
            continue
        for cut in range(1, len(item.texts)):
            if _SENTENCE_END.search(item.texts[cut - 1]) and item.texts[cut][:1].isupper():
                prev.texts.extend(item.texts[:cut])
                prev.lines.extend(item.lines[:cut])
                item.texts = item.texts[cut:]
                item.lines = item.lines[cut:]
                item.flags.append("number_beside_previous_text")
                break


SIDE_BY_SIDE_GAP = 9.0  # points of blank before a second number that starts a second column of items


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit())


def _side_split(line: Line) -> int | None:
    """Where a line holds two items of one list side by side ("4.1 Mask      4.5 Face mask/shield"): the
    index of the word that starts the second, or None."""
    own = parse_number(line.text)
    if own is None or own.style != "decimal" or own.depth < 2:
        return None
    for k in range(2, len(line.words)):
        if line.words[k].x0 - line.words[k - 1].x1 < SIDE_BY_SIDE_GAP:
            continue
        other = parse_number(Line(line.words[k:]).text)
        if other is not None and other.style == "decimal" and other.depth == own.depth \
                and own.number.split(".")[0] == other.number.split(".")[0] \
                and _number_key(other.number) > _number_key(own.number):
            return k
    return None


def side_by_side_apart(lines: list[Line]) -> list[list[Line]]:
    """Lines in reading order as streams to number one after another, a list printed in two columns
    within one cell ('4.1 Mask   4.5 Face mask/shield', row by row) read column by column: the left
    column's lines, then the right column's as a stream of its own (its numbers stand right of the
    left column's, where one stream would read them as text). A run lasts while the lines stay on one
    page, in one list (numbers under one first component) and do not go back to the left edge
    unnumbered (the next variable's lead-in, "May include:")."""
    streams: list[list[Line]] = [[]]
    right: list[Line] = []
    split_x = left_x = None
    series = ""
    for line in lines:
        own = parse_number(line.text)
        if split_x is not None:
            back_left = own is None and line.x0 <= left_x + 2  # wrapped lines stand past the number
            if line.page != right[-1].page or back_left or (own is not None and own.number.split(".")[0] != series):
                streams += [right, []]
                right, split_x = [], None
        k = _side_split(line)
        if k is not None and split_x is None:
            split_x, left_x, series = line.words[k].x0, line.x0, own.number.split(".")[0]
        if split_x is None:
            streams[-1].append(line)
            continue
        left_words = [w for w in line.words if w.x0 < split_x - 3]
        right_words = [w for w in line.words if w.x0 >= split_x - 3]
        if left_words:
            streams[-1].append(Line(left_words))
        if right_words:
            right.append(Line(right_words))
    if right:
        streams += [right]
    return [s for s in streams if s]
