"""Writing a compliance check for officials (xlsx, HTML) and for tools (Parquet, CSV)."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from mrs_etl.qa.matching import EVIDENCED, NONE, PARTLY
from mrs_etl.storage import write_bytes_atomic

FILL = {EVIDENCED: "C6EFCE", PARTLY: "FFEB9C", NONE: "FFC7CE"}
CSS = {EVIDENCED: "evidenced", PARTLY: "partly", NONE: "none"}
EVIDENCE_DIR = "evidence"  # page images of the cited sentences, beside the report
SCALE = 1.4  # render scale (1 = 72 dpi): legible, and a crop stays a few tens of kB
MARGIN = 28.0  # points of the page shown above and below the sentence


def evidence_images(citations: pd.DataFrame, pdfs: dict[str, str | Path]) -> dict[tuple[str, int], tuple[str, bytes]]:
    """For each citation (rule_id, rank) with a sentence box and a readable PDF: a PNG of the page
    region around the sentence, the sentence highlighted, and its file name. A PDF that cannot be
    rendered is skipped (the report still quotes the sentence)."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    out: dict[tuple[str, int], tuple[str, bytes]] = {}
    docs: dict[str, object] = {}
    try:
        for c in citations.astype(object).where(citations.notna(), None).to_dict("records"):
            path = pdfs.get(c["document_id"])
            box = [c.get(k) for k in ("sentence_page", "sentence_x0", "sentence_top", "sentence_x1", "sentence_bottom")]
            if not path or any(v is None for v in box):
                continue
            try:
                if c["document_id"] not in docs:
                    docs[c["document_id"]] = pdfium.PdfDocument(str(path))
                page = docs[c["document_id"]][int(box[0]) - 1]
                width, height = page.get_size()
                top, bottom = max(0.0, box[2] - MARGIN), min(height, box[4] + MARGIN)
                image = page.render(scale=SCALE, crop=(0, height - bottom, 0, top)).to_pil().convert("RGB")
                page.close()
            except Exception:  # an unreadable page: quote without a picture
                continue
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            rect = [(box[1] - 2) * SCALE, (box[2] - top - 2) * SCALE, (box[3] + 2) * SCALE, (box[4] - top + 2) * SCALE]
            draw.rectangle(rect, fill=(255, 230, 0, 90), outline=(220, 120, 0, 255), width=2)
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
            buf = io.BytesIO()
            image.quantize(colors=32).save(buf, "PNG", optimize=True)
            name = f"{c['rule_id']}-{int(c['rank'])}.png"
            out[(c["rule_id"], int(c["rank"]))] = (name, buf.getvalue())
    finally:
        for doc in docs.values():
            doc.close()
    return out


def _xlsx(tables: dict[str, pd.DataFrame], about: dict[str, str],
          images: dict[tuple[str, int], tuple[str, bytes]] | None = None) -> bytes:
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
    if images:  # the cited sentences as printed, highlighted on their page
        from openpyxl.drawing.image import Image as XlImage

        ws = wb.create_sheet("Evidence")
        ws.append(["rule_id", "rank", "answers", "file_name", "page", "sentence", "page image"])
        ws.column_dimensions["F"].width = 60
        ws.column_dimensions["G"].width = 110
        row = 2
        for c in tables["compliance_citations"].to_dict("records"):
            key = (c["rule_id"], int(c["rank"]))
            ws.append([c["rule_id"], c["rank"], c.get("answers"), c.get("file_name"), c.get("page"), c["sentence"]])
            ws.cell(row, 6).alignment = Alignment(wrap_text=True, vertical="top")
            if key in images:
                picture = XlImage(io.BytesIO(images[key][1]))
                picture.width, picture.height = picture.width * 0.75, picture.height * 0.75
                ws.add_image(picture, f"G{row}")
                ws.row_dimensions[row].height = picture.height * 0.75 + 4
            row += 1
    ws = wb.create_sheet("About")
    for key, value in about.items():
        ws.append([key, value])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _html(tables: dict[str, pd.DataFrame], about: dict[str, str], documents: list[str],
          images: dict[tuple[str, int], tuple[str, bytes]] | None = None) -> bytes:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html", "j2"]))
    citations: dict[str, list[dict]] = {}
    for c in tables["compliance_citations"].astype(object).where(
            tables["compliance_citations"].notna(), None).to_dict("records"):
        name = (images or {}).get((c["rule_id"], int(c["rank"])))
        c["image"] = f"{EVIDENCE_DIR}/{name[0]}" if name else None
        citations.setdefault(c["rule_id"], []).append(c)
    html = env.get_template("compliance.html.j2").render(
        system=about["system"], version=about["rulebook_version"], title=about["rulebook_title"],
        checked_at=about["checked_at"], documents=documents, css=CSS,
        verdicts=tables["compliance_verdicts"].astype(object).where(tables["compliance_verdicts"].notna(), None)
        .to_dict("records"), citations=citations)
    return html.encode("utf-8")


def write_report(tables: dict[str, pd.DataFrame], out: str | Path, about: dict[str, str],
                 documents: list[str], pdfs: dict[str, str | Path] | None = None) -> list[Path]:
    """compliance.xlsx, compliance.html and <table>.parquet/.csv (every table given) in `out`, each
    file written atomically; with `pdfs` (document_id -> PDF path) the cited sentences are shown
    highlighted on their page (evidence/<rule>-<rank>.png, and in the workbook's Evidence sheet)."""
    out = Path(out)
    written = []
    images = evidence_images(tables["compliance_citations"], pdfs) if pdfs else {}
    for name, data in images.values():
        write_bytes_atomic(out / EVIDENCE_DIR / name, data)
        written.append(out / EVIDENCE_DIR / name)
    for name, df in tables.items():
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        for path, data in ((out / f"{name}.parquet", buf.getvalue()),
                           (out / f"{name}.csv", df.to_csv(index=False).encode("utf-8"))):
            write_bytes_atomic(path, data)
            written.append(path)
    for path, data in ((out / "compliance.xlsx", _xlsx(tables, about, images)),
                       (out / "compliance.html", _html(tables, about, documents, images))):
        write_bytes_atomic(path, data)
        written.append(path)
    return written
