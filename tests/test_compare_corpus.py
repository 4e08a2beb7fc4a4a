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


def corpus_pdfs(corpus_dir, *names):
    """Corpus PDFs through the extractor, as standards; the test skips when one is absent."""
    paths = [corpus_dir / "pdf" / f"{name}.pdf" for name in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"not in the corpus: {', '.join(missing)}")
    return [load_standard(p) for p in paths]


@pytest.fixture(scope="module")
def computer_operation(corpus_dir):
    """SKKNI 2018-056 (computer operation, Indonesian) and the TESDA CSS NC II TR, through the extractor."""
    return corpus_pdfs(corpus_dir, "skkni-2018-056-pengoperasian-komputer", "tesda-tr-computer-systems-servicing-nc-ii")


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


@pytest.fixture(scope="module")
def eim_pv(corpus_dir):
    """TESDA EIM NC II and PV Systems Installation NC II TRs, through the extractor."""
    eim, pv = corpus_pdfs(corpus_dir, "tesda-tr-electrical-installation-maintenance-nc-ii",
                          "tesda-tr-pv-systems-installation-nc-ii")
    return eim, pv, compare_standards(eim, pv)


def _index(standard, code):
    return next(k for k, u in enumerate(standard.units) if u.code == code)


def test_a_title_printed_in_the_singular_and_in_the_plural_is_the_same_unit(eim_pv):
    """EIM 'PERFORM MENSURATION AND CALCULATION' and PV 'PERFORM MENSURATIONS AND CALCULATIONS': the
    judge calls them equivalent (same title up to a plural); 'mensurations' is not in spaCy's lemma table."""
    eim, pv, result = eim_pv
    cell = result.cells[_index(eim, "ELC311201"), _index(pv, "CON311203")]
    assert "same_title" in cell.flags and cell.band == EQUIVALENT


def test_a_line_repeated_in_the_elements_of_one_unit_is_its_template_not_its_trade(eim_pv):
    """TESDA's installation template (schedule of work followed, further instructions sought, on-going
    checks) stands in each element of EIM's protective-devices unit; the judge does not count it as trade
    overlap with PV installation. Its trade lines (installing the devices) keep their full weight."""
    eim, pv, result = eim_pv
    i = _index(eim, "ELC7413302")
    start = sum(len(u.criteria) for u in eim.units[:i])
    weights = {c.text: result.generic_a[start + k] for k, c in enumerate(eim.units[i].criteria)}
    template = [w for text, w in weights.items() if text.startswith(("Schedule of work is followed",
                                                                     "Further instructions are sought",
                                                                     "On-going checks of quality"))]
    trade = [w for text, w in weights.items() if text.startswith("Correct procedures for installation")]
    assert len(template) >= 4 and all(w < 1 for w in template)
    assert len(trade) == 2 and all(w == 1 for w in trade)
    # shared template and tidy-up lines alone do not make PV installation equivalent to it (judged partial)
    assert result.cells[i, _index(pv, "CON724327")].band != EQUIVALENT


def test_a_cross_language_pair_stands_out_from_its_matrix_though_its_similarities_run_low(computer_operation):
    """SKKNI web browser unit x TESDA 'Perform computer operations' (judged partial): unit-text
    similarity 0.27, which would be low between two English standards, but about four standard
    deviations above the other cells of the matrix; the band model reads that standing."""
    skkni, css = computer_operation
    result = compare_standards(skkni, css)
    cell = result.cells[_index(skkni, "J.63OPR00.007.2"), _index(css, "ELC311203")]
    assert cell.text_similarity < 0.35 and cell.features.text_standing >= 3.0  # measured 0.27, 4.05
    standings = [c.features.text_standing for c in result.cells.values()]
    assert abs(sum(standings) / len(standings)) < 1e-6  # a standing is measured against the matrix's mean
    assert cell.features.closeness_standing >= 2.0  # measured 3.3


def test_safety_units_of_two_trades_are_partially_comparable_their_trade_units_not(corpus_dir):
    """Bread and pastry NC II x food processing NC II (judged blind, 2026-12-02): the judge calls
    'Perform workplace and safety practices' x 'Apply food safety and sanitation' partial (~0.45 each
    way) though the lexical reading finds no criterion in common; the baking core units stay not
    comparable with food processing's (the judge: the trades differ)."""
    bread, food = corpus_pdfs(corpus_dir, "tesda-tr-bread-pastry-production-nc-ii", "tesda-tr-food-processing-nc-ii")
    result = compare_standards(bread, food)
    cell = result.cells[_index(bread, "TRS311204"), _index(food, "AGR741201")]
    assert cell.features.shared_theme and cell.band == "partially comparable" and "safety" in cell.band_reason
    core = [k for k, u in enumerate(bread.units) if u.category == "core"]
    assert core and all(result.cells[k, _index(food, "AGR741304")].band == NOT_COMPARABLE for k in core)


