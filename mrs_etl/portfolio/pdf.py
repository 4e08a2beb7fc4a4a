"""The portfolio as one PDF for submission (reportlab; no browser): the same sections, tables and figures."""
from __future__ import annotations

import io
from html import escape
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mrs_etl.portfolio.charts import to_drawing
from mrs_etl.storage import write_bytes_atomic

STATUS_COLOURS = {"answered": "#C6EFCE", "partly": "#FFEB9C", "missing": "#FFC7CE",
                  "cited": "#C6EFCE", "unsourced": "#FFEB9C", "unresolved": "#FFC7CE"}
_STYLES = getSampleStyleSheet()
_BODY = _STYLES["BodyText"].clone("body", fontSize=8, leading=10)
_SMALL = _STYLES["BodyText"].clone("small", fontSize=7, leading=8.5)


def _p(text, style=_SMALL) -> Paragraph:
    return Paragraph(escape(str(text if text is not None else "")), style)


def _src(file, page) -> str:
    return f"{file}, p. {page}" if file and page else (file or "")


def _table(header: list[str], rows: list[list], widths: list[float], fills: list[str | None] | None = None) -> Table:
    data = [[_p(h, _SMALL) for h in header]] + [[_p(c) for c in row] for row in rows]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD"))]
    for i, fill in enumerate(fills or [], 1):
        if fill:
            style.append(("BACKGROUND", (0, i), (-1, i), colors.HexColor(fill)))
    table.setStyle(TableStyle(style))
    return table


def _missing(section) -> list:
    if section.status == "missing":
        return [_p(f"SECTION MISSING: {'; '.join(section.reasons)}", _BODY)]
    return [_p(f"Left out: {'; '.join(section.reasons)}", _BODY)] if section.reasons else []


