"""Cached extractions are keyed on the code that made them, so a fix can never be hidden by a stale cache."""
import json
import subprocess
import sys
from pathlib import Path

from mrs_etl.extraction_key import extraction_key, extraction_sources
from mrs_etl.pipeline.extract import ExtractionCache

ROOT = Path(__file__).resolve().parents[1]

LOADED_BY_EXTRACTION = """
import json, sys
from mrs_etl.extract import extract_pdf
from mrs_etl.registry import profiles
profiles()
print(json.dumps(sorted(m.__file__ for name, m in sys.modules.items()
                        if name.split('.')[0] in ('mrs_etl', 'extractors') and getattr(m, '__file__', None))))
"""


def test_every_module_extraction_loads_is_in_the_cache_key():
    out = subprocess.run([sys.executable, "-c", LOADED_BY_EXTRACTION], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    loaded = {Path(f).resolve() for f in json.loads(out)}
    hashed = {p.resolve() for p in extraction_sources()}
    version_module = ROOT / "mrs_etl" / "__init__.py"  # EXTRACTOR_VERSION is in the key by itself
    missing = sorted(str(p.relative_to(ROOT)) for p in loaded - hashed - {version_module})
    assert not missing, f"extraction code outside the cache key: {missing}"
    # the family profiles and the self-assessment engine changed in session 10 without a version bump
    names = {p.relative_to(ROOT).as_posix() for p in hashed}
    assert {"extractors/tesda_sag.py", "mrs_etl/checklist/engine.py", "mrs_etl/standard/engine.py"} <= names


def test_cache_directory_is_the_extraction_key(tmp_path):
    cache = ExtractionCache(tmp_path)
    assert cache.path("ab" * 32).parent.parent.name == extraction_key()
    assert extraction_key().count("-") == 1 and len(extraction_key().split("-")[1]) == 12
