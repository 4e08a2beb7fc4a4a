"""The standard JSON shape of ../shared/corpus/README.md (the gold files' shape), plus provenance.

Extra keys (boxes, confidence, flags, evidence guide, ...) are allowed by the scorer and kept here
so that a steward can trace every value back to its page.
"""
from __future__ import annotations

from mrs_etl import EXTRACTOR_VERSION
from mrs_etl.models import Extraction, ListItem, Provenance


def _prov(node: Provenance) -> dict:
    out = {"box": node.box.as_dict() if node.box else None, "confidence": round(node.confidence, 3)}
    if node.flags:
        out["flags"] = list(node.flags)
    return out


def _items(items: list[ListItem]) -> list[str]:
    return [i.text for i in items]


def to_standard_json(extraction: Extraction) -> dict:
    doc = extraction.document
    qual = extraction.qualification
    out = {
        "document": doc.file_name,
        "sha256": doc.sha256,
        "family": doc.family,
        "country": doc.country,
        "language": doc.language,
        "pages": doc.pages,
        "extractor_version": EXTRACTOR_VERSION,
        "qualification_title": qual.title if qual else None,
        "qualification": None if qual is None else {
            "title": qual.title, "level": qual.level, "sector": qual.sector,
            "nominal_hours": qual.nominal_hours, "hours_by_category": qual.hours_by_category,
            "hours_page": qual.hours_page, "packaging_rules": qual.packaging_rules, **_prov(qual),
            "listed_units": [{"code": u.code, "title": u.title, "category": u.category,
                              "nominal_hours": u.nominal_hours, **_prov(u)} for u in qual.listed_units],
        },
        "units": [],
        "warnings": list(extraction.warnings),
    }
    for unit in extraction.units:
        knowledge = [k for e in unit.elements for k in e.required_knowledge]
        skills = [s for e in unit.elements for s in e.required_skills]
        out["units"].append({
            "code": unit.code,
            "title": unit.title,
            "category": unit.category,
            "page": unit.box.page if unit.box else None,
            "descriptor": unit.descriptor,
            "nominal_hours": unit.nominal_hours,
            "code_as_listed": unit.code_as_listed,
            "title_as_listed": unit.title_as_listed,
            **_prov(unit),
            "elements": [{
                "number": el.number, "title": el.title, **_prov(el),
                "criteria": [{"number": c.number, "text": c.text, **_prov(c)} for c in el.criteria],
                **({"required_knowledge": _items(el.required_knowledge)} if el.required_knowledge else {}),
                **({"required_skills": _items(el.required_skills)} if el.required_skills else {}),
            } for el in unit.elements],
            "range_variables": [rv.variable for rv in unit.range_variables],
            "range": [{"number": rv.number, "variable": rv.variable, **_prov(rv),
                       "items": [{"number": i.number, "text": i.text} for i in rv.items]}
                      for rv in unit.range_variables],
            **({"required_knowledge": _items(knowledge)} if knowledge else {}),
            **({"required_skills": _items(skills)} if skills else {}),
            "evidence_guide": [{"aspect": g.aspect, "heading": g.heading, "number": g.number,
                                "text": g.text, **_prov(g)} for g in unit.evidence_guide],
        })
    if extraction.qa_policies:
        out["qa_policies"] = [{"heading_path": p.heading_path, "clause": p.clause, "text": p.text,
                               "language": p.language, "topics": p.topics, "ocr": p.ocr, **_prov(p)}
                              for p in extraction.qa_policies]
    return out
