"""Roadmap step 1: the catalogue of qualifications ingestion found (the `qualification_catalogue` table).

One row per competency-standard document: title, level, country, family, sector, units per
category, nominal hours, document and page. The level and the hours are taken from the tables
when the extractor gives them and otherwise derived here, in one place, saying which: a level is
read from the title only in the forms frameworks print ("NC II", "Level 3", "Jenjang 4"); hours
are those the qualification states (TESDA's curriculum design), else the sum of the units' nominal
hours only when every unit gives them. What neither gives is
listed in `unresolved`, never guessed.
"""
from __future__ import annotations


import pandas as pd

from mrs_etl.levels import level_from_title

CATEGORIES = ("basic", "common", "core", "elective")


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or pd.isna(value) else str(value)


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _hours(frame: pd.DataFrame) -> float | None:
    hours = frame["nominal_hours"] if "nominal_hours" in frame else pd.Series(dtype="Float64")
    return float(hours.sum()) if len(frame) and hours.notna().all() else None


def _kept(df: pd.DataFrame | None) -> pd.DataFrame | None:
    if df is None or "review_status" not in df:
        return df
    return df[df["review_status"].fillna("") != "rejected"]


def catalogue_rows(tables: dict[str, pd.DataFrame]) -> list[dict]:
    documents = tables.get("documents")
    if documents is None or documents.empty:
        return []
    quals = _kept(tables.get("qualifications"))
    units = _kept(tables.get("units"))
    listed = _kept(tables.get("listed_units"))
    quals = {} if quals is None else {r.document_id: r for r in quals.itertuples()}
    units_by = {} if units is None or units.empty else dict(tuple(units.groupby("document_id")))
    listed_by = {} if listed is None or listed.empty else dict(tuple(listed.groupby("document_id")))
    rows = []
    for doc in documents.itertuples():
        if doc.status != "ok" or (doc.document_id not in quals and doc.document_id not in units_by):
            continue
        q = quals.get(doc.document_id)
        doc_units = units_by.get(doc.document_id, pd.DataFrame())
        doc_listed = listed_by.get(doc.document_id, pd.DataFrame())
        basis_units = doc_units if len(doc_units) else doc_listed
        first = doc_units.sort_values("order").iloc[0] if len(doc_units) else None
        title = _text(q.title) if q is not None else None
        title = title or (_text(first["title"]) if first is not None else None)
        printed = _text(q.level) if q is not None else None
        level, level_basis = (printed, "printed") if printed else (level_from_title(title), "title")
        categories = basis_units["category"].fillna("") if len(basis_units) else pd.Series(dtype=str)
        stated = _number(q.nominal_hours) if q is not None else None
        hours, hours_basis = (stated, "stated") if stated is not None else (_hours(doc_units), "units")
        if hours is None:
            hours, hours_basis = _hours(doc_listed), "listed_units"
        unresolved = []
        if not level:
            level_basis = None
            unresolved.append("level")
        if hours is None:
            hours_basis = None
            unresolved.append("nominal_hours")
        n_uncat = int((~categories.isin(CATEGORIES)).sum())
        if n_uncat:
            unresolved.append("category")
        page = q.page if q is not None and pd.notna(q.page) else (first["page"] if first is not None else None)
        rows.append({
            "document_id": doc.document_id, "file_name": doc.file_name, "country": _text(doc.country),
            "family": _text(doc.family), "language": _text(doc.language), "title": title, "level": level,
            "level_basis": level_basis, "sector": _text(q.sector) if q is not None else None,
            "n_units": len(basis_units), **{f"n_{c}": int((categories == c).sum()) for c in CATEGORIES},
            "n_uncategorised": n_uncat, "nominal_hours": hours, "hours_basis": hours_basis,
            "unresolved": ";".join(unresolved) or None, "page": None if page is None or pd.isna(page) else int(page)})
    return rows


def catalogue_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    from mrs_etl.tables import frame

    return frame("qualification_catalogue", catalogue_rows(tables))
