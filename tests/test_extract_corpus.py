"""Extraction on the real corpus: gold scores, specific criteria, source anomalies, other families.

Each document is extracted once per session (the `extracted` cache below); tests skip with a
message when ../shared/corpus is absent.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mrs_etl.errors import DocumentRejected
from mrs_etl.extract import extract_pdf
from mrs_etl.standard.anomalies import LIST_KINDS, scan
from mrs_etl.standard_json import to_standard_json
from tests.conftest import CORPUS

pytestmark = pytest.mark.corpus
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def extracted(corpus_extraction):
    def get(stem: str):
        return corpus_extraction(f"{stem}.pdf")

    return get


@pytest.fixture(scope="session")
def scorer(corpus_dir):
    spec = importlib.util.spec_from_file_location("score_extraction", corpus_dir.parent / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unit(extraction, code):
    return next(u for u in extraction.units if u.code == code)


def criteria(u):
    return [(e.number, c.number, c.text) for e in u.elements for c in e.criteria]


GOLD = ["tesda-tr-masonry-nc-ii", "tesda-tr-shielded-metal-arc-welding-nc-ii", "tesda-tr-domestic-work-nc-ii",
        "skkni-2016-321-jaringan-komputer"]


@pytest.mark.parametrize("stem", GOLD)
def test_gold_targets(stem, extracted, scorer, corpus_dir):
    gold = json.loads((corpus_dir / "gold" / f"{stem}.json").read_text())
    result = scorer.score(gold, to_standard_json(extracted(stem)))
    assert result["units_f1"] >= 0.99, result["missing_units"]
    assert result["pc_f1"] >= 0.98
    assert result["pc_exact"] / result["pc_tp"] >= 0.95
    assert result["fields_f1"] >= 0.95


def test_masonry_keeps_numbering_typos_and_revision_marks(extracted):
    ex = extracted("tesda-tr-masonry-nc-ii")
    prepare = unit(ex, "CON712301")
    assert [c.number for c in prepare.elements[0].criteria] == ["1.1", "1.1", "1.2", "1.4"]
    assert "number_repeated" in prepare.elements[0].criteria[1].flags
    career = unit(ex, "500311107")
    assert [e.number for e in career.elements] == ["1", "1", "2"]
    assert career.elements[0].criteria[1].text.startswith("Intra- and interpersonal relationships is are maintained")
    # "1.1." is recorded without the trailing period
    assert [c.number for c in unit(ex, "500311106").elements[0].criteria][:2] == ["1.1", "1.2"]
    # letter-spaced code "5 0 0 311108" is read as one code
    assert unit(ex, "500311108").title == "PRACTICE OCCUPATIONAL HEALTH AND SAFETY PROCEDURES"


def test_number_set_apart_from_the_column_still_starts_its_item(extracted):
    """Food processing prints element 1 of AGR741201 as "11." 9 pt left of elements 2-5, and variable 1 of
    AGR741301's range likewise: the others must not fold into its title. Driving types criterion 2.6 of
    ALT723204 as "2. 6": it is a criterion of its own, not the end of 2.5."""
    food = extracted("tesda-tr-food-processing-nc-ii")
    sanitation = unit(food, "AGR741201")
    assert [e.number for e in sanitation.elements] == ["11", "2", "3", "4", "5"]
    assert sanitation.elements[0].title == "Wear Personal Protective Equipment"
    assert [[c.number for c in e.criteria] for e in sanitation.elements] == [
        ["1.1", "1.2"], ["2.1"], ["3.1", "3.2"], ["4.1", "4.2"], ["5.1", "5.2", "5.3"]]
    assert [v.variable for v in unit(food, "AGR741301").range_variables] == [
        "Equipment, Tools and Materials", "Food Processing Methods", "Kitchen Utensils", "Raw Materials",
        "Ingredients", "OHS requirements", "Production Data"]
    lubricants = unit(extracted("tesda-tr-driving-nc-ii"), "ALT723204").elements[1].criteria
    assert [c.number for c in lubricants][-2:] == ["2.5", "2.6"]
    assert lubricants[-2].text.endswith("environmental guidelines")
    assert lubricants[-1].text == "Work is checked in line with company SOP."


def test_masonry_list_titles_differ_from_headers(extracted):
    plaster = unit(extracted("tesda-tr-masonry-nc-ii"), "CON712304")
    assert plaster.title == "PLASTER CONCRETE/MASONRY SURFACE"
    assert plaster.title_as_listed == "Plaster wall surface"
    assert "title_differs_from_list" in plaster.flags
    assert plaster.category == "core" and plaster.box.page == 45


def test_smaw_code_differs_between_list_and_header(extracted):
    safety = unit(extracted("tesda-tr-shielded-metal-arc-welding-nc-ii"), "MEE721201")
    assert safety.code_as_listed == "MEE722201"
    assert "code_differs_from_list" in safety.flags


def test_smaw_numbers_printed_beside_previous_sentence(extracted):
    quality = unit(extracted("tesda-tr-shielded-metal-arc-welding-nc-ii"), "MEE721204")
    texts = {n: t for _, n, t in criteria(quality)}
    assert texts["2.1"].endswith("quality standards are maintained.")
    assert texts["2.2"] == "Appropriate quality standards are applied throughout the production/fabrication process."
    assert texts["2.4"].startswith("Records of work quality")
    assert texts["3.2"].startswith("Quality of work is reviewed")


def test_bold_descriptor_wrapped_over_a_label_word_is_kept_whole(extracted):
    """SMAW prints MEE721306's header in bold; the descriptor's second line opens with 'required', a word of
    the 'REQUIRED SKILL' column label, and was read as the criteria table's header row (descriptor cut
    after 'attitudes' before 2026.12.06)."""
    weld = next(u for u in extracted("tesda-tr-shielded-metal-arc-welding-nc-ii").units if u.code == "MEE721306")
    assert weld.descriptor.endswith("required in welding carbon steel plates and pipes using SMAW process.")
    assert [e.title for e in weld.elements][0] == "Perform root pass"


def test_range_item_printed_above_its_variable_is_kept(extracted):
    """PV CON724326, driving ALT832302 and CSS ELC724331 print item 1.1 of their first range variable a line
    above the variable's name: it stood in no heading's row and was dropped before 2026.12.06."""
    for stem, code, text in (("tesda-tr-pv-systems-installation-nc-ii", "CON724326", "PV Module/array"),
                             ("tesda-tr-driving-nc-ii", "ALT832302", "Lights (head light"),
                             ("tesda-tr-computer-systems-servicing-nc-ii", "ELC724331", "Occupational Health and Safety Laws")):
        first = unit(extracted(stem), code).range_variables[0]
        assert first.items[0].number == "1.1" and first.items[0].text.startswith(text), (stem, first.items[0])
        assert [i.number for i in first.items[:2]] == ["1.1", "1.2"]


def test_range_list_printed_in_two_columns_is_read_column_by_column(extracted):
    """EIM 500311108 prints its PPE as two columns in one cell ('4.1 Mask   4.5 Face mask/shield' row by row);
    automotive and driving their measuring instruments, CSS its system-unit components, beauty care its eye
    liners the same way. Before 2026.12.06 each row was one item ('Mask 4.5 Face mask/shield')."""
    ppe = unit(extracted("tesda-tr-electrical-installation-maintenance-nc-ii"), "500311108").range_variables[3]
    assert [(i.number, i.text) for i in ppe.items if i.number] == [
        ("4.1", "Mask"), ("4.2", "Gloves"), ("4.3", "Goggles"), ("4.4", "Hard Hat"), ("4.5", "Face mask/shield"),
        ("4.6", "Ear muffs"), ("4.7", "Reflectorized vest"), ("4.8", "Safety shoes"), ("4.9", "Safety harness")]
    for stem in ("tesda-tr-automotive-servicing-nc-ii", "tesda-tr-driving-nc-ii"):
        measuring, calculation = unit(extracted(stem), "ALT311202").range_variables[:2]
        assert [i.number for i in measuring.items if i.number] == [f"1.{k}" for k in range(1, 15)], stem
        assert measuring.items[-1].text == "Steel rule" and calculation.items[0].number == ""  # its lead-in
    components = unit(extracted("tesda-tr-computer-systems-servicing-nc-ii"), "ELC724331").range_variables[2]
    assert [i.text for i in components.items][:5] == ["Motherboard", "Hard disk", "Video card", "Sound card",
                                                      "Optical disc drives"]


def test_a_number_set_back_out_to_an_ancestors_sibling_starts_an_item(extracted):
    """SKKNI ranges print '4.1 Norma' / '4.1.1 Kejujuran' (indented) / '4.2 Standar' (back at 4.1's indent) /
    '(Tidak ada.)': 4.2 is the next item, not the end of 4.1.1 ('Kejujuran 4.2 Standar (Tidak ada.)' before
    2026.12.06)."""
    norms = unit(extracted("skkni-2016-321-jaringan-komputer"), "J.611000.001.01").range_variables[3]
    assert [(i.number, i.text) for i in norms.items] == [("4.1", "Norma"), ("4.1.1", "Kejujuran"),
                                                         ("4.2", "Standar (Tidak ada.)")]
    tools = unit(extracted("skkni-2018-056-pengoperasian-komputer"), "J.63OPR00.002.2").range_variables[1]
    assert (tools.items[-1].number, tools.items[-1].text) == ("2.2", "Perlengkapan (Tidak ada.)")
    assert "2.2" not in tools.items[-2].text


def test_domestic_work_rows_split_across_pages(extracted):
    clean = unit(extracted("tesda-tr-domestic-work-nc-ii"), "SOC913301")
    c51 = next(c for e in clean.elements for c in e.criteria if c.number == "5.1")
    assert c51.text == ("Sanitizing agents are 100% accurately measured and mixed in accordance with relevant "
                        "safety regulations.")
    assert "split_across_pages" in c51.flags and c51.box.page == 51
    knowledge = [k.text for e in clean.elements for k in e.required_knowledge]
    assert "Environmental risks" in knowledge  # an indented sub-item "1.2.1"
    assert not any("Italicized" in c.text for e in clean.elements for c in e.criteria)


def test_housekeeping_code_differs_between_list_and_header(extracted):
    ex = extracted("tesda-tr-housekeeping-nc-ii")
    u = next(u for u in ex.units if u.code == "TRS512309115")
    assert u.code_as_listed == "TRS5123115" and "code_differs_from_list" in u.flags


def test_skkni_rotated_pages_and_scanned_decree(extracted):
    ex = extracted("skkni-2026-103-ai-kbs")
    assert ex.document.language == "id" and ex.document.family == "skkni"
    assert len(ex.units) >= 20
    first = ex.units[0]
    assert first.code == "K.62AIN00.001.2"
    assert first.title == "Menentukan Sasaran Bisnis Solusi Artificial Intelligence"
    assert first.elements[0].criteria[0].text.startswith("Latar belakang, tujuan, dan permasalahan bisnis proyek AI")


def test_self_assessment_guide_items(extracted):
    ex = extracted("tesda-sag-smaw-nc-ii")
    assert ex.document.family == "tesda-sag"
    assert [u.title for u in ex.units] == ["Weld Carbon Steel Plates and Pipes Using SMAW"]
    items = [c for e in ex.units[0].elements for c in e.criteria]
    assert len(items) == 14 and items[0].text == "Perform root pass" and "critical" in items[0].flags
    css = extracted("tesda-sag-computer-systems-servicing-nc-ii")
    assert css.units[0].title == "INSTALL AND CONFIGURE COMPUTER SYSTEMS"
    assert css.units[0].elements[0].title == "Assemble computer hardware"
    # the fourth unit's name repeated as its first group heading does not open a fifth unit
    assert [u.title for u in css.units][-1] == "MAINTAIN AND REPAIR COMPUTER SYSTEMS AND NETWORKS"
    assert len(css.units) == 4


def test_guide_with_projects_keeps_every_unit_section(extracted):
    """The caregiving guide prints its twelve units in three projects; units shared by projects come back
    under each project's heading and some headings are set in the page margin (page 4 opens with
    "Maintain healthy and safe environment" at the top). Every section is a unit once, in first-seen
    order, and a repeated section is an element titled by its project, not a new unit."""
    cg = extracted("tesda-sag-caregiving-nc-ii")
    titles = [u.title for u in cg.units]
    assert len(titles) == 12 and len(set(titles)) == 12
    assert titles[:2] == ["Provide care and support to infants/toddlers and children",
                          "Provide care and support to children"]
    assert titles[-2:] == ["Clean living, dining and bedroom, toilet and bathroom",
                           "Wash and iron clothes, linens and fabrics"]
    safe = next(u for u in cg.units if u.title == "Maintain healthy and safe environment")
    # project 3 prints 'Follow safety procedures and regulations' again, as project 1 does: read once
    assert [len(e.criteria) for e in safe.elements] == [3, 4, 3]
    assert [e.title for e in safe.elements[1:]] == [
        "Project 2: PROVIDE CARE AND SUPPORT TO ELDERLY AND PEOPLE WITH SPECIAL NEEDS",  # wrapped heading joined
        "Project 3: PERFORM HOUSEKEEPING ACTIVITIES"]
    assert safe.elements[1].criteria[0].text.startswith("Determine environmental, health and safe hazards")
    special = next(u for u in cg.units if u.title == "Provide care and services to people with special needs")
    assert len(special.elements[0].criteria) == 4
    # the item wrapped at the foot of page 3 does not swallow the heading that opens page 4
    assert special.elements[0].criteria[-1].text.endswith("maximum independent living")


def test_guide_of_several_assessments_reads_every_one(extracted):
    """A guide may print one checklist per assessment, each with its own header and declaration: bread
    and pastry the full qualification then four certificates of competency (pages 2-5), trainers
    methodology two projects, caregiving the full qualification then three certificates repeating its
    lines. Before 2026.12.06 only the first checklist was read (bread: 11 of 55 items)."""
    bread = extracted("tesda-sag-bread-pastry-production-nc-ii")
    assert len(bread.units) == 1  # every certificate restates units the full-qualification checklist covers
    elements = bread.units[0].elements
    assert [e.title for e in elements] == ["", "BREAD MAKING", "PASTRY MAKING", "CAKE MAKING", "PETITS FOURS MAKING"]
    assert "Prepare marzipan, caramelized and various types of petits fours" in [c.text for c in elements[-1].criteria]
    assert {c.box.page for c in elements[-1].criteria} == {5}
    # a certificate's lines that repeat the full qualification's are not read twice
    texts = [c.text.lower() for e in elements for c in e.criteria]
    assert len(texts) == len(set(texts)) and texts.count("apply food hygiene and safety principles") == 1
    tm = extracted("tesda-sag-trainers-methodology-level-i")
    assessment = tm.units[-1]
    assert assessment.title == "CONDUCT COMPETENCY ASSESSMENT"  # project 2 lists no units: named by its title
    assert len(assessment.elements[0].criteria) == 24 and assessment.elements[0].criteria[0].box.page == 8
    # caregiving's certificates repeat its project lines: still twelve units, none holding a line twice
    cg = extracted("tesda-sag-caregiving-nc-ii")
    assert len(cg.units) == 12
    for unit in cg.units:
        lines = [c.text.lower() for e in unit.elements for c in e.criteria]
        assert len(lines) == len(set(lines)), unit.title


def _guide(ex, code: str) -> list[tuple[str, str, str]]:
    return [(g.heading, g.number, g.text) for g in unit(ex, code).evidence_guide]


def test_lead_in_sentences_open_the_heading_they_introduce(extracted):
    """A range variable's or an evidence-guide aspect's lead-in ("May include but are not limited to:", "The
    following resources must be provided:") printed beside its heading belongs to that heading, not to the
    last item of the one before (555 range items of the corpus carried one before 2026-12-02, session 7)."""
    masonry = extracted("tesda-tr-masonry-nc-ii")
    ranges = unit(masonry, "500311108").range_variables
    assert [(i.number, i.text) for i in ranges[0].items][-1] == ("1.7", "ECC regulations")
    assert [(i.number, i.text) for i in ranges[1].items][0] == ("", "May include but are not limited to:")
    guide = _guide(masonry, "500311108")
    # the source numbers two headings "3." (Underpinning Skills, Resource Implications): items stay where printed
    assert ("Underpinning Skills", "3.4", "Communication skills") in guide
    assert ("Resource Implications", "", "The following resources must be provided:") in guide
    assert ("Resource Implications", "4.4", "Health records") in guide
    assert ("Methods of Assessment", "", "Competency may be assessed through:") in guide
    # driving sets variable 3's heading a little below the first line of its two-line lead-in: the sentence
    # moves whole, not from the line the heading stands beside
    minor = unit(extracted("tesda-tr-driving-nc-ii"), "ALT723348").range_variables
    assert [(i.number, i.text) for i in minor[1].items][-1] == ("2.8", "Pressure Washer")
    assert [(i.number, i.text) for i in minor[2].items][0] == (
        "", "Routine checks on vehicle components are done on the following but not limited to:")


def test_evidence_item_above_a_heading_set_low_in_its_cell_is_the_headings(extracted):
    """Automotive servicing sets "2. Required Knowledge" lower in its cell than the first item 2.1 and
    driving "6. Context for assessment" beside the second line of 6.1: the items belong to the heading their
    number names. Where the source itself numbers two items of the knowledge row 3.1 and 3.2 (ALT723203,
    at the row's own line pitch), they stay in that row."""
    auto = extracted("tesda-tr-automotive-servicing-nc-ii")
    lubricants = _guide(auto, "ALT723204")
    assert ("Required Knowledge", "2.1", "Types/Classification of Lubricants") in lubricants
    assert ("Required skills", "3.1", "Handling of oils (Gear, oil, engine oil)") in lubricants
    manuals = _guide(auto, "ALT723203")
    assert ("Required Knowledge", "3.1", "Identification of units of measurements") in manuals
    assert ("Required skills", "3.1", "Reading and comprehension skills required to identify and interpret "
            "automotive manuals and specifications") in manuals
    driving = _guide(extracted("tesda-tr-driving-nc-ii"), "ALT723204")
    assert ("Context for assessment", "6.1", "Competency elements must be assessed in a safe working environment") \
        in driving
    # the lead-in above "1. Critical aspects of competency" set lower in its cell opens it
    assert lubricants[0] == ("Critical aspects of competency", "", "Assessment requires evidence that the candidate:")


def test_an_item_whose_number_the_next_heading_carries_on_belongs_to_that_heading(extracted):
    """An item numbered for the next heading and followed, under it, by its own child or next sibling ("2.1
    Equipment includes but not limited to:" then "2.1.1 Maintenance bench"; "2.1 Types/Classification of
    lubricants" then "2.2 ...") is that heading's first item printed above its row, however the rows are
    spaced (automotive servicing's guides had 12 such items under the critical aspects before 2026.12.05)."""
    css = unit(extracted("tesda-tr-computer-systems-servicing-nc-ii"), "ELC724334").range_variables
    assert [i.number for i in css[0].items][-1] == "1.9"
    assert [(i.number, i.text) for i in css[1].items][:2] == [
        ("2.1", "Equipment includes but not limited to:"), ("2.1.1", "Maintenance bench")]
    guide = _guide(extracted("tesda-tr-automotive-servicing-nc-ii"), "ALT723306")
    assert ("Required knowledge", "2.1", "Types/Classification of lubricants") in guide
    assert [n for h, n, _ in guide if h == "Critical aspects of competency"][-1] == "1.6"


def test_numbered_evidence_heading_is_not_a_running_header(extracted):
    """Beauty care prints "1. Critical aspects of" at the same place of every guide's page, as a running header
    would stand: it is the guide's first heading, and every unit's guide opens with it."""
    beauty = extracted("tesda-tr-beauty-care-nc-ii")
    guides = [u.evidence_guide for u in beauty.units if u.evidence_guide]
    assert len(guides) >= 16 and all(g[0].aspect == "critical_aspects" for g in guides)
    assert _guide(beauty, "HCS515204")[1][0] == "Critical aspects of competency"


def test_numbered_list_indented_past_the_columns_numbers(extracted):
    """Rice machinery prints its OHS unit's underpinning knowledge as 3.1.1.-3.1.9. 36 pt right of the guide's
    other numbers, and the SKKNI its sub-lists ("2.2 Perlengkapan" over 2.2.1 ...) likewise: numbers in sequence
    at one indent, or opening right under the number they subdivide, are items, not one item's text."""
    rice = _guide(extracted("tesda-tr-rice-machinery-operations-nc-ii"), "500311108")
    knowledge = [(n, t) for h, n, t in rice if h.startswith("Underpinning Knowledge")]
    assert [n for n, _ in knowledge] == [f"3.1.{k}" for k in range(1, 10)]
    assert knowledge[0][1] == "OHS procedures and practices and regulations"
    skkni = extracted("skkni-2016-321-jaringan-komputer")
    equipment = unit(skkni, "J.611000.003.02").range_variables[1]
    assert [(i.number, i.text) for i in equipment.items][4:6] == [("2.2", "Perlengkapan"),
                                                                  ("2.2.1", "Daftar pengguna dan kegiatannya (kebutuhan bisnis)")]
    assert ("Pengetahuan dan keterampilan yang dibutuhkan", "3.2", "Keterampilan") in [
        (g.heading, g.number, g.text) for g in unit(skkni, "J.611000.001.01").evidence_guide]

def test_heading_at_the_top_of_a_page_is_kept(extracted):
    """A heading printed in the page's top margin, right above its items, is not a running header: the CSS
    guide's element "Install application software" opens page 2 and the EIM guide's second unit opens its
    page 2 on two lines; neither may fold its items into the heading before it."""
    css = extracted("tesda-sag-computer-systems-servicing-nc-ii")
    assert [e.title for e in css.units[0].elements] == [
        "Assemble computer hardware", "Prepare installer", "Install operating system and drivers for peripherals/ devices",
        "Install application software", "Conduct testing and documentation"]
    assert [len(e.criteria) for e in css.units[0].elements][2:4] == [4, 3]
    assert css.units[2].elements[-1].title == "Perform testing, documentation and pre-deployment procedures"
    eim = extracted("tesda-sag-electrical-installation-maintenance-nc-ii")
    assert [u.title for u in eim.units] == [
        "Performing roughing-in activities, wiring and cabling works for single-phase distribution, power, lighting "
        "and auxiliary systems",
        "Install Electrical Protective devices for distribution, power, lighting, auxiliary, lightning protection and "
        "grounding system",
        "Install Wiring Devices of Floor and Wall Mounted Outlet Lighting Fixture/Switches and Auxiliary Outlets"]
    assert [sum(len(e.criteria) for e in u.elements) for u in eim.units] == [12, 12, 15]

def test_unknown_family_is_rejected_with_reason(corpus_dir):
    with pytest.raises(DocumentRejected) as info:
        extract_pdf(corpus_dir / "pdf" / "tesda-training-delivery-plan-agricultural-crop-production-nc-i.pdf")
    assert info.value.reason == "unknown_family"


def test_nigerian_qualifications_are_read_by_their_profile(extracted):
    paint = extracted("nigeria-nos-nsq-painting-decoration-level-2")
    assert (paint.document.family, paint.document.country) == ("nos-nsq", "NG")
    assert len(paint.units) >= 7 and paint.units[0].code == "CON/PD004/L2"
    # the summary's codes keep their slashes; the header's typo (CON/PD004/L2) matches it
    assert {lu.code for lu in paint.qualification.listed_units} >= {"CON/PD/001/L2", "CON/PD/010/L2"}
    # the summary prints credit and guided learning hours after the code and the category at the row's
    # end ("01 CON/PD/001/L2 2 20 Health and Safety Mandatory"); titles wrap under the title column
    listed = {lu.code: lu for lu in paint.qualification.listed_units}
    assert (listed["CON/PD/002/L2"].nominal_hours, listed["CON/PD/002/L2"].title) == (10.0, "Communication")
    assert listed["CON/PD/004/L2"].title == "Handle and Store Painting related materials"
    assert [listed[f"CON/PD/{n:03d}/L2"].category for n in range(1, 11)] == ["core"] * 8 + ["elective"] * 2
    assert {u.code: u.category for u in paint.units}["CON/PD/010/L2"] == "elective"
    # the furniture list prints them at the row's end, under MANDATORY / OPTIONAL headings: credit 2 and
    # 20 hours are two numbers, not 220, and a title ending in 'II' read as '11' keeps it
    furniture = extracted("nigeria-nos-nsq-furniture-making-upholstery-level-2")
    listed = {lu.code: lu for lu in furniture.qualification.listed_units}
    assert [listed[f"CON/FWK/{n:03d}/L2"].nominal_hours for n in range(1, 11)] == [20, 20, 20, 60, 30, 50, 40, 30, 20, 30]
    assert listed["CON/FWK/005/L2"].title == "Furniture making materials 11"
    assert [u.category for u in furniture.units] == ["core"] * 8 + ["elective"] * 2


def test_cli_extract_writes_json_and_reports_bad_files(corpus_dir, tmp_path):
    bad = tmp_path / "not a pdf.pdf"
    bad.write_text("<html>nope</html>")
    good = corpus_dir / "pdf" / "tesda-sag-masonry-nc-ii.pdf"
    proc = subprocess.run([sys.executable, "-m", "mrs_etl.cli", "extract", str(bad), str(good),
                           "--json-dir", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 1
    assert "not_a_pdf" in proc.stderr and proc.stderr.count("\n") == 1
    data = json.loads((tmp_path / "out" / "tesda-sag-masonry-nc-ii.json").read_text())
    assert data["family"] == "tesda-sag" and data["units"][0]["elements"][0]["criteria"]


def test_unruled_tables_fall_back_to_where_the_numbers_stand(corpus_dir, scorer, monkeypatch):
    """The same masonry TR read as if its tables had no rules: columns come from the item numbers."""
    import mrs_etl.standard.engine as engine

    monkeypatch.setattr(engine, "ruled_boundaries", lambda page, top, bottom: [])
    stem = "tesda-tr-masonry-nc-ii"
    gold = json.loads((corpus_dir / "gold" / f"{stem}.json").read_text())
    result = scorer.score(gold, to_standard_json(extract_pdf(corpus_dir / "pdf" / f"{stem}.pdf")))
    assert result["pc_f1"] >= 0.98 and result["el_f1"] >= 0.98
    assert result["pc_exact"] / result["pc_tp"] >= 0.95


def _standards() -> list[str]:
    """Every competency standard of the corpus (SOURCES.tsv family tesda-tr or skkni)."""
    sources = CORPUS / "SOURCES.tsv"
    if not sources.is_file():
        return ["corpus-absent"]  # the corpus_dir fixture skips it
    rows = [line.split("\t") for line in sources.read_text().splitlines()[1:] if line.strip()]
    return sorted(r[0].removesuffix(".pdf") for r in rows if r[1] in ("tesda-tr", "skkni"))


@pytest.mark.parametrize("stem", _standards())
def test_anomaly_scan_is_clean_on_every_corpus_standard(stem, extracted, corpus_dir):
    """No footer or note in a criterion, no unit without title or elements, no element without criteria."""
    assert [a for a in scan(extracted(stem)) if a.kind not in LIST_KINDS] == []
