"""Which heading of a two-level table (range of variables, evidence guide) owns each item.

Position decides (an item belongs to the heading whose row it starts in), with the corrections a
printed table needs: a lead-in printed in the next heading's row, or closing the row above it, opens
that heading; an item numbered for a heading set lower in its cell belongs to it.
"""
from __future__ import annotations

from mrs_etl.standard.items import Item
from mrs_etl.standard.numbering import first_component

Starts = list[tuple[tuple[int, float], int]]  # (page, top) where each heading's row starts, heading index


def heading_at(position: tuple[int, float], starts: Starts) -> int | None:
    """The heading whose row holds `position` (3 pt of slack: a number set a little above its heading)."""
    found = None
    for start, idx in starts:
        if start <= (position[0], position[1] + 3):
            found = idx
    return found


def owned_by_heading(items: list[Item], headings: list[Item]) -> list[tuple[Item, int | None]]:
    """Each item with the heading that owns it (by where its number stands), the lines that stand in a
    later heading's row cut off as an unnumbered item of that row: a variable's lead-in ("May include but
    are not limited to:") printed beside its heading, above its first number, is not the end of the previous
    variable's last item. An item that runs into the row of the heading its number names ("6.1" above a
    "6." set in the middle of its cell) belongs to that heading and keeps its lines."""
    starts = [(h.position, idx) for idx, h in enumerate(headings)]
    # item numbers say which heading they belong to only where the headings are numbered 1, 2, 3 ... in
    # order: a table that numbers two headings "3." has no number to trust
    numbered = [h.number for h in headings] == [str(k) for k in range(1, len(headings) + 1)]
    out: list[tuple[Item, int | None]] = []
    for it in items:
        owner = heading_at(it.position, starts)
        while True:
            rows = [(k, heading_at((it.lines[k].page, it.lines[k].top), starts)) for k in range(it.above + 1, len(it.lines))]
            cut = next((k for k, row in rows if row != owner), None)
            if cut is not None and numbered and it.number and all(row is not None and row != owner
                                                     and first_component(it.number) == headings[row].number
                                                     for k, row in rows if k >= cut):
                owner, cut = rows[-1][1], None
            if cut is not None and it.texts[cut][:1].islower():
                # the row starts inside a sentence (its heading is set a little lower than the row's first
                # line): the sentence moves with it, from its first capitalised line
                start = next((j for j in range(cut - 1, it.above, -1) if it.texts[j][:1].isupper()), None)
                if start is not None:
                    cut = start
                elif it.style == "plain":
                    owner, cut = rows[-1][1], None  # an unnumbered lead-in that runs into the row: all of it
                else:
                    cut = None  # no sentence to move: a numbered or bulleted item keeps its lines
            out.append((it, owner))
            if cut is None:
                break
            rest = Item("", "plain", 1, it.lines[cut:], it.texts[cut:])
            it.lines, it.texts = it.lines[:cut], it.texts[:cut]
            it, owner = rest, heading_at(rest.position, starts)
    if numbered:
        out = _to_named_heading(_above_first_heading(out, headings), headings)
    return _move_lead_ins(out)


def _above_first_heading(owned: list[tuple[Item, int | None]], headings: list[Item]) -> list[tuple[Item, int | None]]:
    """An item printed above the first heading's row ("1.1 PV Module/array" one line above "1. Components")
    belongs to the heading its number names: it heads no row of its own, and without a heading it was lost."""
    by_number = {h.number: idx for idx, h in enumerate(headings)}
    return [(it, by_number.get(first_component(it.number)) if o is None and it.number else o) for it, o in owned]


def _to_named_heading(owned: list[tuple[Item, int | None]], headings: list[Item]) -> list[tuple[Item, int | None]]:
    """An item numbered for the next heading ("2.1" above a "2. Required knowledge" set lower in its cell)
    belongs to it when a row's space parts it from the item before it (the next row starts there) and the
    heading it stands beside keeps items numbered for itself. Items numbered for the next heading that
    follow the row before at its own line pitch are the source's numbering typo and stay where printed."""
    numbered_for_own = {o for it, o in owned if o is not None and it.number and first_component(it.number) == headings[o].number}

    def gap(upper: Item, lower: Item) -> float:
        return lower.lines[0].top - upper.lines[-1].bottom if upper.lines[-1].page == lower.lines[0].page else float("inf")

    out: list[tuple[Item, int | None]] = []
    moved_from = None
    for k, (it, o) in enumerate(owned):
        named = (o is not None and o + 1 < len(headings) and it.number and o in numbered_for_own
                 and first_component(it.number) == headings[o + 1].number != headings[o].number)
        if named and moved_from != (o, first_component(it.number)) and not _continued_under(it, owned[k + 1:], o + 1):
            before = gap(owned[k - 1][0], it) if k else float("inf")
            after = gap(it, owned[k + 1][0]) if k + 1 < len(owned) else float("inf")
            named = before != float("inf") and before > after + 1.0
        moved_from = (o, first_component(it.number)) if named else None
        out.append((it, o + 1 if named else o))
    return out


def _continued_under(it: Item, rest: list[tuple[Item, int | None]], heading: int) -> bool:
    """The next item stands under `heading` and carries on this item's number: its child ("2.1" then
    "2.1.1 Maintenance bench") or its next sibling ("2.1" then "2.2"). Then "2.1 Equipment includes but not
    limited to:" is that heading's first item printed above its row, whatever the spacing; a typo ("2.3" among
    "1.x") is followed under the next heading by "2.1", which carries on nothing."""
    following = next(((nxt, o) for nxt, o in rest if nxt.number), None)
    if following is None or following[1] != heading:
        return False
    parts, nxt = it.number.split("."), following[0].number.split(".")
    child = nxt[:len(parts)] == parts and len(nxt) == len(parts) + 1
    sibling = (len(nxt) == len(parts) and nxt[:-1] == parts[:-1] and nxt[-1].isdigit() and parts[-1].isdigit()
               and int(nxt[-1]) == int(parts[-1]) + 1)
    return child or sibling


def _move_lead_ins(owned: list[tuple[Item, int | None]]) -> list[tuple[Item, int | None]]:
    """A sentence ending in ":" that closes the last item of one heading, where the next item opens another
    ("3.3 Lubrication procedure" / "The following resources must be provided:" above "4. Resource
    implications" set lower in its cell), introduces the next heading's items: it becomes their lead-in."""
    out: list[tuple[Item, int | None]] = []
    for k, (it, owner) in enumerate(owned):
        following = owned[k + 1][1] if k + 1 < len(owned) else None
        cut = None
        if following is not None and following != owner and it.texts and it.texts[-1].rstrip().endswith(":"):
            if it.style == "plain":  # an unnumbered lead-in above a heading set lower in its cell: all of it
                out.append((it, following))
                continue
            cut = next((j for j in range(len(it.texts) - 1, it.above, -1) if it.texts[j][:1].isupper()), None)
        if cut is None:
            out.append((it, owner))
            continue
        lead = Item("", "plain", 1, it.lines[cut:], it.texts[cut:])
        it.lines, it.texts = it.lines[:cut], it.texts[:cut]
        out += [(it, owner), (lead, following)]
    return out
