"""Which published tables a steward reviews, and how each row hangs off its parent.

Declared as data: the overrides store, `apply_overrides` and the app's forms all read this map.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from mrs_etl.schema import TABLES

CATEGORIES = ("basic", "common", "core", "elective")
EVIDENCE_ASPECTS = ("critical_aspects", "underpinning_knowledge", "underpinning_skills", "resource_implications",
                    "methods", "context", "attitudes", "other")


# Flags that describe a row rather than doubt it: every starred item of a self-assessment guide is
# `critical`, every clause of an OCR'd circular is `ocr_layer`. They are filters of their own, not "flagged".
INFORMATIONAL_FLAGS = frozenset({"critical", "ocr_layer", "tesseract_ocr", "bullet_item"})
FLAGGED_BELOW = 0.8  # confidence under this is doubtful ...
TYPICAL_MARGIN = 0.1  # ... when it is also this much under the document's typical (median) confidence


def needs_attention(df: pd.DataFrame) -> pd.Series:
    """Rows a steward must look at: a flag naming a guess or an oddity, or a confidence low for its document.

    A document read through OCR has a uniformly lower confidence; only its rows that are worse than the
    rest of it are flagged, so that the filter narrows the list instead of repeating it.
    """
    if df.empty:
        return pd.Series([], dtype=bool, index=df.index)
    doubtful = df["flags"].fillna("").map(lambda f: any(x and x not in INFORMATIONAL_FLAGS for x in f.split(";")))
    confidence = df["confidence"].astype(float)
    typical = confidence.groupby(df["document_id"]).transform("median")
    low = (confidence < FLAGGED_BELOW) & (confidence < typical - TYPICAL_MARGIN)
    return (doubtful | low.fillna(False)).astype(bool)


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
    Reviewable("qualifications", "document_id", "documents", ("title",),
               ("title", "level", "sector", "nominal_hours", "basic_hours", "common_hours", "core_hours",
                "elective_hours", "packaging_rules"), None),
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
