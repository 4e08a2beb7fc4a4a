"""The compliance outputs: workbook for officials, HTML report, Parquet/CSV tables."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from mrs_etl.qa import check_compliance, load_rulebook
from mrs_etl.qa.report import write_report
from mrs_etl.tables import frame

SENTENCE = "A complainant may lodge an appeal with the Appeals Review Committee & get an answer <in 10 days>."


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    rulebook = load_rulebook()
    qa = frame("qa_policies", [{"policy_id": "d1/p0001", "document_id": "d1", "order": 1, "page": 12,
                                "text": "Records of all grievances and appeals will be kept. " + SENTENCE,
                                "language": "en", "confidence": 0.9, "ocr": True}])
    docs = pd.DataFrame({"document_id": ["d1"], "file_name": ["handbook.pdf"]})
    tables = check_compliance(qa, "AU-TEST", docs, rulebook, checked_at="2026-01-01T00:00:00Z")
    out = tmp_path_factory.mktemp("comply")
    about = {"system": "AU-TEST", "rulebook_version": rulebook.version, "rulebook_title": rulebook.title,
             "checked_at": "2026-01-01T00:00:00Z"}
    paths = write_report({**tables, "qa_policies": qa}, out, about, ["handbook.pdf"])
    return out, paths, tables, rulebook


def test_workbook_has_verdicts_citations_and_about(written):
    out, _, tables, rulebook = written
    wb = openpyxl.load_workbook(out / "compliance.xlsx")
    assert wb.sheetnames == ["Verdicts", "Citations", "About"]
    verdicts = wb["Verdicts"]
    header = [c.value for c in verdicts[1]]
    col = header.index("verdict")
    rows = {r[header.index("rule_id")].value: r for r in verdicts.iter_rows(min_row=2)}
    complaints = rows["GP.7-complaints-appeals"][col]
    assert complaints.value in ("partly evidenced", "evidenced")
    assert complaints.fill.fgColor.rgb.endswith(("FFEB9C", "C6EFCE"))
    assert rows["GP.2-provider-registration"][col].fill.fgColor.rgb.endswith("FFC7CE")
    cites = [[c.value for c in r] for r in wb["Citations"].iter_rows(min_row=2)]
    assert any(SENTENCE in (v or "") for row in cites for v in row if isinstance(v, str))
    about = {r[0].value: r[1].value for r in wb["About"].iter_rows()}
    assert about["rulebook_version"] == rulebook.version and about["system"] == "AU-TEST"


def test_html_quotes_citations_escaped_with_file_and_page(written):
    out, *_ = written
    html = (out / "compliance.html").read_text(encoding="utf-8")
    assert "&amp; get an answer &lt;in 10 days&gt;" in html
    assert "handbook.pdf, page 12" in html and "[OCR text]" in html
    assert "no evidence found" in html


def test_tables_round_trip_through_parquet_and_csv(written):
    out, paths, tables, rulebook = written
    for name in ("compliance_verdicts", "compliance_citations", "qa_policies"):
        assert out / f"{name}.parquet" in paths and out / f"{name}.csv" in paths
    back = pd.read_parquet(out / "compliance_citations.parquet")
    assert back["sentence"].tolist() == tables["compliance_citations"]["sentence"].tolist()
    verdicts = pd.read_csv(out / "compliance_verdicts.csv")
    assert len(verdicts) == len(rulebook.rules) and set(verdicts.rulebook_version) == {rulebook.version}
