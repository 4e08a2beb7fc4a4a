"""Roadmap step 6: the migrant skilled worker profile, generated from the qualification's tables.

What the worker can do: every unit, grouped basic / common / core (then elective and
uncategorised), each with its key tasks (the unit's elements) and the tools, materials and
equipment its range of variables names. Every line keeps its document and page. The check the
Roadmap asks for - does the profile incorporate every unit of the qualification? - compares the
units rendered with the qualification's own unit list (and the extracted units): a unit with no
elements, or listed but never extracted, is reported as not rendered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from mrs_etl.portfolio.sources import SourceDoc, grouped, rows_of

GROUPS = ("basic", "common", "core", "elective", "uncategorised")
# Range-of-variables headings that name what a worker handles (English and Indonesian stems).
EQUIPMENT_HEADINGS = re.compile(r"\b(tools?|equipment|materials?|instruments?|devices?|supplies|peralatan|"
                                r"perlengkapan|alat|bahan|perangkat)\b", re.IGNORECASE)
MAX_TASKS = 8  # per unit: keeps the profile readable in two pages; the rest is counted, not dropped silently
MAX_EQUIPMENT = 10


@dataclass
class Line:
    text: str
    file_name: str
    page: int | None
    table: str
    row_id: str


@dataclass
class ProfileUnit:
    code: str
    title: str
    group: str
    tasks: list[Line]
    n_tasks: int
    equipment: list[Line]
    n_equipment: int
    hours: float | None
    source: Line


@dataclass
class WorkerProfile:
    title: str | None
    units: list[ProfileUnit]
    not_rendered: list[tuple[str, str]] = field(default_factory=list)  # (unit code and title, why)
    n_listed: int = 0

    def by_group(self) -> list[tuple[str, list[ProfileUnit]]]:
        return [(g, [u for u in self.units if u.group == g]) for g in GROUPS if any(u.group == g for u in self.units)]

    @property
    def incorporates_every_unit(self) -> bool:
        return bool(self.units) and not self.not_rendered


def _page(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _norm_code(code) -> str:
    return "" if code is None or pd.isna(code) else re.sub(r"[^0-9A-Z]", "", str(code).upper())


def build_profile(tables: dict[str, pd.DataFrame], docs: list[SourceDoc], title: str | None) -> WorkerProfile:
    ids = [d.document_id for d in docs if d.ok]
    names = {d.document_id: d.file_name for d in docs}
    units = rows_of(tables, "units", ids).sort_values(["document_id", "order"])
    elements = rows_of(tables, "elements", ids).sort_values("order")
    variables = rows_of(tables, "range_variables", ids).sort_values("order")
    items = rows_of(tables, "range_items", ids).sort_values("order")
    listed = rows_of(tables, "listed_units", ids).sort_values("order")
    el_by, var_by = grouped(elements, "unit_id"), grouped(variables, "unit_id")
    item_by = grouped(items, "range_variable_id")
    profile = WorkerProfile(title, [], n_listed=len(listed))
    for u in units.itertuples():
        file_name = names[u.document_id]
        label = f"{u.code or ''} {u.title or ''}".strip()
        tasks = [Line(e["title"], file_name, _page(e["page"]), "elements", e["element_id"])
                 for e in el_by.get(u.unit_id, []) if e["title"]]
        equipment = []
        for v in var_by.get(u.unit_id, []):
            if EQUIPMENT_HEADINGS.search(v["variable"] or ""):
                equipment += [Line(i["text"], file_name, _page(i["page"]), "range_items", i["range_item_id"])
                              for i in item_by.get(v["range_variable_id"], [])]
        if not tasks:
            profile.not_rendered.append((label, "no elements extracted (key tasks unknown)"))
            continue
        group = u.category if isinstance(u.category, str) and u.category in GROUPS else "uncategorised"
        hours = None if pd.isna(u.nominal_hours) else float(u.nominal_hours)
        profile.units.append(ProfileUnit(
            str(u.code or ""), str(u.title or ""), group, tasks[:MAX_TASKS], len(tasks), equipment[:MAX_EQUIPMENT],
            len(equipment), hours, Line(label, file_name, _page(u.page), "units", u.unit_id)))
    extracted = {_norm_code(u.code) for u in units.itertuples()} | {_norm_code(u.code_as_listed) for u in units.itertuples()}
    for lu in listed.itertuples():
        if _norm_code(lu.code) and _norm_code(lu.code) not in extracted:
            profile.not_rendered.append((f"{lu.code} {lu.title or ''}".strip(),
                                         f"in the qualification's unit list (p. {_page(lu.page)}) but not extracted"))
    return profile