def test_basic_units_of_two_levels_or_generations_are_partially_comparable(corpus_dir):
    """TESDA basic units at NC II and NC III (rice machinery NC II x agroentrepreneurship NC III, judged
    blind 2026-12-01): 'Participate in workplace communication' x 'Lead workplace communication' and
    'Work in team environment' x 'Lead small teams' are judged partial though no criterion is worded
    alike (measured coverage 0.00); the NC II communication unit stays not comparable with the NC III
    team unit."""
    rice, agro = corpus_pdfs(corpus_dir, "tesda-tr-rice-machinery-operations-nc-ii", "tesda-tr-agroentrepreneurship-nc-iii")
    result = compare_standards(rice, agro)
    for a_code, b_code, theme in (("500311105", "500311109", "workplace communication"),
                                  ("500311106", "500311110", "teamwork")):
        cell = result.cells[_index(rice, a_code), _index(agro, b_code)]
        assert cell.band == "partially comparable" and theme in cell.band_reason, (a_code, b_code, cell.band_reason)
    assert result.cells[_index(rice, "500311105"), _index(agro, "500311110")].band == NOT_COMPARABLE
    # 'Practice career professionalism' (2010s basic unit) x 'Develop career and life decisions' (2018
    # generation): the judges of caregiving x domestic work call them partial
    care, domestic = corpus_pdfs(corpus_dir, "tesda-tr-caregiving-nc-ii", "tesda-tr-domestic-work-nc-ii")
    cell = compare_standards(care, domestic).cells[_index(care, "500311107"), _index(domestic, "400311213")]
    assert cell.band == "partially comparable" and "career and work values" in cell.band_reason


def test_client_relations_units_of_two_service_trades_are_partially_comparable(corpus_dir):
    """F&B services NC II x housekeeping NC II (judged blind, 2026-12-02): 'Receive and handle guest
    concerns' x 'Provide effective customer service' partial (~0.45 of A in B: complaint handling) on the
    client relation, the competence of both, with no line worded alike; F&B's 'Welcome guests and take
    food and beverage orders', a service step the judge does not pair with it, stays not comparable."""
    fnb, hk = corpus_pdfs(corpus_dir, "tesda-tr-food-beverage-services-nc-ii", "tesda-tr-housekeeping-nc-ii")
    result = compare_standards(fnb, hk)
    cell = result.cells[_index(fnb, "TRS512392"), _index(hk, "TRS311205")]
    assert cell.band == "partially comparable" and "client relations" in cell.band_reason
    welcome = next(k for k, u in enumerate(fnb.units) if u.title.upper().startswith("WELCOME GUESTS"))
    assert result.cells[welcome, _index(hk, "TRS311205")].band == NOT_COMPARABLE


def test_operator_routine_units_are_partially_comparable_with_machine_operation_units(corpus_dir):
    """HEO crane NC II x rice machinery NC II and driving NC II x rice machinery (judged blind, sessions 7
    and 9): the crane's 'Perform pre- and post-operation procedures' and 'Perform basic preventive
    maintenance servicing' units, and driving's 'Carry out minor vehicle maintenance and servicing', are
    partial with every rice machine-operation unit (each ends with 'Perform post-operation activities':
    the operator's routine, ~0.3-0.6 by the judges, 0.00-0.12 found lexically). The crane's 'Maintain
    tools and equipment' (a trade's tool care, judged not comparable with them) does not carry it."""
    crane, rice, driving = corpus_pdfs(corpus_dir, "tesda-tr-heo-truck-mounted-crane-nc-ii",
                                       "tesda-tr-rice-machinery-operations-nc-ii", "tesda-tr-driving-nc-ii")
    by_crane, by_driving = compare_standards(crane, rice), compare_standards(driving, rice)
    operate = [k for k, u in enumerate(rice.units) if u.title.upper().startswith("OPERATE ")]
    assert len(operate) == 6
    for result, side, code in ((by_crane, crane, "CON833309"), (by_crane, crane, "CON833310"),
                               (by_driving, driving, "ALT723348")):
        for k in operate:
            cell = result.cells[_index(side, code), k]
            assert cell.band == "partially comparable" and "operator routine" in cell.band_reason, (code, k)
    tools = _index(crane, "CON311204")
    assert all("operator_routine" not in by_crane.cells[tools, k].features.shared_theme for k in operate)


