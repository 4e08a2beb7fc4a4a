"""The key cached extractions are stored under: the extractor version and a digest of the extraction code.

The version is bumped by hand when output changes on purpose; the digest catches the times it is not
(an extraction fix committed without a bump once served a guide's stale 5-unit extraction from the cache).
"""
from __future__ import annotations

import hashlib
import importlib
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from mrs_etl import EXTRACTOR_VERSION

PACKAGE = Path(__file__).resolve().parent
# What turns a PDF into an Extraction: the engines, the PDF layer and the models. Comparison, checks,
# portfolio and pipeline code read extractions and may change without invalidating them.
EXTRACTION_PARTS = ("pdf", "standard", "checklist", "qa", "extract.py", "models.py", "levels.py",
                    "registry.py", "control_characters.py", "errors.py", "files.py")
DATA_SUFFIXES = {".py", ".toml", ".json"}


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in DATA_SUFFIXES and "__pycache__" not in p.parts)


def _profile_files() -> list[Path]:
    """Every file of the installed profile packages (a profile is data and code of its own family)."""
    from mrs_etl.registry import ENTRY_POINT_GROUP

    files = set()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        package = importlib.import_module(entry.value)
        for folder in getattr(package, "__path__", []):
            files.update(_files_under(Path(folder).resolve()))
    return sorted(files)


def extraction_sources() -> list[Path]:
    """The files whose content decides what an extraction holds."""
    return [path for part in EXTRACTION_PARTS for path in _files_under(PACKAGE / part)] + _profile_files()


@cache
def extraction_code_digest() -> str:
    digest = hashlib.sha256()
    for path in extraction_sources():
        digest.update(path.name.encode())  # the name, not the path: the key must not depend on the clone's place
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extraction_key() -> str:
    """`<EXTRACTOR_VERSION>-<code digest>`: a cache directory name that changes whenever extraction can."""
    return f"{EXTRACTOR_VERSION}-{extraction_code_digest()}"
