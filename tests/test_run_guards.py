"""`mrs-etl run` as a user meets it: nothing empty is published, a locked or damaged set-up is one line (never a
traceback), Prefect's local server starts on a busy machine, and one that cannot start is one line with the fix."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mrs_etl import prefect_api
from mrs_etl.pipeline.lock import processed_lock
from mrs_etl.pipeline.report import EXIT_EMPTY, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, EXIT_QUARANTINED, run_with_progress
from mrs_etl.pipeline.publish import current_version, read_published
from mrs_etl.review.overrides import default_store_path
from mrs_etl.generated_documents.sample import SAMPLES

ROOT = Path(__file__).resolve().parents[1]
TR, SKKNI, QA = SAMPLES
MRS_ETL = str(Path(sys.executable).parent / "mrs-etl")


def _errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """processed/ with one published version (the SKKNI sample: small and quick to extract)."""
    root = tmp_path_factory.mktemp("guards")
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / SKKNI, raw / SKKNI)
    assert run_with_progress(raw, root / "processed") == EXIT_OK
    return root


@pytest.fixture
def site(published, tmp_path):
    processed = tmp_path / "processed"
    shutil.copytree(published / "processed", processed, symlinks=True)
    return {"raw": published / "raw", "processed": processed, "before": current_version(processed)}


def test_an_empty_raw_dir_does_not_replace_what_is_published(site, tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_with_progress(empty, site["processed"]) == EXIT_EMPTY
    assert current_version(site["processed"]) == site["before"]
    assert "no PDF found" in capsys.readouterr().err


def test_a_raw_dir_where_nothing_is_readable_does_not_replace_what_is_published(site, tmp_path, capsys):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.pdf").write_bytes(b"")
    (broken / "b.pdf").write_text("<html>not a pdf</html>")
    assert run_with_progress(broken, site["processed"]) == EXIT_EMPTY
    assert current_version(site["processed"]) == site["before"]
    assert "none of the 2 file(s)" in capsys.readouterr().err
    # asked for explicitly, the all-quarantined version is published
    assert run_with_progress(broken, site["processed"], allow_empty=True) == EXIT_QUARANTINED
    assert current_version(site["processed"]) != site["before"]
    assert len(read_published(site["processed"])["units"]) == 0


def test_the_run_summary_lists_overrides_that_did_not_apply(site, capsys, monkeypatch):
    from mrs_etl.review.overrides import OverrideStore

    monkeypatch.setenv("COLUMNS", "250")  # rich wraps table titles and cells at 80 columns when not a terminal

    ghost = "0" * 64 + "/u001"
    OverrideStore(default_store_path(site["processed"])).record(
        "Ana", "units", ghost, "accept", row={"document_id": "0" * 64, "code": "X1", "title": "Gone"})
    assert run_with_progress(site["raw"], site["processed"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "did not apply" in out and "missing_row" in out and "u001" in out


def _cli(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([MRS_ETL, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def test_a_locked_processed_dir_is_one_line_without_a_traceback(site):
    with processed_lock(site["processed"]):
        done = _cli("run", "--raw", str(site["raw"]), "--processed", str(site["processed"]))
    assert done.returncode == EXIT_LOCKED
    assert "Traceback" not in done.stderr + done.stdout
    assert len(_errors(done.stderr)) == 1 and "another mrs-etl run is writing" in done.stderr


def test_a_damaged_overrides_store_is_one_line_for_run_and_review(site):
    store = default_store_path(site["processed"])
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"this is not an sqlite database" * 100)
    run = _cli("run", "--raw", str(site["raw"]), "--processed", str(site["processed"]))
    assert run.returncode == EXIT_FAILED and "Traceback" not in run.stderr + run.stdout
    assert len(_errors(run.stderr)) == 1 and "overrides store" in run.stderr and "restore it from a backup" in run.stderr
    assert current_version(site["processed"]) == site["before"]
    review = _cli("review", "--processed", str(site["processed"]), "--raw", str(site["raw"]), "--port", "0")
    assert review.returncode == 2 and "Traceback" not in review.stderr + review.stdout
    assert _errors(review.stderr) == [line for line in _errors(review.stderr) if line.startswith("error:")]
    assert "overrides store" in review.stderr


def test_a_local_server_that_cannot_start_is_one_line_with_the_fix(site, monkeypatch, capsys):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(prefect_api, "_server", None)  # not the one the other tests share
    monkeypatch.setattr(prefect_api, "startup_timeout", lambda: 0.5)
    try:
        assert run_with_progress(site["raw"], site["processed"]) == EXIT_FAILED
    finally:
        if prefect_api._server is not None:
            prefect_api._server.stop()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "did not start within" in err
    assert prefect_api.STARTUP_TIMEOUT_ENV in err.replace("\n", "") and "PREFECT_API_URL" in err.replace("\n", "")


def test_the_project_sets_a_generous_startup_timeout_unless_the_user_set_one(monkeypatch):
    monkeypatch.delenv(prefect_api.STARTUP_TIMEOUT_ENV, raising=False)
    assert prefect_api.startup_timeout() >= 240
    monkeypatch.setenv(prefect_api.STARTUP_TIMEOUT_ENV, "42")
    assert prefect_api.startup_timeout() == 42


BUSY = "import time\nend = time.monotonic() + 900\nwhile time.monotonic() < end: pass"


@pytest.mark.slow
def test_first_run_on_a_fresh_machine_succeeds_while_both_cores_are_busy(tmp_path):
    """A fresh PREFECT_HOME (database not yet migrated) and every core kept busy, as on the shared machine."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(ROOT / "raw" / SKKNI, raw / SKKNI)
    hogs = [subprocess.Popen([sys.executable, "-c", BUSY], start_new_session=True)
            for _ in range(os.cpu_count() or 2)]
    try:
        env = {"PREFECT_HOME": str(tmp_path / "prefect-home")}
        env_clean = {k: v for k, v in os.environ.items()
                     if k not in ("PREFECT_API_URL", prefect_api.STARTUP_TIMEOUT_ENV)}
        done = subprocess.run([MRS_ETL, "run", "--raw", str(raw), "--processed", str(tmp_path / "processed")],
                              capture_output=True, text=True, timeout=900, cwd=ROOT,
                              env={**env_clean, "PYTHONPATH": str(ROOT), **env})
    finally:
        for hog in hogs:
            os.killpg(hog.pid, signal.SIGKILL)
            hog.wait()
    assert done.returncode == EXIT_OK, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert "preparing Prefect's database" in done.stderr  # migrations once, up front, said so
    assert current_version(tmp_path / "processed") is not None
