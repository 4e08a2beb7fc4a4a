"""A served schedule really runs: `mrs-etl serve` against a real `prefect server start` produces a completed
flow run on its own (this broke silently once, when SQLAlchemy 2.1 left Prefect's scheduler unable to
insert runs; see the pin in pyproject.toml)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mrs_etl.pipeline.publish import current_version
from mrs_etl.generated_documents.sample import write_sample

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_S = 420  # a loaded 2-core machine has been seen to need over a minute; bounded all the same
FIRST_RUN_S = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """The process and everything it started (each is started in a session of its own)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _tail(path: Path, n: int = 3000) -> str:
    return path.read_text(errors="replace")[-n:] if path.is_file() else ""


@pytest.mark.slow
def test_served_schedule_produces_a_completed_flow_run(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_sample(raw)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": api,
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false",
           "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5", "PYTHONPATH": str(ROOT)}
    bin_dir = Path(sys.executable).parent
    server_log, serve_log = tmp_path / "server.log", tmp_path / "serve.log"
    procs: list[subprocess.Popen] = []
    try:
        with open(server_log, "wb") as log:
            procs.append(subprocess.Popen([str(bin_dir / "prefect"), "server", "start", "--host", "127.0.0.1",
                                           "--port", str(port), "--analytics-off", "--no-ui"],
                                          env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        deadline = time.monotonic() + SERVER_START_S
        while True:
            assert procs[0].poll() is None, f"prefect server exited: {_tail(server_log)}"
            assert time.monotonic() < deadline, f"prefect server not up in {SERVER_START_S} s: {_tail(server_log)}"
            try:
                if httpx.get(f"{api}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)

        with open(serve_log, "wb") as log:
            procs.append(subprocess.Popen([str(bin_dir / "mrs-etl"), "serve", "--interval", "10", "--raw", str(raw),
                                           "--processed", str(processed), "--name", "schedule-test"],
                                          env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        deadline = time.monotonic() + FIRST_RUN_S
        states: list[str] = []
        while True:
            assert procs[1].poll() is None, f"mrs-etl serve exited: {_tail(serve_log)}"
            assert "Can't evaluate bulk DML" not in _tail(server_log, 10**6), (
                f"Prefect's scheduler cannot insert runs (SQLAlchemy too new?): {_tail(server_log, 1500)}")
            assert time.monotonic() < deadline, (
                f"no completed flow run within {FIRST_RUN_S} s (runs seen: {states}); "
                f"server log: {_tail(server_log, 1500)}; serve log: {_tail(serve_log, 1500)}")
            try:
                runs = httpx.post(f"{api}/flow_runs/filter", timeout=10, json={"flow_runs": {"state": {"type": {
                    "any_": ["RUNNING", "COMPLETED", "FAILED", "CRASHED"]}}}}).json()
            except (httpx.HTTPError, ValueError):
                runs = []
            states = [r["state_type"] for r in runs if isinstance(r, dict)]
            if "COMPLETED" in states:
                break
            assert "FAILED" not in states and "CRASHED" not in states, (
                f"a scheduled run failed: {states}; serve log: {_tail(serve_log)}")
            time.sleep(3)
        assert current_version(processed) is not None, "the scheduled run published the sample"
    finally:
        for proc in reversed(procs):
            _stop(proc)
