"""The Prefect API a run reports to: the user's server (PREFECT_API_URL), or a local one started here.

Prefect's own temporary server is fragile on a loaded 2-core machine: it waits 20 s by default while its
first start (database migrations, with sqlite "database is locked" retries) has been seen to take over a
minute; it picks a random port in 8000-8999 that it checks long before the server binds it, so two runs
starting together can clash; and either failure reaches the user as a traceback. So when no API is
configured, the run starts the same server itself: migrations once up front with a message, a port the
OS has just handed out (another one if the server cannot bind it), a generous start-up wait unless the
user set one, and one line saying what to do when it still does not come up (`LocalApiUnavailable`).
The server is shared by every run of the process and stopped when the process ends (or dies).
"""
from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

STARTUP_TIMEOUT_ENV = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
STARTUP_TIMEOUT_S = 600  # Prefect's 20 s fails on a busy machine (2 min seen at load 11 on 2 cores); idle: 5-15 s
PORT_ATTEMPTS = 5
_READY_MARK = "mrs-etl-db-ready"  # in PREFECT_HOME: the database was migrated for this Prefect and URL


class LocalApiUnavailable(RuntimeError):
    """The local Prefect server could not be started; the message is one line with the fix."""


def set_defaults() -> None:
    """Environment defaults for a run, before Prefect is imported (a user's own values win)."""
    os.environ.setdefault(STARTUP_TIMEOUT_ENV, str(STARTUP_TIMEOUT_S))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def startup_timeout() -> float:
    """The user's start-up timeout (environment or Prefect profile), else the project's."""
    if os.environ.get(STARTUP_TIMEOUT_ENV):
        return float(os.environ[STARTUP_TIMEOUT_ENV])
    from prefect.settings import get_current_settings

    ephemeral = get_current_settings().server.ephemeral
    set_by_user = "startup_timeout_seconds" in ephemeral.model_fields_set
    return float(ephemeral.startup_timeout_seconds) if set_by_user else float(STARTUP_TIMEOUT_S)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """A run killed with SIGKILL cannot stop its server: the kernel does (Linux; elsewhere atexit only)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _one_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "no output"


def migrate_database(say: Callable[[str], None] = _say) -> None:
    """Bring Prefect's database up to date once per Prefect version and database (not on every start)."""
    import prefect
    from filelock import FileLock
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    home = Path(settings.home).expanduser()
    url = settings.server.database.connection_url.get_secret_value() if settings.server.database.connection_url else ""
    key = f"{prefect.__version__} {url}"
    marker = home / _READY_MARK
    sqlite_file = Path(url.split(":///", 1)[1]) if url.startswith("sqlite") and ":///" in url else None
    home.mkdir(parents=True, exist_ok=True)
    with FileLock(home / f"{_READY_MARK}.lock"):
        if marker.is_file() and marker.read_text() == key and (sqlite_file is None or sqlite_file.exists()):
            return
        say(f"preparing Prefect's database in {home} (once per Prefect version; up to a few minutes on a busy "
            "machine)...")
        done = subprocess.run([sys.executable, "-m", "prefect", "server", "database", "upgrade", "-y"],
                              env={**os.environ, **settings.to_environment_variables(exclude_unset=True)},
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            raise LocalApiUnavailable(f"Prefect's database migration failed ({_one_line(done.stderr or done.stdout)}); "
                                      f"move {home} aside and run again, or set PREFECT_API_URL to a running server")
        marker.write_text(key)


class LocalServer:
    """Prefect's API server (the one `prefect server start` runs, without UI) on a free loopback port."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self._log = tempfile.TemporaryFile()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _spawn(self) -> None:
        import prefect
        from prefect.settings import get_current_settings

        self.port = _free_port()
        self._log.seek(0)
        self._log.truncate()
        env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True),
               "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
               "PREFECT_API_DATABASE_MIGRATE_ON_START": "false"}  # done once up front
        env.pop("PREFECT_API_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__module_path__).parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)

    def _output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def start(self, timeout_s: float) -> None:
        import httpx

        deadline = time.monotonic() + timeout_s
        attempts = 0
        self._spawn()
        while True:
            if self.process.poll() is not None:
                output = self._output()
                attempts += 1
                if "address already in use" in output.lower() and attempts < PORT_ATTEMPTS:
                    self._spawn()  # someone took the port between our probe and the server's bind
                    continue
                raise LocalApiUnavailable(f"Prefect's local server stopped while starting ({_one_line(output)}); "
                                          "run `prefect server start` in another shell and export "
                                          "PREFECT_API_URL=http://127.0.0.1:4200/api")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise LocalApiUnavailable(
                    f"Prefect's local server did not start within {timeout_s:.0f} s (is the machine very busy?): "
                    f"run again with {STARTUP_TIMEOUT_ENV}=1800, or run `prefect server start` in another shell and "
                    "export PREFECT_API_URL=http://127.0.0.1:4200/api")
            time.sleep(0.25)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


_server: LocalServer | None = None


def local_server(say: Callable[[str], None] = _say) -> LocalServer:
    """The process's local server, started (or restarted) when needed."""
    global _server
    if _server is None:
        _server = LocalServer()
        atexit.register(_server.stop)
    if not _server.alive():
        migrate_database(say)
        _server.start(startup_timeout())
    return _server


@contextlib.contextmanager
def prefect_api(say: Callable[[str], None] = _say) -> Iterator[str]:
    """Inside the block flows report to a reachable Prefect API; yields its URL."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    configured = PREFECT_API_URL.value()
    if configured:
        yield configured
        return
    url = local_server(say).api_url
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url  # for processes the run starts (local Dask workers)
    try:
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