def render_pdf(pf, ctx: dict, path: Path) -> None:
    h1, h2, h3 = _STYLES["Heading1"], _STYLES["Heading2"], _STYLES["Heading3"]
    c = ctx["c"]
    story = [Paragraph("MRS portfolio of evidence", h1),
             _p(f"{c.title} ({c.sending.country} -> {c.receiving.country}); built {ctx['built_at']} from processed "
                f"version {ctx['version']}", _BODY),
             Paragraph("Completeness", h2),
             _p(f"{ctx['counts']['answered']} answered, {ctx['counts']['partly']} partly, {ctx['counts']['missing']} missing.", _BODY),
             _table(["Step", "Roadmap question", "Status", "Why"],
                    [[r["step"], r["question"], r["status"], r["why"]] for r in ctx["completeness"]], [12, 55, 16, 97],
                    [STATUS_COLOURS[r["status"]] for r in ctx["completeness"]]),
             Paragraph("Sources", h2),
             _table(["Document", "Status", "sha256"], [[s.file_name or s.name, s.status + (f": {s.reason}" if s.reason else ""),
                                                      s.document_id or ""] for s in ctx["sources"]], [60, 40, 80]),
             PageBreak()]
    sections = ctx["sections"]
    s1 = sections["step1"]
    story += [Paragraph(s1.title, h2), *_missing(s1),
              _table(["Role", "Title", "Level", "Units (b/c/c/e/other)", "Hours", "Not in the tables", "Source"],
                     [[r["role"], r["title"], r["level"] or "-", f"{r['n_units']} ({r['n_basic']}/{r['n_common']}/{r['n_core']}/"
                       f"{r['n_elective']}/{r['n_uncategorised']})", r["nominal_hours"] or "-",
                       (r["unresolved"] or "").replace(";", ", "), _src(r["file_name"], r["page"])]
                      for r in s1.data.get("catalogue", [])], [22, 40, 14, 24, 12, 26, 42]),
              Paragraph("Facts not in the standards", h3),
              _table(["Side", "Question", "Answer", "Source", "Check"],
                     [[f["side"], f["question"], f"PLACEHOLDER: {f['placeholder']}" if f["placeholder"] else f["value"],
                       f["source"] or "-", f["check"]] for f in ctx["facts"]], [18, 35, 65, 37, 25],
                     [STATUS_COLOURS["missing"] if f["placeholder"] else None for f in ctx["facts"]]),
              PageBreak()]
    s23 = sections["step2-3"]
    story += [Paragraph(s23.title, h2), *_missing(s23)]
    for cmp in ctx["comparisons"]:
        story += [Paragraph(escape(f"{cmp['a'].file_name} (A) x {cmp['b'].file_name} (B)"), h3), _p(cmp["summary"], _BODY),
                  to_drawing(cmp["heatmap_chart"]), Spacer(1, 4), to_drawing(cmp["coverage_chart"]),
                  _table(["Unit of A", "Unit of B", "Score", "Band", "Coverage A in B", "Source (A)"],
                         [[p["a"], p["b"], f"{p['score']:.2f}", p["band"], p["coverage"], _src(cmp["a"].file_name, p["page"])]
                          for p in cmp["pairs"]], [45, 45, 12, 25, 18, 35])]
    story.append(PageBreak())
    s45 = sections["step4-5"]
    story += [Paragraph(s45.title, h2), *_missing(s45)]
    for s in ctx["systems"]:
        story += [Paragraph(escape(f"{s['name']} ({s['role']})"), h3), _p("Documents read: " + ", ".join(s["documents"]), _BODY),
                  to_drawing(s["chart_obj"]),
                  _table(["Rule", "Question", "Verdict", "Best evidence"],
                         [[v["rule_id"], v["question"], v["verdict"],
                           f"\u201c{v['quote']}\u201d ({_src(v['file'], v['page'])})" if v["quote"] else ""] for v in s["verdicts"]],
                         [30, 45, 20, 85], [STATUS_COLOURS[v["css"]] for v in s["verdicts"]])]
    story.append(PageBreak())
    s6 = sections["step6"]
    story += [Paragraph(s6.title, h2), *_missing(s6)]
    profile = ctx["profile"]
    if profile is not None:
        cert = ctx["certificate"]
        story.append(_p(f"{profile.title} - level {ctx['level'] or 'not printed'} - nominal hours "
                        f"{ctx['hours'] or 'not in the tables'} - certificate: "
                        f"{('PLACEHOLDER: ' + cert['placeholder']) if cert['placeholder'] else cert['value']}", _BODY))
        story.append(_p("Incorporates every unit of the qualification: " + ("yes" if profile.incorporates_every_unit else
                        "no; not rendered: " + "; ".join(f"{u} ({w})" for u, w in profile.not_rendered)), _BODY))
        for group, units in profile.by_group():
            story.append(Paragraph(f"{group.capitalize()} competencies", h3))
            for u in units:
                tasks = "; ".join(t.text for t in u.tasks) + (f" ... and {u.n_tasks - len(u.tasks)} more" if u.n_tasks > len(u.tasks) else "")
                line = f"<b>{escape(u.title)}</b> ({escape(u.code)}; {escape(_src(u.source.file_name, u.source.page))}): {escape(tasks)}"
                if u.equipment:
                    line += "<br/><i>Tools, materials, equipment:</i> " + escape("; ".join(e.text for e in u.equipment))
                story.append(Paragraph(line, _SMALL))
    story.append(PageBreak())
    s7 = sections["step7b"]
    story += [Paragraph(s7.title, h2), *_missing(s7), _p(f"Level of the qualification: {ctx['printed'] or 'not printed'}", _BODY),
              _table(["From", "To", "Status", "Basis"], [[h.frm, h.to, h.status, h.basis] for h in ctx["hops"]],
                     [25, 25, 20, 110], [STATUS_COLOURS[h.status] for h in ctx["hops"]])]
    for fid, fw in ctx["frameworks"].items():
        story.append(Paragraph(escape(f"{fid}" + (f" - {fw.name}" if fw else "")), h3))
        if fw is None:
            story.append(_p(f"No framework file for {fid}.", _BODY))
            continue
        story.append(_p("Source: " + (f"PLACEHOLDER: {fw.placeholder}" if fw.placeholder else fw.source), _BODY))
        story.append(_table(["Level", "Printed as", "Knowledge and skills", "Application and responsibility"],
                            [[lv.level, ", ".join(lv.aliases), lv.knowledge_skills, lv.application_responsibility]
                             for lv in fw.levels], [12, 30, 69, 69]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title=f"MRS portfolio: {c.title}").build(story)
    write_bytes_atomic(path, buffer.getvalue())
