"""The Prefect flow end to end on the generated sample: real flow runs, cache, quarantine, exit codes, lock."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mrs_etl.pipeline.lock import processed_lock
from mrs_etl.pipeline.report import EXIT_LOCKED, EXIT_QUARANTINED, run_with_progress
from mrs_etl.pipeline.assemble import PIPELINE_TABLES
from mrs_etl.pipeline.publish import current_version, read_published
from mrs_etl.generated_documents.sample import SAMPLES, write_sample
from pipelines.flows import reporting, run_pipeline

REPO_RAW = Path(__file__).resolve().parents[1] / "raw"
TR, SKKNI, QA = SAMPLES  # file names


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Two flow runs over the same raw/: the sample, a copy in a sub-folder with an odd name, an HTML file."""
    root = tmp_path_factory.mktemp("pipeline")
    raw, processed = root / "raw", root / "processed"
    write_sample(raw)
    (raw / "nested dir").mkdir()
    (raw / "nested dir" / "download (1).pdf").write_text("<!DOCTYPE html><html>moved</html>")
    seen: list[dict] = []
    with reporting(lambda record, total: seen.append(record)):
        first = run_pipeline(raw, processed)
    second = run_pipeline(raw, processed)
    return raw, processed, first, second, seen


def test_sample_generator_reproduces_the_committed_raw_files(tmp_path):
    for path in write_sample(tmp_path):
        assert path.read_bytes() == (REPO_RAW / path.name).read_bytes(), f"raw/{path.name} is stale: mrs-etl make-sample"


def test_flow_extracts_the_sample_and_quarantines_the_bad_file(runs):
    raw, processed, first, _, seen = runs
    assert first.documents == 4 and first.extracted == 4 and first.published
    assert sorted(r["relpath"] for r in seen) == sorted([TR, SKKNI, QA, "nested dir/download (1).pdf"])
    tables = read_published(processed)
    docs = tables["documents"].set_index("path")
    assert docs.loc[TR, "status"] == "ok" and docs.loc[TR, "family"] == "tesda-tr" and docs.loc[TR, "pages"] == 8
    assert docs.loc[SKKNI, "status"] == "ok" and docs.loc[SKKNI, "language"] == "id"
    bad = tables["rejections"].set_index("path").loc["nested dir/download (1).pdf"]
    assert bad["reason"] == "not_a_pdf" and "HTML" in bad["detail"] and bad["stage"] == "extract"
    units = tables["units"]
    tr_units = units[units.document_id == docs.loc[TR, "document_id"]]
    assert list(tr_units.code) == ["500311105", "500311108", "CON311201", "CON712401", "CON712402"]
    assert list(tr_units.category) == ["basic", "basic", "common", "core", "core"]
    pc = tables["performance_criteria"]
    # the last unit's criteria table continues on the next page: nothing lost at the break
    last = pc[pc.unit_id == tr_units.unit_id.iloc[-1]]
    assert len(last) == 20 and last.number.iloc[-1] == "5.3"
    assert set(pc[pc.document_id == docs.loc[SKKNI, "document_id"]].number) >= {"1.1", "2.3", "3.2"}
    qa = tables["qa_policies"]
    assert docs.loc[QA, "status"] == "ok" and docs.loc[QA, "family"] == "qa-policy"
    assert set(qa[qa.document_id == docs.loc[QA, "document_id"]].clause) >= {
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "4.1", "4.2", "4.3"}
    assert first.rows == {name: len(df) for name, df in tables.items()}
    assert set(first.rows) == set(PIPELINE_TABLES)
    assert set(tables["units"].review_status) == {"unreviewed"}


def test_rerun_over_unchanged_raw_does_no_extraction_work(runs):
    _, processed, first, second, _ = runs
    assert second.extracted == 0 and second.cached == 4
    assert second.peak_rss_mb == 0.0  # no child process was started
    assert not second.published and second.version == first.version
    assert second.rows == first.rows and second.quarantined == first.quarantined


def test_published_version_is_described_by_its_datapackage(runs):
    _, processed, *_ = runs
    version = current_version(processed)
    package = json.loads((version / "datapackage.json").read_text())
    assert {r["name"] for r in package["resources"]} == set(PIPELINE_TABLES)
    assert all((version / r["path"]).is_file() for r in package["resources"])
    assert (version / "mrs_etl.duckdb").is_file()


def test_cli_exit_status_is_3_when_some_documents_are_quarantined(runs):
    raw, processed, *_ = runs
    assert run_with_progress(raw, processed) == EXIT_QUARANTINED


def test_second_writer_is_refused_with_a_clear_message(runs, capsys):
    raw, processed, *_ = runs
    before = current_version(processed)
    with processed_lock(processed):
        assert run_with_progress(raw, processed) == EXIT_LOCKED
    assert "another mrs-etl run is writing" in capsys.readouterr().err
    assert current_version(processed) == before


def test_flow_runs_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(REPO_RAW / SKKNI, raw / SKKNI)
    (raw / "empty.pdf").write_bytes(b"")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        summary = run_pipeline(raw, tmp_path / "processed", task_runner="dask",
                               dask_address=cluster.scheduler_address)
    assert summary.extracted == 2 and summary.ok == 1
    assert [q["reason"] for q in summary.quarantined] == ["empty_file"]
    assert summary.rows["performance_criteria"] == 12


def test_only_new_documents_are_extracted_when_raw_changes(runs, tmp_path):
    raw, processed, first, *_ = runs
    raw_copy, processed_copy = tmp_path / "raw", tmp_path / "processed"
    shutil.copytree(raw, raw_copy)
    shutil.copytree(processed, processed_copy, symlinks=True)
    (raw_copy / "later.pdf").write_bytes((raw / SKKNI).read_bytes() + b"\n% a later copy\n")
    third = run_pipeline(raw_copy, processed_copy)
    assert third.extracted == 1 and third.cached == 4 and third.published
    assert third.rows["performance_criteria"] == first.rows["performance_criteria"] + 12


def test_stewards_overrides_are_replayed_on_the_next_run(runs, tmp_path):
    from mrs_etl.review.overrides import OverrideStore, default_store_path

    raw, processed, *_ = runs
    processed_copy = tmp_path / "processed"
    shutil.copytree(processed, processed_copy, symlinks=True)
    units = read_published(processed_copy)["units"]
    row = units.iloc[0].to_dict()
    OverrideStore(default_store_path(processed_copy)).record(
        "steward", "units", row["unit_id"], "edit", changes={"title": "Corrected title"}, row=row, reason="typo")
    summary = run_pipeline(raw, processed_copy)
    assert summary.extracted == 0 and summary.published and summary.override_conflicts == []
    edited = read_published(processed_copy)["units"].set_index("unit_id").loc[row["unit_id"]]
    assert edited["title"] == "Corrected title" and edited["review_status"] == "edited"
