"""Extraction -> one DataFrame per published table, columns and dtypes from `mrs_etl.schema`."""
from __future__ import annotations

import json

from collections import defaultdict

import pandas as pd

from mrs_etl.control_characters import clean_row
from mrs_etl.models import Extraction, Provenance
from mrs_etl.schema import TABLES, TYPES


def _prov(node: Provenance) -> dict:
    box = node.box
    return {
        "page": box.page if box else None,
        "x0": box.x0 if box else None, "top": box.top if box else None,
        "x1": box.x1 if box else None, "bottom": box.bottom if box else None,
        "confidence": float(node.confidence),
        "flags": ";".join(node.flags) if node.flags else None,
    }


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """A DataFrame with exactly the table's columns, in order, with its declared dtypes."""
    spec = TABLES[table]
    df = pd.DataFrame(rows, columns=spec.columns)
    return df.astype({f.name: TYPES[f.type][0] for f in spec.fields})


def extraction_rows(ex: Extraction) -> dict[str, list[dict]]:
    """Rows of every content table for one extraction (not documents/rejections)."""
    doc_id = ex.document.sha256
    rows: dict[str, list[dict]] = defaultdict(list)
    if ex.qualification is not None:
        q = ex.qualification
        rows["qualifications"].append({
            "qualification_id": doc_id, "document_id": doc_id, "title": q.title, "level": q.level,
            "sector": q.sector, "country": ex.document.country, "language": ex.document.language,
            "nominal_hours": q.nominal_hours,
            **{f"{category}_hours": hours for category, hours in q.hours_by_category.items()},
            "hours_page": q.hours_page, "packaging_rules": " ".join(q.packaging_rules) or None, **_prov(q)})
        for n, lu in enumerate(q.listed_units, 1):
            rows["listed_units"].append({
                "listed_unit_id": f"{doc_id}/l{n:03d}", "document_id": doc_id, "order": n, "code": lu.code,
                "title": lu.title, "category": lu.category, "nominal_hours": lu.nominal_hours, **_prov(lu)})
    for un, unit in enumerate(ex.units, 1):
        unit_id = f"{doc_id}/u{un:03d}"
        rows["units"].append({
            "unit_id": unit_id, "document_id": doc_id, "order": un, "code": unit.code,
            "code_as_listed": unit.code_as_listed, "title": unit.title, "title_as_listed": unit.title_as_listed,
            "descriptor": unit.descriptor, "category": unit.category, "nominal_hours": unit.nominal_hours,
            **_prov(unit)})
        for en, el in enumerate(unit.elements, 1):
            element_id = f"{unit_id}/e{en:02d}"
            rows["elements"].append({
                "element_id": element_id, "unit_id": unit_id, "document_id": doc_id, "order": en,
                "number": el.number, "title": el.title, **_prov(el)})
            for cn, c in enumerate(el.criteria, 1):
                rows["performance_criteria"].append({
                    "criterion_id": f"{element_id}/c{cn:02d}", "element_id": element_id, "unit_id": unit_id,
                    "document_id": doc_id, "order": cn, "number": c.number, "text": c.text, **_prov(c)})
            for kind, prefix, items in (("knowledge", "k", el.required_knowledge), ("skill", "s", el.required_skills)):
                for n, item in enumerate(items, 1):
                    rows["knowledge_skills"].append({
                        "item_id": f"{element_id}/{prefix}{n:02d}", "element_id": element_id, "unit_id": unit_id,
                        "document_id": doc_id, "kind": kind, "order": n, "number": item.number,
                        "text": item.text, **_prov(item)})
        for rn, rv in enumerate(unit.range_variables, 1):
            rv_id = f"{unit_id}/r{rn:02d}"
            rows["range_variables"].append({
                "range_variable_id": rv_id, "unit_id": unit_id, "document_id": doc_id, "order": rn,
                "number": rv.number, "variable": rv.variable, **_prov(rv)})
            for n, item in enumerate(rv.items, 1):
                rows["range_items"].append({
                    "range_item_id": f"{rv_id}/i{n:02d}", "range_variable_id": rv_id, "unit_id": unit_id,
                    "document_id": doc_id, "order": n, "number": item.number, "text": item.text, **_prov(item)})
        for gn, g in enumerate(unit.evidence_guide, 1):
            rows["evidence_guide"].append({
                "evidence_id": f"{unit_id}/g{gn:02d}", "unit_id": unit_id, "document_id": doc_id, "order": gn,
                "aspect": g.aspect, "heading": g.heading, "number": g.number, "text": g.text, **_prov(g)})
    for pn, p in enumerate(ex.qa_policies, 1):
        rows["qa_policies"].append({
            "policy_id": f"{doc_id}/p{pn:04d}", "document_id": doc_id, "order": pn,
            "heading_path": " > ".join(p.heading_path), "clause": p.clause, "text": p.text,
            "language": p.language, "topics": ";".join(p.topics), "ocr": p.ocr,
            "lines": json.dumps([list(ln) for ln in p.lines]) if p.lines else None, **_prov(p)})
    for table_rows in rows.values():  # a broken ToUnicode map's control codes are never published
        for row in table_rows:
            clean_row(row)
    return rows


CONTENT_TABLES = ("qualifications", "listed_units", "units", "elements", "performance_criteria",
                  "knowledge_skills", "range_variables", "range_items", "evidence_guide", "qa_policies")


def extraction_frames(ex: Extraction) -> dict[str, pd.DataFrame]:
    rows = extraction_rows(ex)
    return {name: frame(name, rows.get(name, [])) for name in CONTENT_TABLES}
