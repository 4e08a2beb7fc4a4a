"""Comparability matrix on real standards from ../shared/corpus (gold JSON, and PDFs through the extractor).

tests/data/compare_sag_masonry_nc_ii.json is a hand-built stand-in for an extracted self-assessment
guide (see its notes): the guide's "Can I ...?" items split under its two units.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mrs_etl.compare import CROSS_LANGUAGE_FLAG, EQUIVALENT, NOT_COMPARABLE, compare_standards, load_standard

pytestmark = pytest.mark.corpus
DATA = Path(__file__).parent / "data"
BASIC = ("500311105", "500311106", "500311107", "500311108")


@pytest.fixture(scope="module")
def gold(corpus_dir):
    names = ("tesda-tr-masonry-nc-ii", "tesda-tr-shielded-metal-arc-welding-nc-ii", "skkni-2016-321-jaringan-komputer")
    return {name: load_standard(corpus_dir / "gold" / f"{name}.json") for name in names}


def test_self_assessment_guide_aligns_one_to_one_with_its_training_regulation(gold):
    sag = load_standard(DATA / "compare_sag_masonry_nc_ii.json")
    result = compare_standards(sag, gold["tesda-tr-masonry-nc-ii"])
    assert [(p.a.title, p.b.code) for p in result.pairs] == [
        ("Lay Concrete Hollow Blocks for Structures", "CON712303"), ("Plaster Wall Surface", "CON712304")]
    lay, plaster = result.pairs
    # measured: 8 of 13 and 3 of 4 items at criterion_match 0.5; the unmatched (scrape excess mortar,
    # jointing, finishing touches, plaster thickness ...) have no criterion in the 2010s TR
    assert lay.cell.n_found_a >= 8 and plaster.cell.n_found_a >= 3
    found = {m.a.text: m.b.number for m in lay.criteria}
    expected = {"Install reinforcing bar": "2.2", "Install and mark horizontal": "1.6", "Spread mortars": "2.3",
                "Perform constant checking": "2.5", "Select and prepare materials": "1.3",
                "Clean and keep work site safe": "2.8"}  # "Lay hollow block on the line" ~ 2.1 falls below 0.5
    for start, number in expected.items():
        assert [n for text, n in found.items() if text.startswith(start)] == [number], start
    assert {g.unit.code for g in result.gaps if g.side == "B"} == {
        u.code for u in gold["tesda-tr-masonry-nc-ii"].units} - {"CON712303", "CON712304"}
    assert not [g for g in result.gaps if g.side == "A"]


def test_self_assessment_guide_pdf_through_the_extractor(corpus_dir, gold):
    sag = load_standard(corpus_dir / "pdf" / "tesda-sag-smaw-nc-ii.pdf")
    result = compare_standards(sag, gold["tesda-tr-shielded-metal-arc-welding-nc-ii"])
    assert [p.b.code for p in result.pairs] == ["MEE721306"]
    matches = {m.a.text: m.b.text for m in result.pairs[0].criteria}
    assert matches["Perform root pass"].startswith("Root pass is performed")
    assert matches["Perform capping"].startswith("Capping is performed")
    assert len(matches) >= 5


def test_shared_basic_units_equivalent_unrelated_core_units_not_comparable(gold):
    masonry, smaw = gold["tesda-tr-masonry-nc-ii"], gold["tesda-tr-shielded-metal-arc-welding-nc-ii"]
    result = compare_standards(masonry, smaw)
    by_code = {p.a.code: p for p in result.pairs}
    for code in BASIC:
        assert by_code[code].b.code == code and by_code[code].band == EQUIVALENT
        assert by_code[code].cell.coverage_a_in_b == by_code[code].cell.coverage_b_in_a == 1.0
    core_a = [i for i, u in enumerate(masonry.units) if u.category == "core"]
    core_b = [j for j, u in enumerate(smaw.units) if u.category == "core"]
    assert len(core_a) == 5 and len(core_b) == 1
    assert all(result.cells[i, j].band == NOT_COMPARABLE for i in core_a for j in core_b)
    assert {g.unit.code for g in result.gaps if g.side == "A"} >= {masonry.units[i].code for i in core_a}


def test_skkni_against_tesda_flags_every_pair_as_different_languages(gold):
    result = compare_standards(gold["skkni-2016-321-jaringan-komputer"], gold["tesda-tr-masonry-nc-ii"])
    assert result.cross_language
    units = result.tables()["comparability_units"]
    assert len(units) == 8 * 13
    assert units["flags"].str.split(";").apply(lambda flags: CROSS_LANGUAGE_FLAG in flags).all()
    assert (units["confidence"] == 0.5).all()
    # network design units have nothing in common with masonry
    assert result.pairs == [] or all(CROSS_LANGUAGE_FLAG in p.cell.flags for p in result.pairs)


JUDGED = DATA / "compare_judged" / "tesda-tr-masonry-nc-ii__tesda-tr-shielded-metal-arc-welding-nc-ii.toml"


def test_against_the_hand_judged_masonry_smaw_matrix(gold):
    """The judge's matrix (made without seeing mrs-etl's output): its same-code pairs are equivalent, its
    gaps are gaps, and its bands agree on most pairs (bench/compare_agreement.py gives every matrix)."""
    if not JUDGED.is_file():
        pytest.skip(f"{JUDGED} not present (the hand-judged matrices come with the labeller's branch)")
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    import compare_agreement

    masonry, smaw = gold["tesda-tr-masonry-nc-ii"], gold["tesda-tr-shielded-metal-arc-welding-nc-ii"]
    judged = compare_agreement.load_judged(JUDGED, masonry, smaw)
    assert not judged.unresolved
    result = compare_standards(masonry, smaw)
    same_ok, same_n = compare_agreement.same_code_pairs(judged, result)
    assert same_n == 4 and same_ok == 4
    found, n_judged, _ = compare_agreement.gap_scores(judged, result)
    assert found == n_judged
    agree, n, _ = compare_agreement.agreement(judged, result)
    assert agree / n >= 0.75  # measured 15/17 with the band model (14/17 with the hand thresholds)


@pytest.fixture(scope="module")
def computer_operation(corpus_dir):
    """SKKNI 2018-056 (computer operation, Indonesian) and the TESDA CSS NC II TR, through the extractor."""
    names = ("skkni-2018-056-pengoperasian-komputer", "tesda-tr-computer-systems-servicing-nc-ii")
    paths = [corpus_dir / "pdf" / f"{name}.pdf" for name in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"not in the corpus: {', '.join(missing)}")
    return [load_standard(p) for p in paths]


def test_skkni_operating_system_unit_is_partly_covered_by_tesda_computer_operations(computer_operation):
    """A pair the hand-judged matrix calls partial (~35 % of the SKKNI unit's criteria found): the SKKNI
    unit's words (folders, files, icons, windows) stand in the TESDA unit's criteria and range of variables."""
    skkni, css = computer_operation
    result = compare_standards(skkni, css)
    i = next(k for k, u in enumerate(skkni.units) if u.code == "J.63OPR00.002.2")  # Menggunakan Sistem Operasi
    j = next(k for k, u in enumerate(css.units) if u.code == "ELC311203")  # Perform computer operations
    assert css.units[j].range_text and "Printers" in css.units[j].range_text
    cell = result.cells[i, j]
    assert cell.band == "partially comparable" and CROSS_LANGUAGE_FLAG in cell.flags
    scope = [result.cells[i, k].features.scope_coverage_a_in_b for k in range(len(css.units))]
    assert max(range(len(scope)), key=scope.__getitem__) == j and scope[j] >= 0.5  # measured 0.86
    # the CSS core (installing and servicing computer systems) is not what an operator does
    core = [k for k, u in enumerate(css.units) if u.category == "core"]
    assert core and all(result.cells[i, k].band == NOT_COMPARABLE for k in core)


def test_nominal_hours_and_packaging_rules_as_the_judge_read_them_from_the_tr(corpus_extraction):
    """TESDA TR Section 3 hours (per category, and the printed total or their sum), as the extractor
    reads them into the qualification, against the hours the judge of tests/data/compare_judged read
    from the same PDFs by hand; Sections 1 and 4 give the packaging rules."""
    import tomllib

    checked, read = 0, {}
    for path in sorted((DATA / "compare_judged").glob("*__*.toml")):
        judged = tomllib.loads(path.read_text(encoding="utf-8"))
        for side in ("a", "b"):
            document = judged["meta"][side]
            by_category = judged["qualification"].get(f"{side}_hours_by_category")
            if not document.startswith("tesda-tr-") or not by_category:
                continue
            if document not in read:  # CSS, SMAW and others stand in more than one matrix
                read[document] = corpus_extraction(document).qualification
            found = read[document]
            assert found.nominal_hours == judged["qualification"][f"{side}_hours"], document
            # the judge also counts domestic work's 96 elective hours, printed apart from the curriculum table
            assert {c: h for c, h in by_category.items() if c != "elective"} == \
                {c: h for c, h in found.hours_by_category.items() if c != "elective"}, document
            assert any(r.lower().startswith(("to attain the national qualification", "a national certificate"))
                       for r in found.packaging_rules), document
            checked += 1
    assert checked >= 20  # measured: 22 TR sides with per-category hours across the 14 matrices


def test_a_training_regulation_carries_its_stated_hours_into_tables_catalogue_and_summary(corpus_extraction):
    from mrs_etl.compare.standards import standard_from_json
    from mrs_etl.portfolio.catalogue import catalogue_rows
    from mrs_etl.standard_json import to_standard_json
    from mrs_etl.tables import extraction_rows, frame

    extraction = corpus_extraction("tesda-tr-masonry-nc-ii.pdf")
    assert extraction.qualification.hours_page == 53  # "Nominal Training Hours" of 3.1 Curriculum design
    masonry = standard_from_json(to_standard_json(extraction))
    assert masonry.nominal_hours == 258  # 18 basic + 24 common + 216 core, no total printed
    assert any("packaged from the competency map of Construction" in r for r in masonry.packaging_rules)
    rows = compare_standards(masonry, masonry).qualifications()
    assert rows[0]["nominal_hours"] == 258 and "To attain the National Qualification" in rows[0]["packaging_rules"]

    tables = {name: frame(name, rows) for name, rows in extraction_rows(extraction).items()}
    qualification = tables["qualifications"].iloc[0]
    assert (qualification.nominal_hours, qualification.basic_hours, qualification.core_hours) == (258, 18, 216)
    documents = frame("documents", [{"document_id": extraction.document.sha256, "file_name": "masonry.pdf",
                                     "status": "ok", "family": "tesda-tr", "country": "PH"}])
    catalogue = catalogue_rows({**tables, "documents": documents})
    assert (catalogue[0]["nominal_hours"], catalogue[0]["hours_basis"]) == (258, "stated")
