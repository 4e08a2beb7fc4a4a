"""Which published tables a steward reviews, and how each row hangs off its parent.

Declared as data: the overrides store, `apply_overrides` and the app's forms all read this map.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mrs_etl.schema import TABLES

CATEGORIES = ("basic", "common", "core", "elective")
EVIDENCE_ASPECTS = ("critical_aspects", "underpinning_knowledge", "underpinning_skills", "resource_implications",
                    "methods", "context", "attitudes", "other")


@dataclass(frozen=True)
class Reviewable:
    table: str
    parent_column: str  # the column naming the row's direct parent
    parent_table: str
    label: tuple[str, ...]  # what the row says: if these change under a key, the key names another row now
    editable: tuple[str, ...]
    key_prefix: str | None  # added rows get <parent key>/<prefix>new-<hex>; None: rows cannot be added
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return TABLES[self.table].primary_key[0]

    @property
    def ancestors(self) -> tuple[str, ...]:
        """Key columns copied from the parent row when a row is added or moved (e.g. unit_id, document_id)."""
        return tuple(fk.fields[0] for fk in TABLES[self.table].foreign_keys
                     if fk.fields[0] != self.parent_column and fk.fields[0] in TABLES[self.parent_table].columns)


REVIEWABLE: dict[str, Reviewable] = {r.table: r for r in (
    Reviewable("qualifications", "document_id", "documents", ("title",), ("title", "level", "sector"), None),
    Reviewable("listed_units", "document_id", "documents", ("code", "title"),
               ("code", "title", "category", "nominal_hours"), "l", {"category": CATEGORIES}),
    Reviewable("units", "document_id", "documents", ("code", "title"),
               ("code", "title", "descriptor", "category", "nominal_hours"), "u", {"category": CATEGORIES}),
    Reviewable("elements", "unit_id", "units", ("number", "title"), ("number", "title"), "e"),
    Reviewable("performance_criteria", "element_id", "elements", ("number", "text"),
               ("number", "text", "element_id"), "c"),
    Reviewable("knowledge_skills", "element_id", "elements", ("kind", "number", "text"),
               ("kind", "number", "text", "element_id"), "k", {"kind": ("knowledge", "skill")}),
    Reviewable("range_variables", "unit_id", "units", ("number", "variable"), ("number", "variable"), "r"),
    Reviewable("range_items", "range_variable_id", "range_variables", ("number", "text"),
               ("number", "text", "range_variable_id"), "i"),
    Reviewable("evidence_guide", "unit_id", "units", ("aspect", "number", "text"),
               ("aspect", "heading", "number", "text"), "g", {"aspect": EVIDENCE_ASPECTS}),
    Reviewable("qa_policies", "document_id", "documents", ("clause", "text"),
               ("heading_path", "clause", "text", "topics"), "p"),
)}
