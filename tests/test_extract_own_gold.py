"""Extraction scored on the project's own hand-checked gold (tests/gold), documents the engine was not tuned on.

Each gold file names its PDF in ../shared/corpus/pdf; the document is extracted once per module and scored
with ../shared/tools/score_extraction.py. The gold was written from the PDFs before the extractor was run on them.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from mrs_etl.standard_json import to_standard_json

pytestmark = pytest.mark.corpus
GOLD_DIR = Path(__file__).resolve().parent / "gold"

STEMS = sorted(p.stem for p in GOLD_DIR.glob("*.json"))


@pytest.fixture(scope="module")
def scored(corpus_dir, corpus_extraction):
    spec = importlib.util.spec_from_file_location("score_extraction", corpus_dir.parent / "tools" / "score_extraction.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    cache: dict[str, dict] = {}

    def get(stem: str) -> dict:
        if stem not in cache:
            gold = json.loads((GOLD_DIR / f"{stem}.json").read_text())
            cache[stem] = scorer.score(gold, to_standard_json(corpus_extraction(gold["document"])))
        return cache[stem]

    return get


def test_own_gold_files_exist():
    assert len(STEMS) >= 3


@pytest.mark.parametrize("stem", STEMS)
def test_own_gold_targets(stem, scored):
    result = scored(stem)
    assert result["units_f1"] >= 0.99, result["missing_units"]
    assert result["pc_f1"] >= 0.98
    assert result["pc_exact"] / result["pc_tp"] >= 0.95
    assert result["fields_f1"] >= 0.95


@pytest.mark.parametrize("stem", STEMS)
def test_own_gold_criteria_under_their_element(stem, scored):
    result = scored(stem)
    assert result["pc_right_element"] / result["pc_tp"] >= 0.99
