"""Cutting a table region into columns: from ruling lines when the table is ruled, else from headers."""
from __future__ import annotations

import re
from dataclasses import dataclass

from mrs_etl.pdf.lines import Line, Word
from mrs_etl.standard.pages import PageContent

MIN_COLUMN_WIDTH = 18.0
RULE_CLUSTER = 8.0  # double rules a few points apart are one boundary


@dataclass(frozen=True)
class Column:
    x0: float
    x1: float
    role: str | None = None

    def holds(self, word: Word) -> bool:
        return self.x0 - 1 <= word.xmid < self.x1 + 1


def ruled_boundaries(page: PageContent, top: float, bottom: float) -> list[float]:
    """x positions of vertical rules that cross the band [top, bottom], clustered."""
    xs = []
    for r in page.vrules:
        overlap = min(r.bottom, bottom) - max(r.top, top)
        if overlap > min(12.0, (bottom - top) * 0.5):
            xs.append((r.x0 + r.x1) / 2)
    xs.sort()
    clusters: list[list[float]] = []
    for x in xs:
        if clusters and x - clusters[-1][-1] <= RULE_CLUSTER:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [max(c) if i == 0 else min(c) for i, c in enumerate(clusters)]


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
                if role not in starts and pattern.match(tail):
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


def assign_roles(columns: list[Column], header_words: list[Word], role_res: dict[str, re.Pattern]) -> list[Column]:
    """Name each column after the header label printed inside it."""
    named = []
    for col in columns:
        text = " ".join(w.text for w in sorted((w for w in header_words if col.holds(w)),
                                               key=lambda w: (round(w.top), w.x0)))
        role = next((r for r, p in role_res.items() if p.search(text) or p.match(text)), None)
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
