"""The compliance check as the pipeline calls it: one system per country, rejected clauses left out."""
from __future__ import annotations

from mrs_etl.qa import pipeline_check
from mrs_etl.tables import frame

CLAUSE = ("A candidate may lodge a complaint or an appeal against an assessment decision; complaints and "
          "appeals are recorded and resolved within 10 working days by the appeals committee.")


def _tables(review_status: str | None):
    documents = frame("documents", [
        {"document_id": "d1", "path": "qa.pdf", "file_name": "qa.pdf", "family": "qa-policy", "country": "PH",
         "language": "en", "pages": 1, "status": "ok", "extractor_version": "t"},
        {"document_id": "d2", "path": "other.pdf", "file_name": "other.pdf", "family": "qa-policy", "country": None,
         "language": "en", "pages": 1, "status": "ok", "extractor_version": "t"}])
    policies = frame("qa_policies", [
        {"policy_id": f"{doc}/p0001", "document_id": doc, "order": 1, "heading_path": "Complaints and appeals",
         "clause": "1", "text": CLAUSE, "language": "en", "topics": "", "ocr": False, "page": 1, "x0": 1.0,
         "top": 1.0, "x1": 2.0, "bottom": 2.0, "confidence": 1.0, "flags": None, "review_status": review_status}
        for doc in ("d1", "d2")])
    return {"documents": documents, "qa_policies": policies}


def test_one_system_per_country_with_citations():
    out = pipeline_check(_tables(None))
    verdicts = out["compliance_verdicts"]
    assert set(verdicts["system"]) == {"PH", "unspecified"}
    complaints = verdicts[(verdicts.system == "PH") & (verdicts.rule_id == "GP.7-complaints-appeals")].iloc[0]
    assert complaints["verdict"] != "no evidence found"
    cited = out["compliance_citations"]
    assert (cited[(cited.system == "PH") & (cited.rule_id == "GP.7-complaints-appeals")]["file_name"] == "qa.pdf").all()


def test_rejected_clauses_are_not_evidence():
    assert pipeline_check(_tables("rejected")) == {}
