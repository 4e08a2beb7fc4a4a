"""Rows of a qualification's unit list, as the profiles' layouts read them: the code, the title, the
numbers the row prints (hours; NOS/NSQ credit and hours) and a category printed at the row's end.
Hand-made rows in the shapes the corpus prints (the Nigerian NSQs' real lists: test_extract_corpus)."""
from __future__ import annotations

import pytest

from extractors.nos_nsq import LAYOUT as NOS
from extractors.skkni import LAYOUT as SKKNI
from extractors.tesda_tr import LAYOUT as TESDA
from mrs_etl.standard.engine import _list_row


def _row(layout, text):
    found = layout.unit_row(text)
    assert found is not None, f"no unit-list row: {text!r}"
    m, body, where = found
    title, category, numbers = _list_row(body[where[m.end() - 1] + 1:], layout)
    return m.group(0), title, category, numbers


@pytest.mark.parametrize("layout, text, expected", [
    # TESDA: letter-spaced codes, row numbers, hours with or without their word
    (TESDA, "5 00 311105 Participate in workplace communication", ("500311105", "Participate in workplace communication", None, {})),
    (TESDA, "1. CON311201 Prepare construction materials and tools 12", ("CON311201", "Prepare construction materials and tools", None, {"hours": 12.0})),
    (TESDA, "CON311201 Masonry 12 hours", ("CON311201", "Masonry", None, {"hours": 12.0})),
    (TESDA, "CON311201 Lay bricks 12hrs", ("CON311201", "Lay bricks", None, {"hours": 12.0})),
    (TESDA, "CON311201 Plaster 4 hrs", ("CON311201", "Plaster", None, {"hours": 4.0})),
    # a number that ends a one- or two-word title is the title's own, without an hours word
    (TESDA, "CON311201 Level 2", ("CON311201", "Level 2", None, {})),
    (SKKNI, "J.611000.001.01 Memasang kabel jaringan", ("J.611000.001.01", "Memasang kabel jaringan", None, {})),
    # NOS/NSQ: credit then hours, after the code or at the row's end; the category at the row's end
    (NOS, "01 CON/PD/001/L2 2 20 Health and Safety Mandatory", ("CON/PD/001/L2", "Health and Safety", "core", {"credit": 2.0, "hours": 20.0})),
    (NOS, "10 CON/PD/010/L2 4 40 POP Works Optional unit", ("CON/PD/010/L2", "POP Works", "elective", {"credit": 4.0, "hours": 40.0})),
    (NOS, "CON/PD/010/L2 4 40 POP Works Elective", ("CON/PD/010/L2", "POP Works", "elective", {"credit": 4.0, "hours": 40.0})),
    (NOS, "1 CON/FWK/001/L2 Health and safety in Furniture Making 2 20", ("CON/FWK/001/L2", "Health and safety in Furniture Making", None, {"credit": 2.0, "hours": 20.0})),
    (NOS, "CON/FWK/011/L2 Upholstery 2 20", ("CON/FWK/011/L2", "Upholstery", None, {"credit": 2.0, "hours": 20.0})),
    (NOS, "5 CON/FWK/005/L2 Furniture making materials 11 3 30", ("CON/FWK/005/L2", "Furniture making materials 11", None, {"credit": 3.0, "hours": 30.0})),
    # one number after the code is the first column printed there (the credit), not the hours
    (NOS, "CON/PD/001/L2 2 Health and Safety", ("CON/PD/001/L2", "Health and Safety", None, {"credit": 2.0})),
])
def test_a_unit_list_row(layout, text, expected):
    assert _row(layout, text) == expected


def test_category_headings():
    # TESDA prints a column label before the heading
    assert TESDA.category_heading("CODE NO.         CORE COMPETENCIES") == "core"
    assert TESDA.category_heading("BASIC COMPETENCIES") == "basic"
    # a one-word NOS heading is a line of its own: a sentence ending with the word is none
    assert NOS.category_heading("MANDATORY") == "core" and NOS.category_heading("OPTIONAL UNITS") == "elective"
    assert NOS.category_heading("1. Candidates must wear the PPE that is mandatory") is None
    assert NOS.category_heading("NOTE: the candidate must achieve 27 credits from the mandatory units") is None
    # a row that ends with its category is a row
    assert NOS.category_heading("01 CON/PD/001/L2 2 20 Health and Safety Mandatory") is None
    assert TESDA.lists_unit("5 00 311105 Participate in workplace communication")
    assert not TESDA.lists_unit("Participate in workplace communication 500311105")
