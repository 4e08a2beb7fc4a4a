"""The corridor's documents found in the processed tables (by file name, path or sha256), with their status.

A document that is not in the tables is `missing`; one the pipeline quarantined is `quarantined`
with the pipeline's reason. Either marks the sections built from it as missing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class SourceDoc:
    name: str  # as the corridor file names it
    status: str  # ok | quarantined | missing
    document_id: str | None = None
    file_name: str | None = None
    path: str | None = None  # relative to the raw directory
    family: str | None = None
    country: str | None = None
    language: str | None = None
    pages: int | None = None
    reason: str | None = None  # why it is not usable

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _value(v):
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def resolve(name: str, tables: dict[str, pd.DataFrame]) -> SourceDoc:
    documents = tables.get("documents", pd.DataFrame(columns=["document_id", "file_name", "path"]))
    key = name.strip()
    hit = documents[(documents["document_id"] == key.lower()) | (documents["file_name"] == key)
                    | (documents["path"] == key)]
    if hit.empty:
        rejections = tables.get("rejections")
        if rejections is not None and len(rejections):
            rej = rejections[(rejections["path"] == key) | (rejections["path"].map(lambda p: Path(p).name) == key)
                             | (rejections["document_id"] == key.lower())]
            if len(rej):
                r = rej.iloc[0]
                return SourceDoc(key, "quarantined", r["document_id"], Path(r["path"]).name, r["path"],
                                 reason=f"{r['stage']}: {r['reason']}: {_value(r['detail']) or ''}".strip(": "))
        return SourceDoc(key, "missing", reason="not in the processed tables (not in raw/ when ingestion ran)")
    d = hit.iloc[0]
    reason = None
    if d["status"] != "ok":
        rejections = tables.get("rejections")
        rej = rejections[rejections["document_id"] == d["document_id"]] if rejections is not None else pd.DataFrame()
        reason = (f"{rej.iloc[0]['stage']}: {rej.iloc[0]['reason']}: {_value(rej.iloc[0]['detail']) or ''}".strip(": ")
                  if len(rej) else "quarantined")
    pages = _value(d.get("pages"))
    return SourceDoc(key, "ok" if d["status"] == "ok" else "quarantined", d["document_id"], d["file_name"], d["path"],
                     _value(d["family"]), _value(d["country"]), _value(d["language"]),
                     int(pages) if pages is not None else None, reason)


def resolve_all(names, tables) -> list[SourceDoc]:
    return [resolve(n, tables) for n in names]


def rows_of(tables: dict[str, pd.DataFrame], table: str, document_ids) -> pd.DataFrame:
    """The rows of a table for some documents, steward-rejected rows left out."""
    df = tables.get(table)
    if df is None:
        return pd.DataFrame()
    df = df[df["document_id"].isin(list(document_ids))]
    if "review_status" in df:
        df = df[df["review_status"].fillna("") != "rejected"]
    return df


def grouped(df: pd.DataFrame, key: str) -> dict[str, list[dict]]:
    """Rows as plain dicts (missing values None) grouped by a column, in the frame's order."""
    out: dict[str, list[dict]] = {}
    if df is None or df.empty:
        return out
    for row in df.astype(object).where(df.notna(), None).to_dict("records"):
        out.setdefault(row[key], []).append(row)
    return out


def standard_json(tables: dict[str, pd.DataFrame], doc: SourceDoc, title: str | None) -> dict:
    """A document's units in the project's standard JSON shape (../shared/corpus/README.md), for comparing."""
    units = grouped(rows_of(tables, "units", [doc.document_id]).sort_values("order"), "document_id")
    elements = grouped(rows_of(tables, "elements", [doc.document_id]).sort_values("order"), "unit_id")
    criteria = grouped(rows_of(tables, "performance_criteria", [doc.document_id]).sort_values("order"), "element_id")
    return {
        "document": doc.file_name, "sha256": doc.document_id, "family": doc.family, "language": doc.language,
        "qualification_title": title,
        "units": [{
            "code": u["code"] or "", "title": u["title"] or "", "category": u["category"],
            "descriptor": u["descriptor"] or "",
            "elements": [{"number": e["number"] or "", "title": e["title"] or "",
                          "criteria": [{"number": c["number"] or "", "text": c["text"]}
                                       for c in criteria.get(e["element_id"], [])]}
                         for e in elements.get(u["unit_id"], [])],
        } for u in units.get(doc.document_id, [])],
    }
