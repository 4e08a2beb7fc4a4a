"""Comparability outputs: an xlsx matrix for officials, an HTML report, Parquet/CSV tables.

Every file is written whole or not at all (mrs_etl.storage.write_bytes_atomic).
"""
from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from mrs_etl.compare.config import BANDS, EQUIVALENT, NOT_COMPARABLE, PARTIAL
from mrs_etl.compare.result import BORDERLINE_FLAG, ComparisonResult
from mrs_etl.storage import write_bytes_atomic

# One palette for the workbook and the report (RGB hex).
BAND_COLOURS = {EQUIVALENT: "C6EFCE", PARTIAL: "FFEB9C", NOT_COMPARABLE: "EDEDED"}
SHEETS = ("Matrix", "Qualification", "Cells", "Pairs", "Criteria evidence", "Coverage", "Gaps", "Settings")
# Matrix sheet layout: A units down from MATRIX_FIRST_ROW, B units across from MATRIX_FIRST_COLUMN.
MATRIX_FIRST_ROW = 7
MATRIX_FIRST_COLUMN = 4
FORMATS = ("xlsx", "html", "parquet", "csv")

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_ALIGNED_BORDER = Border(*(Side(style="medium", color="000000"),) * 4)


def write_outputs(result: ComparisonResult, out_dir: str | Path, formats=FORMATS) -> dict[str, Path]:
    """Write the requested formats into out_dir; returns {name: path} of what was written."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown output formats {sorted(unknown)} (known: {', '.join(FORMATS)})")
    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    if "xlsx" in formats:
        written["xlsx"] = out_dir / "comparability.xlsx"
        write_bytes_atomic(written["xlsx"], workbook_bytes(result))
    if "html" in formats:
        written["html"] = out_dir / "comparability.html"
        write_bytes_atomic(written["html"], html_report(result).encode("utf-8"))
    tables = result.tables() if {"parquet", "csv"} & set(formats) else {}
    for name, df in tables.items():
        if "parquet" in formats:
            buffer = io.BytesIO()
            df.to_parquet(buffer, index=False)
            written[f"{name}.parquet"] = out_dir / "tables" / f"{name}.parquet"
            write_bytes_atomic(written[f"{name}.parquet"], buffer.getvalue())
        if "csv" in formats:
            written[f"{name}.csv"] = out_dir / "tables" / f"{name}.csv"
            write_bytes_atomic(written[f"{name}.csv"], df.to_csv(index=False).encode("utf-8"))
    return written


def _fill(band: str) -> PatternFill:
    return PatternFill("solid", start_color=BAND_COLOURS[band], end_color=BAND_COLOURS[band])


def _sheet_rows(ws, header: list[str], rows: list[list], widths: list[int]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = _BOLD
    for row in rows:
        ws.append(row)
    for k, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(k)].width = width
    ws.freeze_panes = "A2"


def workbook_bytes(result: ComparisonResult) -> bytes:
    wb = Workbook()
    matrix = wb.active
    matrix.title = SHEETS[0]
    _matrix_sheet(matrix, result)

    qualification = wb.create_sheet("Qualification")
    _qualification_sheet(qualification, result)

    cells = wb.create_sheet("Cells")
    comparable = result.listed_cells()
    aligned = {(p.a.order, p.b.order) for p in result.pairs}
    _sheet_rows(cells, ["A code", "A title", "B code", "B title", "band", "A criteria found in B",
                        "B criteria found in A", "found", "score", "one-to-one", "flags", "why this band"],
                [[ua.code, ua.title, ub.code, ub.title, cell.band, round(cell.coverage_a_in_b, 3),
                  round(cell.coverage_b_in_a, 3), f"{cell.n_found_a} of {len(ua.criteria)} / "
                  f"{cell.n_found_b} of {len(ub.criteria)}", round(cell.score, 3),
                  "yes" if (ua.order, ub.order) in aligned else "", "; ".join(cell.flags), cell.band_reason]
                 for ua, ub, cell in comparable],
                [14, 40, 14, 40, 20, 12, 12, 18, 8, 10, 40, 60])
    for row in cells.iter_rows(min_row=2):
        row[4].fill = _fill(row[4].value)
        for cell in (row[5], row[6]):
            cell.number_format = "0%"

    pairs = wb.create_sheet("Pairs")
    _sheet_rows(pairs, ["A code", "A title", "A category", "B code", "B title", "B category", "score", "band",
                        "A criteria found in B", "B criteria found in A", "criteria matched", "confidence", "flags"],
                [[p.a.code, p.a.title, p.a.category, p.b.code, p.b.title, p.b.category, round(p.cell.score, 3),
                  p.band, round(p.cell.coverage_a_in_b, 3), round(p.cell.coverage_b_in_a, 3),
                  f"{p.cell.n_matched} of {len(p.a.criteria)} / {len(p.b.criteria)}", p.confidence,
                  "; ".join(p.cell.flags)] for p in result.pairs],
                [14, 40, 10, 14, 40, 10, 8, 20, 12, 12, 16, 10, 30])
    for row in pairs.iter_rows(min_row=2):
        row[7].fill = _fill(row[7].value)
        for cell in (row[8], row[9]):
            cell.number_format = "0%"

    evidence = wb.create_sheet("Criteria evidence")
    tables = result.tables()
    criteria = tables["comparability_criteria"]
    _sheet_rows(evidence, ["A unit", "B unit", "status", "A number", "A criterion", "B number", "B criterion",
                           "similarity", "generic"],
                [[r.a_code, r.b_code, r.status, r.a_number, r.a_text, r.b_number, r.b_text,
                  None if r.similarity is None else round(float(r.similarity), 3),
                  "; ".join(side for side, g in (("A", r.a_generic), ("B", r.b_generic)) if g) or None]
                 for r in criteria.astype(object).where(criteria.notna(), None).itertuples()],
                [14, 14, 11, 9, 60, 9, 60, 10, 8])
    for row in evidence.iter_rows(min_row=2):
        for cell in (row[4], row[6]):
            cell.alignment = _WRAP

    coverage = wb.create_sheet("Coverage")
    _sheet_rows(coverage, ["side", "code", "title", "category", "criteria", "covered", "covered by", "gap"],
                [[c.side, c.unit.code, c.unit.title, c.unit.category, len(c.unit.criteria), round(c.coverage, 3),
                  c.by_label or None, "gap" if c.gap else None] for c in result.coverage],
                [6, 14, 50, 10, 9, 10, 40, 6])
    for row in coverage.iter_rows(min_row=2):
        row[5].number_format = "0%"

    gaps = wb.create_sheet("Gaps")
    _sheet_rows(gaps, ["side", "standard", "code", "title", "category", "criteria", "closest unit", "closest score",
                       "reason"],
                [[g.side, (result.a if g.side == "A" else result.b).name, g.unit.code, g.unit.title, g.unit.category,
                  len(g.unit.criteria), g.closest.label if g.closest else None,
                  None if g.closest_score is None else round(g.closest_score, 3), g.reason] for g in result.gaps],
                [6, 30, 14, 40, 10, 9, 40, 12, 60])

    settings = wb.create_sheet("Settings")
    _sheet_rows(settings, ["setting", "value"], [[k, str(v)] for k, v in settings_rows(result)], [28, 90])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _matrix_sheet(ws, result: ComparisonResult) -> None:
    ws["A1"] = f"Comparability matrix: {result.a.name} (A, rows) against {result.b.name} (B, columns)"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = ("Cells: similarity score 0-1, coloured by band (green equivalent, yellow partially comparable, "
                "grey not comparable); the band is read from the coverages and similarities (sheet Cells, "
                "'why this band'). Bold with a frame: the "
                "one-to-one summary. Italic: borderline, the band model's probability for the band is below "
                f"{result.config.borderline_probability:.2f} (flag borderline_band; an official's reading decides). "
                "Last column and row: coverage by the other side's units together. Thresholds: sheet Settings.")
    if result.cross_language:
        ws["A3"] = (f"Different languages ({result.a.language} / {result.b.language}): every pair is low "
                    "confidence; check the criterion evidence.")
        ws["A3"].font = Font(bold=True, color="9C0006")
    top = MATRIX_FIRST_ROW - 3
    for label, row in (("B code", top), ("B title", top + 1), ("B category", top + 2)):
        ws.cell(row, MATRIX_FIRST_COLUMN - 1, label).font = _BOLD
    for k, label in enumerate(("A code", "A title", "A category")):
        ws.cell(MATRIX_FIRST_ROW - 1, 1 + k, label).font = _BOLD
    for j, unit in enumerate(result.b.units):
        col = MATRIX_FIRST_COLUMN + j
        ws.cell(top, col, unit.code).font = _BOLD
        ws.cell(top + 1, col, unit.title).alignment = Alignment(wrap_text=True, vertical="bottom", text_rotation=90)
        ws.cell(top + 2, col, unit.category)
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.row_dimensions[top + 1].height = 150
    aligned = {(p.a.order, p.b.order) for p in result.pairs}
    for i, unit in enumerate(result.a.units):
        row = MATRIX_FIRST_ROW + i
        ws.cell(row, 1, unit.code).font = _BOLD
        ws.cell(row, 2, unit.title).alignment = _WRAP
        ws.cell(row, 3, unit.category)
        for j, other in enumerate(result.b.units):
            cell_scores = result.cells[i, j]
            cell = ws.cell(row, MATRIX_FIRST_COLUMN + j, round(cell_scores.score, 2))
            cell.number_format = "0.00"
            cell.fill = _fill(cell_scores.band)
            borderline = BORDERLINE_FLAG in cell_scores.flags
            if (unit.order, other.order) in aligned:
                cell.font = Font(bold=True, italic=borderline)
                cell.border = _ALIGNED_BORDER
            elif borderline:
                cell.font = Font(italic=True)
    # many-to-many: what the whole other side covers of each unit, and with which of its units
    set_column = MATRIX_FIRST_COLUMN + len(result.b.units)
    ws.cell(top, set_column, "Covered by B").font = _BOLD
    ws.cell(top + 1, set_column, "share of the A unit's criteria found in these B units together")
    ws.cell(top + 1, set_column).alignment = Alignment(wrap_text=True, vertical="bottom")
    ws.column_dimensions[get_column_letter(set_column)].width = 30
    for i, unit in enumerate(result.a.units):
        ws.cell(MATRIX_FIRST_ROW + i, set_column, _covered_text(result.coverage_of("A", unit.order)))
    set_row = MATRIX_FIRST_ROW + len(result.a.units)
    ws.cell(set_row, 2, "Covered by A (share of the B unit's criteria found in these A units)").font = _BOLD
    for j, unit in enumerate(result.b.units):
        cell = ws.cell(set_row, MATRIX_FIRST_COLUMN + j, _covered_text(result.coverage_of("B", unit.order)))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[set_row].height = 60
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 10
    ws.freeze_panes = ws.cell(MATRIX_FIRST_ROW, MATRIX_FIRST_COLUMN)
    legend_row = set_row + 2
    for k, band in enumerate(BANDS):
        ws.cell(legend_row + k, 2, band).fill = _fill(band)


def _covered_text(coverage) -> str:
    text = f"{coverage.coverage:.0%}" + (f" by {coverage.by_label}" if coverage.by else "")
    return text + (" (gap)" if coverage.gap else "")


QUALIFICATION_ROWS = (("name", "qualification"), ("level", "level"), ("nominal_hours", "nominal hours"),
                      ("n_units", "units"), ("n_basic", "basic units"), ("n_common", "common units"),
                      ("n_core", "core units"), ("n_elective", "elective units"),
                      ("n_uncategorised", "units without a category"), ("packaging_rules", "packaging rules"),
                      ("core_coverage", "core covered by the other side"),
                      ("overall_coverage", "all criteria covered by the other side"),
                      ("units_lacking_in_other", "units the other side lacks"))


def _qualification_sheet(ws, result: ComparisonResult) -> None:
    """Roadmap step 3: the two qualifications side by side, then the lines officials can quote."""
    rows = result.qualifications()
    ws.append(["", "A", "B"])
    for cell in ws[1]:
        cell.font = _BOLD
    for key, label in QUALIFICATION_ROWS:
        values = [row[key] for row in rows]
        if key.endswith("coverage"):
            values = [None if v is None else round(v, 3) for v in values]
        ws.append([label, *[("not stated in the extracted document" if key in ("level", "nominal_hours") else None)
                            if v is None else v for v in values]])
        if key.endswith("coverage"):
            for cell in ws[ws.max_row][1:]:
                cell.number_format = "0%"
    ws.append([])
    ws.append(["summary"])
    ws[ws.max_row][0].font = _BOLD
    for row in rows:
        ws.append([row["side"], row["summary"]])
    for row in ws.iter_rows(min_row=2):
        for cell in row[1:]:
            cell.alignment = _WRAP
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 70


def settings_rows(result: ComparisonResult) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [("comparison_id", result.comparison_id), ("created_at", result.created_at)]
    for tag, side in (("A", result.a), ("B", result.b)):
        rows += [(f"{tag} standard", side.name), (f"{tag} document", side.document),
                 (f"{tag} language", side.language), (f"{tag} units", len(side.units)),
                 (f"{tag} input", side.input_path or "(in memory)"), (f"{tag} input sha256", side.input_sha256),
                 (f"{tag} source PDF sha256", side.source_sha256)]
    rows.append(("different languages", result.cross_language))
    rows += list(result.settings.items())
    return rows


def html_report(result: ComparisonResult) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("mrs_etl.compare", "templates"), autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("comparability.html.j2")
    criteria = result.tables()["comparability_criteria"]
    evidence = {key: group.astype(object).where(group.notna(), None).to_dict("records")
                for key, group in criteria.groupby(["a_order", "b_order"], sort=False)}
    comparable = result.listed_cells()
    return template.render(r=result, colours=BAND_COLOURS, bands=BANDS, settings=settings_rows(result),
                           borderline=BORDERLINE_FLAG,
                           aligned={(p.a.order, p.b.order) for p in result.pairs}, evidence=evidence,
                           comparable=comparable, qualifications=result.qualifications(),
                           qualification_rows=QUALIFICATION_ROWS, covered_text=_covered_text)
