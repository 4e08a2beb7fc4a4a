"""Shared test set-up: an isolated Prefect home (set before prefect is imported) and the real corpus."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect reads these when it is first imported: tests must never touch ~/.prefect or phone home.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mrs-etl-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the repository; tests that need it skip when it is absent."""
    if not (CORPUS / "pdf").is_dir():
        pytest.skip(f"real corpus not found at {CORPUS} (place ../shared/corpus beside the repo)")
    return CORPUS
