"""QA policies and the Guiding-Principles compliance check.

    tables = check_compliance(qa_policies_df, "PH-TESDA", documents=documents_df)
    tables["compliance_verdicts"], tables["compliance_citations"]

`qa_policies_df` is the published `qa_policies` table (any number of documents); `documents`
(the `documents` table) only supplies file names for the citations.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd

from mrs_etl.qa.rulebook import Rulebook, RulebookError, load_rulebook

__all__ = ["check_compliance", "pipeline_check", "policies_frames", "load_rulebook", "Rulebook", "RulebookError"]


def policies_frames(extractions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(qa_policies, documents) frames of extractions, in the published tables' shape."""
    from mrs_etl.tables import extraction_rows, frame

    rows, docs = [], []
    for ex in extractions:
        rows.extend(extraction_rows(ex).get("qa_policies", []))
        d = ex.document
        docs.append({"document_id": d.sha256, "path": d.path, "file_name": d.file_name, "family": d.family,
                     "country": d.country, "language": d.language, "pages": d.pages, "status": "ok",
                     "extractor_version": d.extractor_version})
    return frame("qa_policies", rows), frame("documents", docs)


def check_compliance(qa_policies: pd.DataFrame, system: str, documents: pd.DataFrame | None = None,
                     rulebook: Rulebook | None = None, checked_at: str | None = None) -> dict[str, pd.DataFrame]:
    """Verdicts and citations for every rule of the rulebook over the QA clauses of one system."""
    from mrs_etl.qa.matching import judge
    from mrs_etl.tables import frame

    rulebook = rulebook or load_rulebook()
    checked_at = checked_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    names = {} if documents is None else dict(zip(documents["document_id"], documents["file_name"]))
    clauses = qa_policies.astype(object).where(qa_policies.notna(), None).to_dict("records")
    verdicts = judge(clauses, rulebook)
    n_documents = int(qa_policies["document_id"].nunique()) if len(qa_policies) else 0
    verdict_rows, citation_rows = [], []
    for v in verdicts:
        verdict_rows.append({
            "system": system, "rule_id": v.rule.id, "step": v.rule.step, "question": v.rule.question,
            "evidence": v.rule.evidence, "verdict": v.verdict, "score": v.score,
            "n_citations": len(v.citations), "missing": "; ".join(v.missing) or None, "n_documents": n_documents,
            "rulebook_version": rulebook.version, "checked_at": checked_at})
        for rank, hit in enumerate(v.citations, 1):
            c = hit.clause
            box = hit.box or (c.get("page"), c.get("x0"), c.get("top"), c.get("x1"), c.get("bottom"))
            citation_rows.append({
                "system": system, "rule_id": v.rule.id, "rank": rank, "document_id": c["document_id"],
                "file_name": names.get(c["document_id"]), "policy_id": c.get("policy_id"),
                "page": c.get("page"), "x0": c.get("x0"), "top": c.get("top"), "x1": c.get("x1"),
                "bottom": c.get("bottom"), "clause": c.get("clause"), "heading_path": c.get("heading_path"),
                "sentence": hit.sentence, "matched_terms": ";".join(hit.terms), "sentence_score": hit.score,
                "answers": hit.answers, "parts": "; ".join(hit.parts), "sentence_page": box[0],
                "sentence_x0": box[1], "sentence_top": box[2], "sentence_x1": box[3], "sentence_bottom": box[4],
                "ocr": c.get("ocr"), "confidence": c.get("confidence"), "rulebook_version": rulebook.version})
    return {"compliance_verdicts": frame("compliance_verdicts", verdict_rows),
            "compliance_citations": frame("compliance_citations", citation_rows)}


def pipeline_check(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The compliance check as a pipeline check (mrs_etl.pipeline.checks): one system per country.

    Clauses a steward rejected are left out. Documents of unknown country form one system,
    "unspecified"; run `mrs-etl comply --system NAME` to name a system explicitly.
    """
    policies = tables.get("qa_policies")
    documents = tables.get("documents")
    if policies is None or policies.empty or documents is None:
        return {}
    if "review_status" in policies:
        policies = policies[policies["review_status"].fillna("") != "rejected"]
    country = documents.set_index("document_id")["country"].fillna("unspecified")
    systems = policies["document_id"].map(country).fillna("unspecified")
    parts = [check_compliance(group, str(system), documents=documents)
             for system, group in policies.groupby(systems, sort=True)]
    return {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]} if parts else {}
