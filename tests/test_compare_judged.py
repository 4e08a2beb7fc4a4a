"""The hand-judged comparability matrices in tests/data/compare_judged parse and name only real units.

Each file is a matrix an independent judge made from two corpus standards without seeing mrs-etl compare
output; the matrix work calibrates against them, so a misspelt code would silently turn a judged pair into
"not comparable". Every code is checked against the extraction of its own PDF (each PDF extracted once).
second_judge/ holds a second, blind judgment of some of the same pairs (to measure how far two judges agree);
it is checked the same way and must name a pair the top directory judges.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

JUDGED_DIR = Path(__file__).resolve().parent / "data" / "compare_judged"
SECOND_JUDGE_DIR = JUDGED_DIR / "second_judge"
SECOND_JUDGE_FILES = sorted(SECOND_JUDGE_DIR.glob("*.toml"))
FILES = sorted(JUDGED_DIR.glob("*.toml")) + SECOND_JUDGE_FILES
BANDS = {"equivalent", "partially comparable", "not comparable"}


def _norm(title: str) -> str:
    return " ".join(title.upper().split())


def _id(path: Path) -> str:
    return path.relative_to(JUDGED_DIR).with_suffix("").as_posix()


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def test_judged_matrices_present():
    assert len(FILES) >= 1


@pytest.mark.parametrize("path", SECOND_JUDGE_FILES, ids=_id)
def test_second_judgment_names_a_judged_pair(path):
    assert (JUDGED_DIR / path.name).is_file(), f"no first judgment of the pair {path.stem} in {JUDGED_DIR}"


@pytest.mark.parametrize("path", FILES, ids=_id)
def test_judged_matrix_is_well_formed(path):
    m = _load(path)
    a_stem, b_stem = path.stem.split("__")
    assert m["meta"]["a"] == f"{a_stem}.pdf" and m["meta"]["b"] == f"{b_stem}.pdf"
    assert m["qualification"]["summary"].strip()
    seen = set()
    for p in m.get("pair", []):
        assert p["band"] in BANDS, p
        assert 0.0 <= p["coverage_a_in_b"] <= 1.0 and 0.0 <= p["coverage_b_in_a"] <= 1.0, p
        assert (p["a"], p["b"]) not in seen, f"pair judged twice: {p}"
        seen.add((p["a"], p["b"]))
    for c in m.get("covered_by", []):
        assert ("a" in c) != ("b" in c), c
        assert c["by"] and 0.0 <= c["coverage"] <= 1.0, c
    for g in m.get("gap", []):
        assert g["side"] in {"a", "b"}, g


@pytest.fixture(scope="module")
def unit_codes(corpus_extraction):
    from mrs_etl.standard_json import to_standard_json

    cache: dict[str, list[dict]] = {}

    def get(document: str, printed_titles: dict[str, str]) -> set[str]:
        """Codes of the document's units; a self-assessment guide prints none, so the judge names each of its
        units by the code of the unit it restates and gives the title it stands for (checked here)."""
        if document not in cache:
            cache[document] = to_standard_json(corpus_extraction(document))["units"]
        titles = {_norm(u["title"]) for u in cache[document]}
        missing = {code: t for code, t in printed_titles.items() if _norm(t) not in titles}
        assert not missing, f"titles not among the units of {document}: {missing}"
        return {u["code"] for u in cache[document] if u["code"]} | set(printed_titles)

    return get


@pytest.mark.corpus
@pytest.mark.parametrize("path", FILES, ids=_id)
def test_judged_codes_exist_in_their_pdf(path, unit_codes):
    m = _load(path)
    codes = {side: unit_codes(m["meta"][side], m.get(f"{side}_unit_codes", {})) for side in ("a", "b")}
    other = {"a": "b", "b": "a"}
    named: list[tuple[str, str]] = []
    for p in m.get("pair", []):
        named += [("a", p["a"]), ("b", p["b"])]
    for c in m.get("covered_by", []):
        side = "a" if "a" in c else "b"
        named.append((side, c[side]))
        named += [(other[side], code) for code in c["by"]]
    named += [(g["side"], g["unit"]) for g in m.get("gap", [])]
    unknown = sorted({(side, code) for side, code in named if code not in codes[side]})
    assert not unknown, f"codes not in the extraction of their PDF: {unknown}"
