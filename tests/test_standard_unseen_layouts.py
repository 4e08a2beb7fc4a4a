"""Layouts of TESDA TRs the engine was not built on, on PDFs generated here (tests/pdf_factory.py).

One kind of error per test, each a general mechanism: running footers glued to the last criterion
of a page, criteria tables missed (a bold "Range of Variables" in the header note, "REQUIRED
KNOWLEDGE AND ATTITUDE | REQUIRED SKILL" with bulleted items), criteria handed to the wrong element,
a unit label wrapped over two lines, letter-spaced codes in the unit list, and a unit header that
repeats another unit's code.
"""
from __future__ import annotations

import pytest

from mrs_etl.extract import extract_pdf
from mrs_etl.standard.anomalies import scan
from tests.pdf_factory import FONT, LEFT, Row, StandardPdf

TWO = [60, 220, 535]
FOUR = [60, 150, 300, 420, 535]
HEAD2 = [["ELEMENT"], ["PERFORMANCE CRITERIA", "Italicized terms are elaborated in the", "Range of Variables"]]
TITLE = "SAMPLE TRADE NC II"


def _cover(pdf: StandardPdf) -> None:
    pdf.space(200)
    for line in ("TRAINING REGULATIONS", TITLE, "TECHNICAL EDUCATION AND SKILLS DEVELOPMENT AUTHORITY (TESDA)"):
        pdf.heading(line)
    pdf.new_page()


def _criteria_rows(unit: int, elements: int, per_element: int) -> tuple[list[Row], list[str]]:
    rows, texts = [], []
    for e in range(1, elements + 1):
        cell = []
        for k in range(1, per_element + 1):
            first, second = f"Task {unit}.{e}.{k} of the sample work is", f"carried out as job {e}.{k} requires"
            cell += [f"{e}.{k} {first}", f" {second}"]
            texts.append(f"{first} {second}")
        rows.append(Row([[f"{e}. Do sample work {e}"], cell]))
    return rows, texts


class PromulgatedFooter(StandardPdf):
    """A 2000s footer: a rule of underscores just above the margin, then the title, the promulgation
    date and "N / 79" on one line, whose page number is set right-aligned so that one-digit and
    two-digit numbers stand at different distances from the date."""

    OFFSET = 6  # the printed page number runs 6 ahead of the PDF page index

    def _room(self) -> float:
        return self.height - 130 - self.top

    def _draw_footer(self) -> None:
        c = self.canvas
        c.setFont(FONT, 10)
        c.drawString(LEFT, 103, "_" * 50)  # just above the bottom 12% where footers are looked for
        c.setFont(FONT, 8)
        text = f"TR {TITLE} Promulgated December 2004"
        c.drawString(LEFT, 92, text)
        end = LEFT + c.stringWidth(text, FONT, 8)
        right = end + 16 + c.stringWidth("4 / 79", FONT, 10)
        c.setFont(FONT, 10)
        c.drawRightString(right, 92, f"{self.page + self.OFFSET} / 79")


class NumberUnderTable(StandardPdf):
    """No running footer: the page number stands just under the page's last line, in the criteria column."""

    def new_page(self) -> None:
        self.canvas.setFont(FONT, 10)
        self.canvas.drawString(400, self.height - self.top - 12, str(self.page + 1))
        self.canvas.showPage()
        self.page += 1
        self.top = 60

    def save(self):
        self.canvas.showPage()
        self.canvas.save()
        return self.path


@pytest.fixture(scope="module")
def footers(tmp_path_factory):
    """14 pages or more of criteria under a promulgation footer (one- and two-digit page numbers)."""
    pdf = PromulgatedFooter(tmp_path_factory.mktemp("footers") / "tr-footers.pdf", footer="")
    _cover(pdf)
    pdf.heading("CORE COMPETENCIES")
    pdf.label("UNIT OF COMPETENCY", "PERFORM SAMPLE WORK")
    pdf.label("UNIT CODE", "SMP712301")
    pdf.label("UNIT DESCRIPTOR", "This unit covers sample work")
    rows, texts = _criteria_rows(1, 70, 5)
    # the header row, repeated on every page, ends its note with a bold "RANGE OF VARIABLES"
    pdf.table(TWO, rows, header=[["ELEMENT"], ["PERFORMANCE CRITERIA", "Italicized terms are elaborated in the",
                                               "RANGE OF VARIABLES"]], repeat_header=True)
    pdf.new_page()
    pdf.line("SECTION 3 TRAINING STANDARDS", bold=True)
    path = pdf.save()
    assert pdf.page >= 14  # pages 2-3 print 8 and 9: too few to repeat
    return extract_pdf(path), texts


