"""One writer at a time for processed/: a second run stops at once with a clear message."""
from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def processed_lock(processed: str | Path, wait_s: float = 0) -> Iterator[None]:
    """Hold the processed/ lock (an OS lock: released by the kernel even when the holder is SIGKILLed)."""
    processed = Path(processed)
    processed.mkdir(parents=True, exist_ok=True)
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
        yield
    finally:
        lock.release()
