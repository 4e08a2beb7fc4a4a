"""Nominal hours and packaging rules as TESDA training regulations print them (mrs_etl.standard.arrangements).

The small texts copy the printings of corpus TRs named in each test (layout reduced to the lines that
matter); the last test reads every TESDA TR of ../shared/corpus.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from mrs_etl.standard.arrangements import read_arrangements


def test_hours_per_category_on_one_line_are_summed():  # masonry NC II, 3.1 Curriculum design
    found = read_arrangements(["SECTION 3", "Course Title: MASONRY\nNominal Training Hours: 18 hours (Basic)\n"
                               "24 hours (Common)\n216 hours (Core)\nCourse Description:"])
    assert found.hours_by_category == {"basic": 18, "common": 24, "core": 216}
    assert (found.nominal_hours, found.total_hours, found.hours_page) == (258, None, 2)


def test_hours_before_a_dash_and_the_printed_total():  # agroentrepreneurship NC III
    found = read_arrangements(["Nominal Training Duration: 22 hrs–Basic Competencies\n 75 hrs– Common Competencies\n"
                               " 348 hrs– Core Competencies\n -----------\n 445 hrs – Total \nCourse Description:"])
    assert found.hours_by_category == {"basic": 22, "common": 75, "core": 348}
    assert found.nominal_hours == found.total_hours == 445


def test_a_category_block_printed_pages_later_takes_its_heading():  # heavy equipment, truck-mounted crane
    found = read_arrangements([
        "BASIC COMPETENCIES\nNominal Training Hours: 18 Hours (Basic) + 18 Hours (Common)\nCourse Description:",
        "1. Participate in workplace communication\n" * 20,
        "CORE COMPETENCIES\nCourse Title : HEAVY EQUIPMENT OPERATION Level: II\nNominal Training Hours: 120 Hours\n"])
    assert found.hours_by_category == {"basic": 18, "common": 18, "core": 120}
    assert (found.nominal_hours, found.hours_page) == (156, 1)


def test_hours_without_the_core_are_no_qualification_total():
    found = read_arrangements(["Nominal Training Hours: 18 Hours (Basic) + 18 Hours (Common)\nCourse Description:"])
    assert found.hours_by_category == {"basic": 18, "common": 18}
    assert found.nominal_hours is None  # never a partial sum


def test_an_unlabelled_total_right_under_the_curriculum_design():  # food processing NC II
    found = read_arrangements(["3.1. CURRICULUM DESIGN\nCourse Title: FOOD PROCESSING NC Level: NC II\n"
                               "Course Description: 568 Hours\nThis course is designed to enhance the knowledge"])
    assert (found.nominal_hours, found.hours_by_category, found.hours_page) == (568, {}, 1)


def test_a_document_that_states_no_hours_gives_none():
    found = read_arrangements(["UNIT OF COMPETENCY: Prepare materials\nNominal Duration: 8 hours", "Section 4"])
    assert (found.nominal_hours, found.hours_by_category, found.hours_page, found.packaging_rules) == \
        (None, {}, None, ())


def test_packaging_rules_are_the_printed_sentences():
    found = read_arrangements(["This Qualification is packaged from the competency map of Construction – Civil Works "
                               "sub-sector as shown in Annex A.", "4.1 To attain the National Qualification of "
                               "Masonry NC II, the candidate must demonstrate competence through project-type "
                               "assessment covering all the units listed in Section 1. 4.2 Assessment shall"])
    assert [r.split()[1] for r in found.packaging_rules] == ["Qualification", "attain"]
    assert found.packaging_rules[1].endswith("listed in Section 1.")


def test_the_2017_printing_of_the_certification_rule():  # agroentrepreneurship NC III, 4.1.1
    found = read_arrangements(["4.1.1 A National Certificate (NC) is issued when a candidate has demonstrated\n"
                               "competence in all the units of competency that comprise the Training\nRegulations "
                               "for AGROENTREPRENEURSHIPNC III as follows:\nBASIC COMPETENCIES\nLead Workplace"])
    assert found.packaging_rules == ("A National Certificate (NC) is issued when a candidate has demonstrated competence "
                                     "in all the units of competency that comprise the Training Regulations for "
                                     "AGROENTREPRENEURSHIPNC III as follows:",)


@pytest.mark.corpus
def test_every_corpus_training_regulation_states_hours_that_include_its_core(corpus_dir):
    from mrs_etl.pdf.triage import quick_text

    trs = sorted((corpus_dir / "pdf").glob("tesda-tr-*.pdf"))
    if not trs:
        pytest.skip(f"no TESDA TR in {corpus_dir / 'pdf'}")
    missing = []
    for pdf in trs:
        found = read_arrangements(quick_text(pdf, max_pages=None))
        if found.nominal_hours is None or found.hours_page is None or not found.packaging_rules:
            missing.append(Path(pdf).name)
        elif found.hours_by_category:
            assert "core" in found.hours_by_category, pdf.name
            if found.total_hours is not None:  # where both are printed they agree
                assert found.total_hours == sum(found.hours_by_category.values()), pdf.name
    assert not missing, missing  # measured: all 18 TRs of the corpus
