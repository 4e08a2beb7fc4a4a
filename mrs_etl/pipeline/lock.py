"""One writer at a time for processed/: a second run stops at once with a clear message."""
from __future__ import annotations

import contextlib
import contextvars
import json
import os
import socket
import time
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

LOCK_FILE = ".lock"
OWNER_FILE = ".lock.owner"


class ProcessedLocked(RuntimeError):
    pass


# processed/ directories whose lock a caller took for the code running in this context (see `grant`)
_granted: contextvars.ContextVar[frozenset] = contextvars.ContextVar("mrs_etl_granted_locks", default=frozenset())


@contextlib.contextmanager
def processed_lock(processed: str | Path, wait_s: float = 0, *, grant: bool = False) -> Iterator[None]:
    """Hold the processed/ lock (an OS lock: released by the kernel even when the holder is SIGKILLed).

    With `grant`, code running inside the block (the flow this caller starts) takes the lock it holds
    instead of waiting for itself: a locked processed/ is then refused before Prefect starts a flow run
    and logs the refusal as a traceback.
    """
    processed = Path(processed)
    processed.mkdir(parents=True, exist_ok=True)
    key = str(processed.resolve())
    if key in _granted.get():
        yield
        return
    lock = FileLock(processed / LOCK_FILE)
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        try:
            owner = json.loads((processed / OWNER_FILE).read_text())
            who = f" (pid {owner['pid']} on {owner['host']}, since {owner['since']})"
        except (OSError, ValueError, KeyError):
            who = ""
        raise ProcessedLocked(f"another mrs-etl run is writing {processed}{who}; "
                              "wait for it to finish, or point --processed elsewhere") from None
    try:
        (processed / OWNER_FILE).write_text(json.dumps({
            "pid": os.getpid(), "host": socket.gethostname(),
            "since": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}))
        token = _granted.set(_granted.get() | {key}) if grant else None
        try:
            yield
        finally:
            if token is not None:
                _granted.reset(token)
    finally:
        lock.release()
