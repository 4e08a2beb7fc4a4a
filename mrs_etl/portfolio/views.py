"""What the HTML pages and the PDF show of each section: one view, two renderings (html.py, pdf.py)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from mrs_etl.portfolio.charts import BAND_COLOURS, VERDICT_COLOURS, Chart, heatmap, hbars
from mrs_etl.portfolio.sources import rows_of

VERDICT_CSS = {"evidenced": "answered", "partly evidenced": "partly", "no evidence found": "missing"}


def _rel(path: Path, out: Path) -> str:
    return str(Path(path).resolve().relative_to(out.resolve()))


def comparison_view(cmp: dict, pf, out: Path) -> dict:
    cells = cmp["cells"].sort_values(["a_order", "b_order"])
    a_labels = [str(x) for x in cells.drop_duplicates("a_order").sort_values("a_order")["a_code"].fillna("")]
    b_labels = [str(x) for x in cells.drop_duplicates("b_order").sort_values("b_order")["b_code"].fillna("")]
    chart_cells = [{"a_order": int(c.a_order), "b_order": int(c.b_order), "score": float(c.score), "band": c.band,
                    "aligned": bool(c.aligned), "label": f"{c.a_code} x {c.b_code}"} for c in cells.itertuples()]
    aligned = cells[cells["aligned"]]
    units_a = rows_of(pf.tables, "units", [cmp["a"].document_id]).set_index("order")
    pairs = []
    for c in aligned.itertuples():
        cov = None if pd.isna(c.coverage_a_in_b) else float(c.coverage_a_in_b)
        page = units_a.loc[c.a_order, "page"] if c.a_order in units_a.index else None
        pairs.append({"a": f"{c.a_code} {c.a_title}", "b": f"{c.b_code} {c.b_title}", "score": float(c.score),
                      "band": c.band, "coverage": "—" if cov is None else f"{cov:.0%}",
                      "page": None if page is None or pd.isna(page) else int(page)})
    bars = []  # every unit of A: its criteria found in its aligned unit of B, else in its closest one
    for a_order, row in cells.groupby("a_order", sort=True):
        kept = row[row["aligned"]]
        best = kept.iloc[0] if len(kept) else row.sort_values("score", ascending=False).iloc[0]
        cov = 0.0 if pd.isna(best["coverage_a_in_b"]) else float(best["coverage_a_in_b"])
        how = "aligned with" if len(kept) else "closest:"
        bars.append((str(best["a_code"]), [(round(100 * cov), BAND_COLOURS[best["band"]],
                                            f"{how} {best['b_code']} ({best['band']}, score {best['score']:.2f})")]))
    run = cmp["run"].iloc[0]
    summary = (f"{int(run.n_pairs)} aligned pairs ({int(run.n_equivalent)} equivalent, {int(run.n_partial)} partially "
               f"comparable); gaps: {int(run.n_gaps_a)} units of A, {int(run.n_gaps_b)} units of B")
    hm: Chart = heatmap(chart_cells, a_labels, b_labels, f"Comparability: {cmp['a'].file_name} x {cmp['b'].file_name}")
    cov: Chart = hbars(bars, "Share of each A unit's criteria found in B (%)", scale=100, unit="%")
    files = {k.rsplit(" ", 1)[1].strip("()"): v for k, v in pf.files.items() if cmp["label"] in k}
    return {"a": cmp["a"], "b": cmp["b"], "summary": summary, "cross": bool(run.cross_language), "pairs": pairs,
            "heatmap_chart": hm, "coverage_chart": cov, "xlsx": _rel(files["xlsx"], out), "html": _rel(files["html"], out)}


def system_view(system: dict, pf, out: Path) -> dict:
    side = system["side"]
    verdicts = system["verdicts"]
    best = system["citations"][system["citations"]["rank"] == 1].set_index("rule_id")
    rows = []
    for v in verdicts.itertuples():
        c = best.loc[v.rule_id] if v.rule_id in best.index else None
        rows.append({"rule_id": v.rule_id, "question": v.question, "verdict": v.verdict,
                     "css": VERDICT_CSS.get(v.verdict, "missing"),
                     "quote": None if c is None else str(c["sentence"])[:300],
                     "file": None if c is None else c["file_name"],
                     "page": None if c is None or pd.isna(c["page"]) else int(c["page"])})
    bars = []
    for step in ("4", "5", "GP"):
        counts = verdicts[verdicts["step"] == step]["verdict"].value_counts()
        bars.append((f"step {step}" if step != "GP" else "GP themes",
                     [(int(counts.get(k, 0)), colour, k) for k, colour in VERDICT_COLOURS.items()]))
    files = {k.rsplit(" ", 1)[1].strip("()"): v for k, v in pf.files.items() if f"compliance {side.qa_system} " in k}
    scale = max((sum(p[0] for p in b[1]) for b in bars), default=1) or 1
    return {"name": side.qa_system, "role": side.role, "documents": [d.file_name for d in system["documents"]],
            "verdicts": rows, "chart_obj": hbars(bars, f"{side.qa_system}: verdicts", scale=scale, unit=" rules"),
            "xlsx": _rel(files["xlsx"], out), "html": _rel(files["html"], out)}