def test_a_guide_restating_its_regulation_unit_in_few_broad_lines_is_the_same_unit(corpus_dir):
    """Caregiving NC II TR x its self-assessment guide (judged blind, lab-cmp13d): 'Provide care and
    services to elderly' is printed in both; the guide restates the TR's 20 criteria in 7 broad 'Can I
    ...?' lines, so 0.05/0.16 of them are found lexically, and the judge calls the pair equivalent."""
    tr, guide = corpus_pdfs(corpus_dir, "tesda-tr-caregiving-nc-ii", "tesda-sag-caregiving-nc-ii")
    result = compare_standards(tr, guide)
    elderly = next(k for k, u in enumerate(guide.units) if u.title.lower() == "provide care and services to elderly")
    cell = result.cells[_index(tr, "HCS323305"), elderly]
    assert "same_title" in cell.flags and max(cell.coverage_a_in_b, cell.coverage_b_in_a) < 0.2
    assert cell.band == EQUIVALENT


def test_each_unit_a_one_list_guide_restates_is_the_same_unit(corpus_dir):
    """Driving NC II TR x its guide (judged blind, lab-cmp15b): the guide lists the four core units and
    asks six lines for all of them; the judge calls each core unit equivalent to it (~0.6-0.7 of each,
    one line restating the unit's title: 'Implement and coordinate accident emergency procedures', 0.00
    found lexically), and the common units it does not list are not."""
    tr, guide = corpus_pdfs(corpus_dir, "tesda-tr-driving-nc-ii", "tesda-sag-driving-nc-ii")
    result = compare_standards(tr, guide)
    assert len(guide.units) == 1 and len(guide.units[0].restates) == 4
    for code in ("ALT723348", "ALT832302", "ALT832303", "ALT832304"):
        cell = result.cells[_index(tr, code), 0]
        assert cell.band == EQUIVALENT and "restated_unit" in cell.flags, code
    assert result.cells[_index(tr, "ALT723204"), 0].band == NOT_COMPARABLE


def test_a_cell_the_model_bands_near_a_toss_is_flagged_for_an_official(corpus_dir, tmp_path):
    """Masonry NC II x PV systems installation NC II (judged blind, lab-cmp9c): the model reads 'Install
    pre-cast baluster and handrails' x 'Install PV systems' as not comparable at p 0.52 (the judge agrees,
    but says the units share the installation template): such a cell is flagged borderline_band and listed
    with the comparable cells, so an official reads it; a cell the model bands surely is not flagged.
    Borderline cells agree with the judges 36 % of the time by leave-one-matrix-out, the others 86 %."""
    from openpyxl import load_workbook

    from mrs_etl.compare import write_outputs

    masonry, pv = corpus_pdfs(corpus_dir, "tesda-tr-masonry-nc-ii", "tesda-tr-pv-systems-installation-nc-ii")
    result = compare_standards(masonry, pv)
    key = _index(masonry, "CON712305"), _index(pv, "CON724327")
    cell = result.cells[key]
    assert cell.band == NOT_COMPARABLE and "borderline_band" in cell.flags and "model p=0.5" in cell.band_reason
    assert any(c is cell for _, _, c in result.listed_cells())
    sure = result.cells[_index(masonry, "CON712302"), _index(pv, "CON724328")]
    assert sure.band == NOT_COMPARABLE and "borderline_band" not in sure.flags
    for c in result.cells.values():  # the flag is the model's probability, nothing else
        p = float(c.band_reason[8:12]) if c.band_reason.startswith("model p=") else None
        assert ("borderline_band" in c.flags) == (p is not None and p < 0.6), c.band_reason
    write_outputs(result, tmp_path)
    matrix = load_workbook(tmp_path / "comparability.xlsx")["Matrix"]
    from mrs_etl.compare.writers import MATRIX_FIRST_COLUMN, MATRIX_FIRST_ROW

    assert matrix.cell(MATRIX_FIRST_ROW + key[0], MATRIX_FIRST_COLUMN + key[1]).font.italic
    assert "(borderline: read it)" in (tmp_path / "comparability.html").read_text(encoding="utf-8")
