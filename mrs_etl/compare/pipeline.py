"""The comparability matrix as a pipeline check (mrs_etl.pipeline.checks): run tables in, comparability tables out.

Standards are rebuilt from the run's validated tables (units, elements, performance_criteria, with
rows a steward rejected left out). MRS compares a sending country's standard with a receiving
country's, so every pair of standards from different countries is compared; a run whose standards
all come from one country compares every pair. A is the pair's first document in (country, file
name) order.
"""
from __future__ import annotations

from itertools import combinations

import pandas as pd

from mrs_etl.compare.align import compare_standards
from mrs_etl.compare.config import CompareConfig
from mrs_etl.compare.standards import Standard, standard_from_json

COMPARABILITY_TABLES = ("comparability_runs", "comparability_units", "comparability_criteria", "comparability_gaps",
                        "comparability_coverage", "comparability_qualifications")


def _kept(df: pd.DataFrame | None) -> pd.DataFrame:
    if df is None or df.empty:
        return pd.DataFrame()
    if "review_status" in df.columns:
        df = df[df["review_status"].fillna("") != "rejected"]
    return df


def standards_from_tables(tables: dict[str, pd.DataFrame]) -> list[tuple[str | None, Standard]]:
    """(country, Standard) for every document of the run that has units, in (country, file name) order."""
    documents = _kept(tables.get("documents"))
    units = _kept(tables.get("units"))
    if documents.empty or units.empty:
        return []
    elements = _kept(tables.get("elements"))
    criteria = _kept(tables.get("performance_criteria"))
    qualifications = {}
    if not _kept(tables.get("qualifications")).empty:
        qualifications = {q.document_id: q for q in _kept(tables["qualifications"]).itertuples()}
    listed = _kept(tables.get("listed_units"))
    listed_by_document = {key: group.sort_values("order") for key, group in listed.groupby("document_id")} \
        if not listed.empty else {}
    criteria_by_element = {key: group.sort_values("order") for key, group in criteria.groupby("element_id")} \
        if not criteria.empty else {}
    elements_by_unit = {key: group.sort_values("order") for key, group in elements.groupby("unit_id")} \
        if not elements.empty else {}
    out = []
    for doc in documents.sort_values(["country", "file_name"], na_position="last").itertuples():
        doc_units = units[units["document_id"] == doc.document_id].sort_values("order")
        if doc_units.empty:
            continue
        qualification = qualifications.get(doc.document_id)
        rules = _value(getattr(qualification, "packaging_rules", None))
        data = {
            "document": doc.file_name, "sha256": doc.document_id, "family": doc.family,
            "language": None if pd.isna(doc.language) else doc.language,
            "qualification_title": _value(getattr(qualification, "title", None)),
            "qualification": {
                "level": _value(getattr(qualification, "level", None)),
                "nominal_hours": _value(getattr(qualification, "nominal_hours", None)),
                "packaging_rules": [rules] if rules else [],
                "listed_units": [{"code": _value(lu.code), "nominal_hours": _value(lu.nominal_hours)}
                                 for lu in listed_by_document.get(doc.document_id, pd.DataFrame()).itertuples()],
            },
            "units": [{
                "code": u.code, "title": u.title, "category": None if pd.isna(u.category) else u.category,
                "descriptor": None if pd.isna(u.descriptor) else u.descriptor,
                "elements": [{
                    "number": e.number, "title": e.title,
                    "criteria": [{"number": c.number, "text": c.text}
                                 for c in criteria_by_element.get(e.element_id, pd.DataFrame()).itertuples()],
                } for e in elements_by_unit.get(u.unit_id, pd.DataFrame()).itertuples()],
            } for u in doc_units.itertuples()],
        }
        country = None if pd.isna(doc.country) else doc.country
        out.append((country, standard_from_json(data, input_path=doc.path, input_sha256=doc.document_id)))
    return out


def _value(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def pipeline_check(tables: dict[str, pd.DataFrame], config: CompareConfig | None = None) -> dict[str, pd.DataFrame]:
    from mrs_etl.tables import frame

    standards = standards_from_tables(tables)
    pairs = list(combinations(standards, 2))
    cross_country = [(a, b) for a, b in pairs if a[0] != b[0]]
    frames: dict[str, list[pd.DataFrame]] = {name: [] for name in COMPARABILITY_TABLES}
    for (_, a), (_, b) in cross_country or pairs:
        for name, df in compare_standards(a, b, config).tables().items():
            frames[name].append(df)
    return {name: pd.concat(parts, ignore_index=True) if parts else frame(name, [])
            for name, parts in frames.items()}
