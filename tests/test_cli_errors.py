"""Wrong input to the commands ends in one line saying what is wrong, and a non-zero exit, never a traceback."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mrs_etl.cli import app as cli
from mrs_etl.generated_documents.sample import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
TR, SKKNI, QA = SAMPLES
GOOD_UNIT = {"code": "U1", "title": "Lay tiles", "elements": [
    {"number": "1", "title": "Prepare", "criteria": [{"number": "1.1", "text": "Tools are prepared"}]}]}


def invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in result.output
    return result


def lines(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


@pytest.mark.parametrize("units, where", [
    ([1, 2], "units[0] should be an object"),
    ([{**GOOD_UNIT, "elements": [{"number": "1", "title": "P", "criteria": [{"number": "1.1", "text": 5}]}]}],
     "units[0].elements[0].criteria[0].text should be text"),
    ([{**GOOD_UNIT, "elements": "none"}], "units[0].elements should be a list"),
    ([{**GOOD_UNIT, "title": ["a", "b"]}], "units[0].title should be text"),
])
def test_compare_names_what_is_wrong_with_a_standard_json(tmp_path, units, where):
    bad, good = tmp_path / "bad.json", tmp_path / "good.json"
    bad.write_text(json.dumps({"units": units}))
    good.write_text(json.dumps({"units": [GOOD_UNIT]}))
    result = invoke("compare", str(bad), str(good), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and len(lines(result)) == 1 and where in result.output


def test_compare_names_a_config_value_of_the_wrong_type(tmp_path):
    good, config = tmp_path / "good.json", tmp_path / "compare.toml"
    good.write_text(json.dumps({"units": [GOOD_UNIT]}))
    config.write_text('[compare]\npartial_score = "high"\n')
    result = invoke("compare", str(good), str(good), "--out", str(tmp_path / "out"), "--config", str(config))
    assert result.exit_code == 2 and lines(result) == [
        "error: partial_score must be a number between 0 and 1, not 'high'"]


def test_extract_given_a_directory_says_so(tmp_path):
    result = invoke("extract", str(tmp_path), "--json-dir", str(tmp_path / "out"))
    assert result.exit_code == 1 and "is_a_directory" in result.output and len(lines(result)) == 1


def test_comply_warns_on_a_document_that_is_not_a_qa_document(tmp_path):
    result = invoke("comply", str(ROOT / "raw" / TR), str(ROOT / "raw" / QA), "--system", "PH-TEST",
                    "--out", str(tmp_path / "out"))
    warnings = [line for line in lines(result) if line.startswith("warning:")]
    assert len(warnings) == 1 and TR in warnings[0] and "not a QA document" in warnings[0]
    assert result.exit_code == 0 and (tmp_path / "out" / "compliance.xlsx").is_file()


def test_comply_with_nothing_readable_writes_no_report(tmp_path):
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "page.pdf").write_text("<html>not a pdf</html>")
    result = invoke("comply", str(tmp_path / "empty.pdf"), str(tmp_path / "page.pdf"), "--system", "X",
                    "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and "none of the 2 file(s) could be read" in result.output
    assert not (tmp_path / "out").exists()


def test_serve_without_a_prefect_server_says_how_to_start_one(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = invoke("serve", "--interval", "60")
    assert result.exit_code == 2 and len(lines(result)) == 1 and "prefect server start" in result.output
