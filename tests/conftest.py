"""Shared test set-up: an isolated Prefect home (set before prefect is imported) and the real corpus."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Prefect reads these when it is first imported: tests must never touch ~/.prefect or phone home, and
# each process (every pytest-xdist worker) has a home of its own, never a Prefect database shared.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="mrs-etl-prefect-")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus beside the repository; tests that need it skip when it is absent."""
    if not (CORPUS / "pdf").is_dir():
        pytest.skip(f"real corpus not found at {CORPUS} (place ../shared/corpus beside the repo)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_extraction(corpus_dir, tmp_path_factory):
    """`extract_pdf` of a corpus file, read once per test session; each caller gets its own copy.

    Gold scores, the anomaly scan, the judged matrices and the QA checks read many of the same PDFs.
    Under `pytest -n` (as `make test` runs) the workers share what one of them has read through a
    directory of this session only, one lock per document, so no PDF is read twice.
    """
    import pickle

    from filelock import FileLock

    from mrs_etl.extract import extract_pdf

    session_dir = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        session_dir = session_dir.parent  # the workers' base temps sit in one directory per session
    store = session_dir / "corpus-extractions"
    store.mkdir(exist_ok=True)

    def extract(file_name: str, family: str | None = None):
        pdf = corpus_dir / "pdf" / file_name
        if not pdf.exists():
            pytest.skip(f"{pdf} not in the corpus")
        kept = store / f"{pdf.stem}.{family or 'detected'}.pickle"
        with FileLock(str(kept) + ".lock"):
            if not kept.exists():
                kept.write_bytes(pickle.dumps(extract_pdf(pdf, family=family)))
        return pickle.loads(kept.read_bytes())  # a fresh copy: a test may change what it gets

    return extract