def test_footer_block_and_page_numbers_of_changing_width_never_glue_to_criteria(footers):
    ex, texts = footers
    got = [c.text for u in ex.units for e in u.elements for c in e.criteria]
    assert got == texts
    assert scan(ex) == []


def test_header_note_repeated_on_continuation_pages_keeps_one_table(footers):
    ex, _ = footers
    (unit,) = ex.units
    assert [e.number for e in unit.elements] == [str(n) for n in range(1, 71)]
    assert not unit.range_variables


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    pdf = NumberUnderTable(tmp_path_factory.mktemp("layouts") / "tr-layouts.pdf", footer="")
    _cover(pdf)
    pdf.line(f"SECTION 1 {TITLE} QUALIFICATION", bold=True)
    pdf.heading("BASIC COMPETENCIES")
    pdf.line("5 00 311105     Participate in workplace communication")  # letter-spaced as printed
    pdf.heading("CORE COMPETENCIES")
    pdf.line("SMP712301     Operate the sample crane")
    pdf.line("SMP712302     Plan sample farm work")
    pdf.line("SMP712303     Keep sample records")
    pdf.new_page()
    pdf.line("SECTION 2 COMPETENCY STANDARDS", bold=True)
    pdf.heading("BASIC COMPETENCIES")
    # the label wraps in its column: "UNIT OF" beside the title's first line, "COMPETENCY :" below
    pdf._text_at(LEFT, pdf.top, "UNIT OF", bold=True)
    pdf._text_at(LEFT + 150, pdf.top, "PARTICIPATE IN WORKPLACE", bold=True)
    pdf.space()
    pdf._text_at(LEFT, pdf.top, "COMPETENCY :", bold=True)
    pdf._text_at(LEFT + 150, pdf.top, "COMMUNICATION", bold=True)
    pdf.space()
    pdf.label("UNIT CODE", "500311105")
    pdf.label("UNIT DESCRIPTOR", "This unit covers communication")
    rows, _ = _criteria_rows(1, 2, 3)
    pdf.table(TWO, rows, header=HEAD2)
    pdf.heading("CORE COMPETENCIES")
    pdf.label("UNIT OF COMPETENCY", "OPERATE THE SAMPLE CRANE")
    pdf.label("UNIT CODE", "SMP712301")
    pdf.label("UNIT DESCRIPTOR", "This unit covers crane work")
    # the note's last line set in bold, as a heading would be; element numbers in rows of their own
    pdf.table(TWO, [
        [["1. Check the crane"], ["1.1 Crane is checked", "1.2 Log is kept"]],
        [["2. Travel the crane"], []],
        [[], ["2.1 Work area is surveyed", "2.2 Speed is observed"]],
        [["3. Set up the crane"], []],
        [[], ["3.1 Outriggers are set", "3.2 Crane is levelled"]],
        [["4. Lift the load"], ["4.1 Load is lifted", "4.2 Load is lowered"]],
    ], header=[["ELEMENT"], ["PERFORMANCE CRITERIA", "Bold & Italicized terms are elaborated in the", "RANGE OF VARIABLES"]])
    pdf.label("UNIT OF COMPETENCY", "PLAN SAMPLE FARM WORK")
    pdf.label("UNIT CODE", "SMP712302")
    pdf.label("UNIT DESCRIPTOR", "This unit covers farm planning")
    pdf.table(FOUR, [
        [["1. Plan the work"], ["1.1. Work tasks are", " identified", "1.2. Tools are prepared"],
         ["- Farm operations", "- Kinds of tools"], ["- Identifying tasks", "- Preparing tools"]],
        [["2. Do the work"], ["2.1. Tasks are done"], ["- Work methods"], ["- Doing tasks"]],
    ], header=[["ELEMENT"], ["PERFORMANCE", "CRITERIA"], ["REQUIRED", "KNOWLEDGE AND", "ATTITUDE"],
               ["REQUIRED SKILL"]])
    pdf.new_page()
    # a second header that repeats the previous unit's code; the list gives this title another code
    pdf.label("UNIT OF COMPETENCY", "KEEP SAMPLE RECORDS")
    pdf.label("UNIT CODE", "SMP712302")
    pdf.label("UNIT DESCRIPTOR", "This unit covers record keeping")
    pdf.table(TWO, [[["1. Keep records"], ["1.1 Records are kept", "1.2 Records are filed"]]], header=HEAD2)
    # a range heading a few lines under a table header is a heading: the table has rows before it
    pdf.line("RANGE OF VARIABLES", bold=True)
    pdf.table(TWO, [[["1. Records"], ["1.1 Logbook", "1.2 Files"]]], header=[["VARIABLE"], ["RANGE"]])
    pdf.new_page()
    pdf.line("SECTION 3 TRAINING STANDARDS", bold=True)
    pdf.line("These standards are set to provide training.")
    return extract_pdf(pdf.save())


