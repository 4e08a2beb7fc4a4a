"""Writing a compliance check for officials (xlsx, HTML) and for tools (Parquet, CSV)."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from mrs_etl.qa.matching import EVIDENCED, NONE, PARTLY
from mrs_etl.storage import write_bytes_atomic

FILL = {EVIDENCED: "C6EFCE", PARTLY: "FFEB9C", NONE: "FFC7CE"}
CSS = {EVIDENCED: "evidenced", PARTLY: "partly", NONE: "none"}


def _xlsx(tables: dict[str, pd.DataFrame], about: dict[str, str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheets = (("Verdicts", tables["compliance_verdicts"].drop(columns=["rulebook_version", "checked_at"])),
              ("Citations", tables["compliance_citations"].drop(columns=["rulebook_version"])))
    for n, (name, df) in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = name
        ws.append(list(df.columns))
        for row in df.astype(object).where(df.notna(), None).itertuples(index=False):
            ws.append(list(row))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns, 1):
            wide = col in ("question", "evidence", "sentence", "heading_path")
            ws.column_dimensions[get_column_letter(i)].width = 60 if wide else 16
            if wide:
                for cell in ws[get_column_letter(i)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        if name == "Verdicts":
            col = list(df.columns).index("verdict") + 1
            for cell in ws[get_column_letter(col)][1:]:
                cell.fill = PatternFill("solid", fgColor=FILL.get(cell.value, "FFFFFF"))
    ws = wb.create_sheet("About")
    for key, value in about.items():
        ws.append([key, value])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(tables: dict[str, pd.DataFrame], about: dict[str, str], documents: list[str]) -> bytes:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html", "j2"]))
    citations: dict[str, list[dict]] = {}
    for c in tables["compliance_citations"].astype(object).where(
            tables["compliance_citations"].notna(), None).to_dict("records"):
        citations.setdefault(c["rule_id"], []).append(c)
    html = env.get_template("compliance.html.j2").render(
        system=about["system"], version=about["rulebook_version"], title=about["rulebook_title"],
        checked_at=about["checked_at"], documents=documents, css=CSS,
        verdicts=tables["compliance_verdicts"].to_dict("records"), citations=citations)
    return html.encode("utf-8")


def write_report(tables: dict[str, pd.DataFrame], out: str | Path, about: dict[str, str],
                 documents: list[str]) -> list[Path]:
    """compliance.xlsx, compliance.html and <table>.parquet/.csv (every table given) in `out`, each
    file written atomically."""
    out = Path(out)
    written = []
    for name, df in tables.items():
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        for path, data in ((out / f"{name}.parquet", buf.getvalue()),
                           (out / f"{name}.csv", df.to_csv(index=False).encode("utf-8"))):
            write_bytes_atomic(path, data)
            written.append(path)
    for path, data in ((out / "compliance.xlsx", _xlsx(tables, about)),
                       (out / "compliance.html", _html(tables, about, documents))):
        write_bytes_atomic(path, data)
        written.append(path)
    return written
