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
from mrs_etl.compare.result import ComparisonResult
from mrs_etl.storage import write_bytes_atomic

# One palette for the workbook and the report (RGB hex).
BAND_COLOURS = {EQUIVALENT: "C6EFCE", PARTIAL: "FFEB9C", NOT_COMPARABLE: "EDEDED"}
SHEETS = ("Matrix", "Pairs", "Criteria evidence", "Gaps", "Settings")
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

    pairs = wb.create_sheet(SHEETS[1])
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

    evidence = wb.create_sheet(SHEETS[2])
    criteria = result.tables()["comparability_criteria"]
    _sheet_rows(evidence, ["A unit", "B unit", "status", "A number", "A criterion", "B number", "B criterion",
                           "similarity"],
                [[r.a_code, r.b_code, r.status, r.a_number, r.a_text, r.b_number, r.b_text,
                  None if r.similarity is None else round(float(r.similarity), 3)]
                 for r in criteria.astype(object).where(criteria.notna(), None).itertuples()],
                [14, 14, 11, 9, 60, 9, 60, 10])
    for row in evidence.iter_rows(min_row=2):
        for cell in (row[4], row[6]):
            cell.alignment = _WRAP

    gaps = wb.create_sheet(SHEETS[3])
    _sheet_rows(gaps, ["side", "standard", "code", "title", "category", "criteria", "closest unit", "closest score",
                       "reason"],
                [[g.side, (result.a if g.side == "A" else result.b).name, g.unit.code, g.unit.title, g.unit.category,
                  len(g.unit.criteria), g.closest.label if g.closest else None,
                  None if g.closest_score is None else round(g.closest_score, 3), g.reason] for g in result.gaps],
                [6, 30, 14, 40, 10, 9, 40, 12, 60])

    settings = wb.create_sheet(SHEETS[4])
    _sheet_rows(settings, ["setting", "value"], [[k, str(v)] for k, v in settings_rows(result)], [28, 90])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _matrix_sheet(ws, result: ComparisonResult) -> None:
    ws["A1"] = f"Comparability matrix: {result.a.name} (A, rows) against {result.b.name} (B, columns)"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = ("Cells: similarity score 0-1, coloured by band (green equivalent, yellow partially comparable, "
                "grey not comparable). Bold with a frame: units aligned one to one. Thresholds: sheet Settings.")
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
            if (unit.order, other.order) in aligned:
                cell.font = _BOLD
                cell.border = _ALIGNED_BORDER
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 42
    ws.column_dimensions["C"].width = 10
    ws.freeze_panes = ws.cell(MATRIX_FIRST_ROW, MATRIX_FIRST_COLUMN)
    legend_row = MATRIX_FIRST_ROW + len(result.a.units) + 1
    for k, band in enumerate(BANDS):
        ws.cell(legend_row + k, 2, band).fill = _fill(band)


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
    return template.render(r=result, colours=BAND_COLOURS, bands=BANDS, settings=settings_rows(result),
                           aligned={(p.a.order, p.b.order) for p in result.pairs}, evidence=evidence)
