"""Cutting a table region into columns: from ruling lines when the table is ruled, else from headers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from mrs_etl.pdf.lines import Line, Word
from mrs_etl.standard.numbering import parse_number
from mrs_etl.standard.pages import PageContent

MIN_COLUMN_WIDTH = 18.0
RULE_CLUSTER = 8.0  # double rules a few points apart are one boundary
RULE_COVERAGE = 0.4


@dataclass(frozen=True)
class Column:
    x0: float
    x1: float
    role: str | None = None

    def holds(self, word: Word) -> bool:
        return self.x0 - 1 <= word.xmid < self.x1 + 1


def covered_length(spans: list[tuple[float, float]]) -> float:
    total, reach = 0.0, float("-inf")
    for a, b in sorted(spans):
        if b > reach:
            total += b - max(a, reach)
            reach = b
    return total


def ruled_boundaries(page: PageContent, top: float, bottom: float) -> list[float]:
    """x positions of the vertical rules that run down most of the band [top, bottom].

    Short vertical edges (highlight boxes, check boxes) are not column rules: a boundary must cover
    RULE_COVERAGE of the band's height, summed over its segments (ruled rows draw one per row).
    """
    height = max(bottom - top, 1.0)
    segments = sorted(((r.x0 + r.x1) / 2, max(r.top, top), min(r.bottom, bottom)) for r in page.vrules
                      if min(r.bottom, bottom) - max(r.top, top) > 2)
    clusters: list[list[tuple[float, float, float]]] = []
    for seg in segments:
        if clusters and seg[0] - clusters[-1][-1][0] <= RULE_CLUSTER:
            clusters[-1].append(seg)
        else:
            clusters.append([seg])
    bounds = []
    for cluster in clusters:
        if covered_length([(a, b) for _, a, b in cluster]) >= RULE_COVERAGE * min(height, 200.0):
            xs = [x for x, _, _ in cluster]
            bounds.append(max(xs) if not bounds else min(xs))
    return bounds


def columns_from_boundaries(bounds: list[float]) -> list[Column]:
    cols = [Column(a, b) for a, b in zip(bounds, bounds[1:]) if b - a >= MIN_COLUMN_WIDTH]
    return cols


def label_columns(header_lines: list[Line], role_res: dict[str, re.Pattern],
                  left: float, right: float) -> list[Column]:
    """Columns from where the header labels stand, for tables without rules."""
    starts: dict[str, float] = {}
    for line in header_lines:
        words = line.words
        for i in range(len(words)):
            tail = " ".join(w.text for w in words[i:])
            for role, pattern in role_res.items():
                if role not in starts and pattern.match(tail) and pattern.match(tail).start() == 0:
                    starts[role] = words[i].x0
    if len(starts) < 2:
        return [Column(left, right)]
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    cols = []
    for i, (role, x) in enumerate(ordered):
        x0 = left if i == 0 else x - 2
        x1 = right if i == len(ordered) - 1 else ordered[i + 1][1] - 2
        cols.append(Column(x0, x1, role))
    return cols


NUMBER_GUTTER = 8.0  # a column's item number follows a gap (or starts the line)
WORD_GAP = 8.0  # wider gaps between words are gutters between columns
MIN_COLUMN_STEP = 40.0  # starts closer than this are indents inside one column (sub-items)


def numbered_columns(lines: list[Line], left: float, right: float) -> list[Column]:
    """Columns of an unruled table from where its item numbers stand ("1." "1.1" "2.11").

    Each column of a table starts its items with numbers at one x. A number counts when it opens
    its line or follows a gutter; an x becomes a column start when two numbers stand there and at
    least one of them shares its line with text to its left (side by side cells). An indented
    numbered list (sub-items on lines of their own) stays one column.
    """
    marks: list[tuple[float, bool]] = []  # (x, beside text on its left)
    for line in lines:
        prev = None
        for w in line.words:
            n = parse_number(w.text) if prev is None or w.x0 - prev.x1 >= NUMBER_GUTTER else None
            if n is not None and n.style == "decimal" and "." in w.text:
                marks.append((w.x0, prev is not None))
            prev = w
    clusters: list[list[tuple[float, bool]]] = []
    for mark in sorted(marks):
        if clusters and mark[0] - clusters[-1][-1][0] <= 6:
            clusters[-1].append(mark)
        else:
            clusters.append([mark])
    starts: list[float] = []
    for cluster in clusters:
        x = cluster[0][0]
        if len(cluster) >= 2 and any(beside for _, beside in cluster) and \
                (not starts or x - starts[-1] >= MIN_COLUMN_STEP):
            starts.append(x)
    bounds = [left] + [x - 2 for x in starts if x - 2 > left + MIN_COLUMN_WIDTH] + [right]
    return columns_from_boundaries(bounds)


def gap_columns(words: list[Word]) -> list[Column]:
    """Columns of an unruled block: runs of words whose extents overlap or stand a word-space apart."""
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.x0):
        if spans and w.x0 <= spans[-1][1] + WORD_GAP:
            spans[-1][1] = max(spans[-1][1], w.x1)
        else:
            spans.append([w.x0, w.x1])
    return [Column(a, b) for a, b in spans]


def column_texts(columns: list[Column], words: list[Word]) -> list[str]:
    return [" ".join(w.text for w in sorted((w for w in words if c.holds(w)), key=lambda w: (round(w.top), w.x0)))
            for c in columns]


def roles_found(texts: list[str], role_res: dict[str, re.Pattern]) -> set[str]:
    return {role for role, p in role_res.items() for t in texts if p.search(t)}


def assign_roles(columns: list[Column], header_words: list[Word], role_res: dict[str, re.Pattern]) -> list[Column]:
    """Name each column after the header label printed inside it."""
    named = []
    for col in columns:
        text = " ".join(w.text for w in sorted((w for w in header_words if col.holds(w)),
                                               key=lambda w: (round(w.top), w.x0)))
        role = next((r for r, p in role_res.items() if p.search(text)), None)
        named.append(Column(col.x0, col.x1, role))
    return named


def inherit_roles(columns: list[Column], previous: list[Column]) -> list[Column]:
    """Roles for a continuation page without a header row: by overlap with the previous page's columns."""
    if not previous:
        return columns
    named = []
    for col in columns:
        best = max(previous, key=lambda p: min(p.x1, col.x1) - max(p.x0, col.x0))
        overlap = min(best.x1, col.x1) - max(best.x0, col.x0)
        named.append(Column(col.x0, col.x1, best.role if overlap > 0 else None))
    return named