def unit(ex, title):
    return next(u for u in ex.units if u.title == title)


def test_bare_page_number_under_the_criteria_column_is_not_text(layouts):
    texts = [c.text for u in layouts.units for e in u.elements for c in e.criteria]
    assert texts and not any(t.rstrip()[-1:].isdigit() for t in texts)


def test_wrapped_unit_label_keeps_the_title(layouts):
    first = layouts.units[0]
    assert (first.code, first.title) == ("500311105", "PARTICIPATE IN WORKPLACE COMMUNICATION")


def test_bold_range_of_variables_in_the_header_note_keeps_the_table(layouts):
    crane = unit(layouts, "OPERATE THE SAMPLE CRANE")
    assert [e.number for e in crane.elements] == ["1", "2", "3", "4"]
    assert not crane.range_variables


def test_criteria_in_a_row_below_their_element_stay_with_it(layouts):
    crane = unit(layouts, "OPERATE THE SAMPLE CRANE")
    assert [[c.number for c in e.criteria] for e in crane.elements] == [
        ["1.1", "1.2"], ["2.1", "2.2"], ["3.1", "3.2"], ["4.1", "4.2"]]


def test_knowledge_and_attitude_table_with_bulleted_items(layouts):
    farm = unit(layouts, "PLAN SAMPLE FARM WORK")
    assert [[c.number for c in e.criteria] for e in farm.elements] == [["1.1", "1.2"], ["2.1"]]
    assert farm.elements[0].criteria[0].text == "Work tasks are identified"
    assert [k.text for k in farm.elements[0].required_knowledge] == ["Farm operations", "Kinds of tools"]
    assert [k.text for k in farm.elements[1].required_skills] == ["Doing tasks"]


def test_letter_spaced_code_in_the_unit_list(layouts):
    listed = {lu.code: lu.title for lu in layouts.qualification.listed_units}
    assert listed.get("500311105") == "Participate in workplace communication"


def test_repeated_code_is_reconciled_with_the_list_by_title(layouts):
    records = unit(layouts, "KEEP SAMPLE RECORDS")
    assert records.code_as_listed == "SMP712303"
    assert "code_differs_from_list" in records.flags
    assert unit(layouts, "PLAN SAMPLE FARM WORK").code_as_listed is None


def test_range_heading_just_under_a_short_table_still_opens_the_range(layouts):
    records = unit(layouts, "KEEP SAMPLE RECORDS")
    assert [e.number for e in records.elements] == ["1"]
    assert [rv.variable for rv in records.range_variables] == ["Records"]


def test_generated_layouts_scan_clean(layouts):
    assert [a for a in scan(layouts) if a.kind != "unit_not_in_list"] == []


def test_standard_without_readable_units_is_rejected_not_published_empty(tmp_path):
    """A TR whose unit tables cannot be read: quarantined at stage extract as no_units_found."""
    import json

    from mrs_etl.errors import DocumentRejected
    from mrs_etl.files import sha256_file
    from mrs_etl.pipeline.extract import extract_to_file

    pdf = StandardPdf(tmp_path / "tr-unreadable.pdf")
    _cover(pdf)
    pdf.line("The units of competency, their performance criteria and evidence guide follow as images.")
    path = pdf.save()
    with pytest.raises(DocumentRejected) as rejected:
        extract_pdf(path)
    assert rejected.value.reason == "no_units_found"
    extract_to_file(str(path), sha256_file(path), str(tmp_path / "record.json"))  # the child checks the hash
    record = json.loads((tmp_path / "record.json").read_text())
    assert (record["status"], record["stage"], record["reason"], record["family"]) == \
        ("quarantined", "extract", "no_units_found", "tesda-tr")
