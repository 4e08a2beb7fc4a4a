"""Criteria tables whose rows are ruled one by one, on PDFs generated here (the NOS/NSQ layout).

Two general mechanisms, seen first in the Nigerian NSQ tables and not tied to that family:
- the header cell over the element column also spans the criteria's ruled strip of item numbers
  ("LO (Learning outcome)" over "LO 1" | "1.1" | "Identify ..."): the numbers belong to the
  criteria, not to the elements;
- a number set in the middle of its cell, beside the second or third line of its text: the lines
  above the number are the start of its own criterion, not the end of the one before.
A table whose rows are not ruled keeps reading by position (a control).
"""
from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from mrs_etl.extract import extract_pdf
from mrs_etl.standard.anomalies import scan

FONT, SIZE, LEADING, PAD = "Helvetica", 10, 13, 4
HEADER_XS = [60, 190, 360, 450, 535]  # LO (Learning outcome) | Performance Criteria | Evidence Type | Evidence Ref
BODY_XS = [60, 160, 190, 360, 450, 535]  # the body rules a numbers strip 160-190 off the header's first cell

# (element title, [(number, criterion lines, line of the cell the number stands beside)])
ELEMENTS = [
    ("Prepare the sample work area", [
        ("1.1", ["Identify the hazards of the sample", "work area before the work starts"], 0),
        ("1.2", ["Assess the height and", "nature of the work to", "choose suitable access equipment."], 2),
        ("1.3", ["Select materials for the work"], 0)]),
    ("Carry out the sample work", [
        ("2.1", ["Calculate the cost of materials to", "be used"], 1),
        ("2.2", ["Use tools and materials to carry", "out the work as specified"], 0),
        ("2.3", ["Identify from method statements,", "time required for each work unit"], 1)]),
]


def _draw(path, row_rules: bool = True) -> str:
    width, height = A4
    c = Canvas(str(path), pagesize=A4)

    def text(x, top, s):
        c.setFont(FONT, SIZE)
        c.drawString(x, height - top - SIZE * 0.8, s)

    def hline(x0, x1, top):
        c.line(x0, height - top, x1, height - top)

    def vlines(xs, top, bottom):
        for x in xs:
            c.line(x, height - top, x, height - bottom)

    text(60, 40, "NATIONAL SKILLS QUALIFICATION // SAMPLE WORK // LEVEL 2")
    for k, line in enumerate(["Unit Title: Sample work in a ruled table", "Unit Reference Number: CON/SW/001/L2",
                              "Guided learning hours: 20", "Unit Purpose: The learner should be able to do sample work."]):
        text(60, 80 + k * LEADING, line)
    top = 150
    c.setLineWidth(0.6)
    header = [["LO (Learning outcome)"], ["Performance Criteria"], ["Evidence Type"], ["Evidence Ref"]]
    for col, cell in enumerate(header):
        text(HEADER_XS[col] + PAD, top + PAD, cell[0])
    bottom = top + 2 * PAD + LEADING
    vlines(HEADER_XS, top, bottom)
    hline(HEADER_XS[0], HEADER_XS[-1], top)
    hline(HEADER_XS[0], HEADER_XS[-1], bottom)
    top = bottom
    for e, (title, criteria) in enumerate(ELEMENTS, start=1):
        element_top = top
        text(BODY_XS[0] + PAD, top + PAD, f"LO {e}")
        for k, word_line in enumerate(_wrap(title)):
            text(BODY_XS[0] + PAD, top + PAD + (k + 1) * LEADING, word_line)
        for number, lines, beside in criteria:
            text(BODY_XS[1] + PAD, top + PAD + beside * LEADING, number)
            for k, line in enumerate(lines):
                text(BODY_XS[2] + PAD, top + PAD + k * LEADING, line)
            row_bottom = top + 2 * PAD + len(lines) * LEADING
            if row_rules:
                hline(BODY_XS[1], BODY_XS[-1], row_bottom)
            vlines(BODY_XS[1:], top, row_bottom)
            top = row_bottom
        top = max(top, element_top + 2 * PAD + (len(_wrap(title)) + 1) * LEADING)
        vlines(BODY_XS[:1], element_top, top)
        hline(BODY_XS[0], BODY_XS[-1], top)
    text(60, top + 30, "Learner's Signature:")
    c.showPage()
    c.save()
    return str(path)


def _wrap(title: str, width: int = 3) -> list[str]:
    words = title.split()
    return [" ".join(words[i:i + width]) for i in range(0, len(words), width)]


@pytest.fixture(scope="module")
def ruled(tmp_path_factory):
    return extract_pdf(_draw(tmp_path_factory.mktemp("rows") / "nsq-ruled-rows.pdf"), family="nos-nsq")


@pytest.fixture(scope="module")
def unruled(tmp_path_factory):
    return extract_pdf(_draw(tmp_path_factory.mktemp("rows") / "nsq-unruled-rows.pdf", row_rules=False),
                       family="nos-nsq")


def _criteria(extraction):
    (unit,) = extraction.units
    return {(el.number, c.number): c for el in unit.elements for c in el.criteria}


def test_numbers_in_a_strip_under_the_element_header_belong_to_the_criteria(ruled):
    (unit,) = ruled.units
    assert [(el.number, el.title) for el in unit.elements] == [(str(e), t) for e, (t, _) in enumerate(ELEMENTS, 1)]
    assert set(_criteria(ruled)) == {(str(e), n) for e, (_, cs) in enumerate(ELEMENTS, 1) for n, _, _ in cs}
    assert not scan(ruled)


def test_text_above_its_number_in_a_ruled_row_is_that_criterion(ruled):
    criteria = _criteria(ruled)
    for e, (_, cs) in enumerate(ELEMENTS, 1):
        for number, lines, beside in cs:
            criterion = criteria[(str(e), number)]
            assert criterion.text == " ".join(lines)
            assert ("text_above_number" in criterion.flags) == (beside > 0)


def test_without_row_rules_lines_stay_where_position_puts_them(unruled):
    criteria = _criteria(unruled)
    # no rule says where 1.2's row begins: its first two lines read as the end of 1.1, as printed
    assert criteria[("1", "1.1")].text.endswith("before the work starts Assess the height and nature of the work to")
    assert criteria[("1", "1.2")].text == "choose suitable access equipment."
    assert not any("text_above_number" in c.flags for c in criteria.values())
