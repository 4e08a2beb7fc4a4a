"""A corridor's portfolio folder: HTML pages, one PDF, the step 2-5 workbooks, sources, manifest.

    <out>/<corridor>/index.html, step1.html ... step7b.html   the HTML portfolio
    <out>/<corridor>/portfolio.pdf                            the same for submission
    <out>/<corridor>/step2-3/<A>__vs__<B>/comparability.xlsx  steps 2-3 (mrs_etl.compare writers)
    <out>/<corridor>/step4-5/<system>/compliance.xlsx         steps 4-5 (mrs_etl.qa writers)
    <out>/<corridor>/sources/<file>.pdf                       the source PDFs (when raw/ is at hand)
    <out>/<corridor>/manifest.json, completeness.csv          sources with sha256, claims with file and page

The folder is built beside its final place and renamed into it, so a reader never sees half a portfolio.
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from mrs_etl.portfolio.charts import to_svg
from mrs_etl.portfolio.views import comparison_view, system_view
from mrs_etl.storage import write_bytes_atomic

PAGES = ("index", "step1", "step2-3", "step4-5", "step6", "step7b")


def _counts(rows: list[dict]) -> dict[str, int]:
    return {k: sum(r["status"] == k for r in rows) for k in ("answered", "partly", "missing")}


def context(pf, out: Path, version: str) -> dict:
    s1 = pf.sections["step1"]
    comparisons = [comparison_view(c, pf, out) for c in pf.sections["step2-3"].data.get("comparisons", [])]
    for c in comparisons:
        c["heatmap"], c["coverage"] = to_svg(c["heatmap_chart"]), to_svg(c["coverage_chart"])
    systems = [system_view(s, pf, out) for s in pf.sections["step4-5"].data.get("systems", [])]
    for s in systems:
        s["chart"] = to_svg(s["chart_obj"])
    sending = [r for r in s1.data.get("catalogue", []) if r["role"] == "sending"]
    facts = {(f["side"], f["key"]): f for f in pf.facts}
    no_fact = {"placeholder": "not stated in the corridor file", "value": None, "href": None}
    s7 = pf.sections["step7b"].data
    return {
        "c": pf.corridor, "sections": pf.sections, "completeness": pf.completeness, "counts": _counts(pf.completeness),
        "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "version": version,
        "sources": sorted(pf.sources.values(), key=lambda s: s.name), "facts": pf.facts,
        "files": [(label, str(Path(p).relative_to(out))) for label, p in pf.files.items()],
        "comparisons": comparisons, "systems": systems, "profile": pf.sections["step6"].data.get("profile"),
        "level": sending[0]["level"] if sending else None,
        "hours": sending[0]["nominal_hours"] if sending else None,
        "certificate": facts.get(("sending", "certificate"), no_fact),
        "agency": facts.get(("sending", "responsible_agency"), no_fact),
        "printed": s7.get("printed"), "hops": s7.get("hops", []), "frameworks": s7.get("frameworks", {}),
    }


def render_html(ctx: dict, out: Path) -> list[Path]:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("portfolio.html.j2")
    written = []
    for page in PAGES:
        section = ctx["sections"].get(page)
        title = section.title if section else "MRS portfolio of evidence"
        path = out / f"{page}.html"
        write_bytes_atomic(path, template.render(page=page, section=section, title=title, **ctx).encode("utf-8"))
        written.append(path)
    return written


def manifest(pf, ctx: dict, out: Path, raw_dir: Path | None) -> dict:
    sources = []
    for s in sorted(pf.sources.values(), key=lambda s: s.name):
        sources.append({"name": s.name, "status": s.status, "reason": s.reason, "file_name": s.file_name,
                        "path": s.path, "sha256": s.document_id, "family": s.family, "pages": s.pages,
                        "copied_to": f"sources/{s.file_name}" if s.ok and (out / "sources" / str(s.file_name)).is_file()
                        else None})
    return {
        "corridor": pf.corridor.name, "title": pf.corridor.title, "corridor_file": pf.corridor.path,
        "built_at": ctx["built_at"], "processed_version": ctx["version"],
        "sending": pf.corridor.sending.country, "receiving": pf.corridor.receiving.country,
        "sections": {k: {"title": s.title, "status": s.status, "reasons": s.reasons} for k, s in pf.sections.items()},
        "completeness": pf.completeness, "facts": pf.facts, "sources": sources,
        "files": {label: str(Path(p).relative_to(out)) for label, p in pf.files.items()},
        "claims": [asdict(c) for c in pf.claims],
    }


def copy_sources(pf, out: Path, raw_dir: Path | None) -> None:
    if raw_dir is None:
        return
    for s in pf.sources.values():
        src = raw_dir / str(s.path)
        if s.ok and src.is_file():
            (out / "sources").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, out / "sources" / s.file_name)


def write_portfolio(corridor, tables: dict[str, pd.DataFrame], out_root: Path, raw_dir: Path | None = None,
                    version: str = "") -> tuple[Path, object]:
    """Build and write the corridor's folder under out_root; returns (folder, Portfolio)."""
    from mrs_etl.portfolio.build import build_portfolio
    from mrs_etl.portfolio.pdf import render_pdf

    out_root = Path(out_root)
    final = out_root / corridor.name
    staging = out_root / f".{corridor.name}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        pf = build_portfolio(corridor, tables, staging, raw_dir)
        copy_sources(pf, staging, raw_dir)
        ctx = context(pf, staging, version)
        render_html(ctx, staging)
        render_pdf(pf, ctx, staging / "portfolio.pdf")
        write_bytes_atomic(staging / "completeness.csv",
                           pd.DataFrame(pf.completeness).to_csv(index=False).encode("utf-8"))
        write_bytes_atomic(staging / "manifest.json", json.dumps(manifest(pf, ctx, staging, raw_dir), indent=1,
                                                                 ensure_ascii=False, default=str).encode("utf-8"))
        old = out_root / f".{corridor.name}.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pf.files = {k: final / Path(v).relative_to(staging) for k, v in pf.files.items()}
    return final, pf
