"""Running one function in a child process with a time limit and a memory cap.

A hostile PDF (decompression bomb, 2,000 pages, a parser loop) must cost at most its own limits:
the child gets an address-space rlimit as a hard backstop, the parent watches its resident memory
and its wall time and kills the whole process group when either is exceeded. A plain subprocess
(not multiprocessing) so that it also works inside daemonic Dask worker processes.

The child runs `python -m mrs_etl.pipeline.isolation <module:function> <json args> <address-space bytes>`;
the function communicates through the files named in its arguments, not through pipes.
"""
from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import psutil

MB = 1 << 20
EXIT_MEMORY = 75  # the child's own MemoryError (the rlimit was hit)
EXIT_ORPHANED = 76  # the parent died first
_HWM_MARK = "mrs-etl-isolation: peak_rss_kb="
_REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 600.0
    memory_mb: int = 1536  # resident memory; the watchdog kills the child above it
    # virtual address space: a backstop for allocations faster than the watchdog's poll; it has to
    # be well above the resident cap because pdfium and the allocator reserve far more than they touch
    address_space_mb: int = 8192
    poll_s: float = 0.05


@dataclass(frozen=True)
class ChildOutcome:
    returncode: int  # negative: killed by that signal
    elapsed_s: float
    peak_rss_bytes: int  # the child's VmHWM (peak resident memory since exec)
    timed_out: bool
    over_memory: bool
    stderr_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.over_memory

    def failure(self) -> tuple[str, str]:
        """(reason, detail) for a child that did not finish cleanly."""
        if self.timed_out:
            return "timeout", f"extraction took longer than {self.elapsed_s:.0f} s and was stopped"
        if self.over_memory or self.returncode == EXIT_MEMORY:
            return "memory_limit", f"extraction needed more than the memory cap (peak {self.peak_rss_bytes / MB:.0f} MB)"
        if self.returncode < 0:
            return "crashed", f"the extraction process died with signal {signal.Signals(-self.returncode).name}"
        last = [line for line in self.stderr_tail.strip().splitlines() if not line.startswith(_HWM_MARK)][-1:] or [""]
        return "crashed", f"the extraction process exited with status {self.returncode}: {last[0][:300]}"


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # one thread per library: the parent decides the parallelism, and thread arenas inflate memory
    env.update(OMP_THREAD_LIMIT="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               MALLOC_ARENA_MAX="2", PYTHONDONTWRITEBYTECODE="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def run_isolated(target: str, args: list, limits: Limits = Limits()) -> ChildOutcome:
    """Run `target` ("package.module:function") with JSON-able `args` in a child; never raises for the child's faults."""
    command = [sys.executable, "-m", "mrs_etl.pipeline.isolation", target, json.dumps(args),
               str(limits.address_space_mb * MB)]
    with tempfile.TemporaryFile() as stderr:
        start = time.monotonic()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
                                env=_child_env(), start_new_session=True)
        watched = psutil.Process(proc.pid)
        timed_out = over_memory = False
        peak_kb = 0
        try:
            while True:
                pid, status = os.waitpid(proc.pid, os.WNOHANG)
                if pid:
                    break
                elapsed = time.monotonic() - start
                try:
                    rss = watched.memory_info().rss
                except psutil.Error:
                    rss = 0
                peak_kb = max(peak_kb, _high_water_kb(proc.pid))
                if elapsed > limits.timeout_s or rss > limits.memory_mb * MB:
                    timed_out, over_memory = elapsed > limits.timeout_s, rss > limits.memory_mb * MB
                    _kill_group(proc.pid)
                    pid, status = os.waitpid(proc.pid, 0)
                    break
                time.sleep(limits.poll_s)
        except BaseException:  # the parent is being stopped: take the child with it
            _kill_group(proc.pid)
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.monotonic() - start
        stderr.seek(0, os.SEEK_END)
        stderr.seek(max(0, stderr.tell() - 4000))
        tail = stderr.read().decode("utf-8", "replace")
    reported = [int(v) for v in re.findall(rf"{_HWM_MARK}(\d+)", tail)]
    return ChildOutcome(proc.returncode, elapsed, max([peak_kb, *reported]) * 1024, timed_out, over_memory, tail)


def _high_water_kb(pid: int) -> int:
    """VmHWM: peak resident memory since exec. (rusage's ru_maxrss would include the parent's memory
    that the child shared between fork and exec, a few hundred MB that the extraction never used.)"""
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _exit_when_orphaned(parent: int) -> None:
    """A run killed with SIGKILL cannot stop its children: each one notices and stops itself."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(EXIT_ORPHANED)


def _child_main(target: str, args_json: str, address_space: str) -> int:
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    limit = int(address_space)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    module, _, name = target.partition(":")
    try:
        getattr(import_module(module), name)(*json.loads(args_json))
    except MemoryError:
        return EXIT_MEMORY
    finally:  # the parent polls the peak; this catches a last peak between two polls
        print(f"{_HWM_MARK}{_high_water_kb(os.getpid())}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(*sys.argv[1:4]))
