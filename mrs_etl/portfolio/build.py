"""Assemble a corridor's portfolio (Roadmap step 7a) from the processed tables.

Each step is one section built from its own sources; a section whose sources are missing or
quarantined is marked missing with the reason and the others are still built. Steps 2-5 call
only the public entry points of mrs_etl.compare and mrs_etl.qa. Every figure and quotation is
recorded as a claim (section, text, table, row, file, page) for the manifest.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from mrs_etl.portfolio.catalogue import catalogue_frame
from mrs_etl.portfolio.corridor import CORRIDOR_FACTS, SIDE_FACTS, Corridor, Fact
from mrs_etl.portfolio.profile import WorkerProfile, build_profile
from mrs_etl.portfolio.referencing import AQRF, Framework, Hop, load_framework, reference
from mrs_etl.portfolio.sources import SourceDoc, resolve, resolve_all, rows_of, standard_json

SECTIONS = {
    "step1": "Step 1 - The qualification proposed",
    "step2-3": "Steps 2-3 - Benchmarked standards and qualification (comparability matrix)",
    "step4-5": "Steps 4-5 - Assessment, certification and quality assurance",
    "step6": "Step 6 - Migrant skilled worker profile",
    "step7b": "Step 7b - Level-to-level referencing",
}


@dataclass
class Claim:
    section: str
    kind: str  # figure | quotation | fact
    text: str
    table: str | None
    row_id: str | None
    file_name: str | None
    page: int | None
    document_id: str | None = None


@dataclass
class Section:
    key: str
    title: str
    status: str = "built"  # built | missing
    reasons: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class Portfolio:
    corridor: Corridor
    sources: dict[str, SourceDoc]  # by the name the corridor uses
    sections: dict[str, Section]
    claims: list[Claim]
    files: dict[str, Path] = field(default_factory=dict)  # workbooks and reports written, by label
    completeness: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    tables: dict = field(default_factory=dict, repr=False)
    seconds: dict[str, float] = field(default_factory=dict)  # time each step took to build

    def cite(self, section: str, kind: str, text: str, table: str | None, row_id: str | None,
             doc: SourceDoc | None, page) -> int:
        self.claims.append(Claim(section, kind, str(text), table, row_id, doc.file_name if doc else None,
                                 None if page is None or pd.isna(page) else int(page), doc.document_id if doc else None))
        return len(self.claims)


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", str(text).lower()).strip()


def page_text(pdf: Path, page: int) -> str:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return document[page - 1].get_textpage().get_text_range() if 1 <= page <= len(document) else ""
    finally:
        document.close()


def _fact_row(pf: Portfolio, fact: Fact, side: str, raw_dir: Path | None) -> dict:
    row = {"side": side, "key": fact.key, "question": fact.question, "value": fact.value,
           "placeholder": fact.placeholder, "source": fact.source.label() if fact.source else None,
           "href": None, "check": "placeholder" if fact.is_placeholder else "cited"}
    if fact.source and fact.source.document:
        doc = pf.sources.get(fact.source.document) or resolve(fact.source.document, {})
        row["href"] = (doc.file_name, fact.source.page) if doc.ok else None
        if not doc.ok:
            row["check"] = f"source {doc.status}"
        elif fact.source.quote and raw_dir and (raw_dir / doc.path).is_file():
            found = _norm(fact.source.quote) in _norm(page_text(raw_dir / doc.path, fact.source.page))
            row["check"] = "quote verified on the page" if found else "QUOTE NOT FOUND on the page"
        pf.cite("step1", "fact", fact.source.quote or fact.value, None, None, doc, fact.source.page)
    return row


def _step1(pf: Portfolio, tables, catalogue: pd.DataFrame, raw_dir: Path | None) -> None:
    section = pf.sections["step1"]
    rows = []
    for side in pf.corridor.sides:
        for name in (*side.qualification, *side.supporting):
            doc = pf.sources[name]
            if not doc.ok:
                section.reasons.append(f"{side.role} document {name} is {doc.status}: {doc.reason}")
                continue
            hit = catalogue[catalogue["document_id"] == doc.document_id]
            if hit.empty:
                section.reasons.append(f"{side.role} document {name} holds no qualification or units")
                continue
            r = hit.iloc[0].to_dict()
            r = {k: (None if not isinstance(v, str) and pd.isna(v) else v) for k, v in r.items()}
            r["role"] = side.role + (" (supporting)" if name in side.supporting else "")
            r["claim"] = pf.cite("step1", "figure", f"{r['n_units']} units", "qualification_catalogue",
                                 doc.document_id, doc, r["page"])
            rows.append(r)
    if not any(r["role"] == "sending" for r in rows):
        section.status = "missing"
    section.data["catalogue"] = rows
    section.data["all_catalogue"] = catalogue.astype(object).where(catalogue.notna(), None).to_dict("records")
    for side in pf.corridor.sides:
        for key in SIDE_FACTS:
            if key in side.facts:
                pf.facts.append(_fact_row(pf, side.facts[key], side.role, raw_dir))
        for extra in (side.level, side.certificate):
            if extra is not None:
                pf.facts.append(_fact_row(pf, extra, side.role, raw_dir))
    for key in CORRIDOR_FACTS:
        if key in pf.corridor.facts:
            pf.facts.append(_fact_row(pf, pf.corridor.facts[key], "corridor", raw_dir))


def _step23(pf: Portfolio, tables, out: Path) -> None:
    from mrs_etl.compare import compare_standards, load_config, standard_from_json, write_outputs

    section = pf.sections["step2-3"]
    sending = [pf.sources[n] for n in pf.corridor.sending.qualification]
    receiving = [pf.sources[n] for n in pf.corridor.receiving.qualification]
    for doc in sending + receiving:
        if not doc.ok:
            section.reasons.append(f"{doc.name} is {doc.status}: {doc.reason}")
    titles = dict(zip(tables["qualifications"]["document_id"], tables["qualifications"]["title"])) \
        if "qualifications" in tables else {}
    config = load_config(pf.corridor.compare_config) if pf.corridor.compare_config else load_config()
    comparisons = []
    for a in (d for d in sending if d.ok):
        for b in (d for d in receiving if d.ok):
            sa, sb = (standard_json(tables, d, titles.get(d.document_id)) for d in (a, b))
            if not sa["units"] or not sb["units"]:
                section.reasons.append(f"{a.name} or {b.name} has no units to compare")
                continue
            result = compare_standards(standard_from_json(sa, a.path, a.document_id),
                                       standard_from_json(sb, b.path, b.document_id), config)
            label = f"{Path(a.file_name).stem}__vs__{Path(b.file_name).stem}"
            written = write_outputs(result, out / "step2-3" / label, formats=("xlsx", "html", "csv"))
            pf.files[f"comparability {label} (xlsx)"] = written["xlsx"]
            pf.files[f"comparability {label} (html)"] = written["html"]
            cells = result.tables()["comparability_units"]
            units_a = rows_of(tables, "units", [a.document_id]).set_index("order")
            aligned = cells[cells["aligned"]]
            for c in aligned.itertuples():
                unit = units_a.loc[c.a_order] if c.a_order in units_a.index else None
                pf.cite("step2-3", "figure", f"{c.a_code} ~ {c.b_code}: {c.score:.2f} ({c.band})", "comparability_units",
                        f"{c.comparison_id}/{c.a_order}/{c.b_order}", a, unit["page"] if unit is not None else None)
            comparisons.append({"a": a, "b": b, "label": label, "cells": cells, "run": result.tables()["comparability_runs"],
                                "gaps": result.tables()["comparability_gaps"]})
    section.data["comparisons"] = comparisons
    if not comparisons:
        section.status = "missing"


def _step45(pf: Portfolio, tables, out: Path) -> None:
    from mrs_etl.qa import check_compliance, load_rulebook
    from mrs_etl.qa.report import write_report

    section = pf.sections["step4-5"]
    rulebook = load_rulebook()
    systems = []
    for side in pf.corridor.sides:
        docs = [pf.sources[n] for n in side.qa_documents]
        for d in docs:
            if not d.ok:
                section.reasons.append(f"{side.role} QA document {d.name} is {d.status}: {d.reason}")
        ok = [d for d in docs if d.ok]
        if not ok:
            section.reasons.append(f"{side.role} side ({side.qa_system}): no QA document available")
            continue
        policies = rows_of(tables, "qa_policies", [d.document_id for d in ok])
        result = check_compliance(policies, side.qa_system, tables["documents"], rulebook)
        about = {"system": side.qa_system, "rulebook_version": rulebook.version, "rulebook_title": rulebook.title,
                 "rulebook_path": rulebook.path, "checked_at": str(result["compliance_verdicts"]["checked_at"].iloc[0]),
                 "documents": "; ".join(d.file_name for d in ok), "not_read": "-",
                 "note": "Built by mrs-etl portfolio from the processed tables."}
        written = write_report({**result, "qa_policies": policies}, out / "step4-5" / side.qa_system, about,
                               [d.file_name for d in ok])
        for path in written:
            if path.suffix in (".xlsx", ".html"):
                pf.files[f"compliance {side.qa_system} ({path.suffix[1:]})"] = path
        by_id = {d.document_id: d for d in ok}
        for c in result["compliance_citations"].itertuples():
            if c.rank == 1:
                pf.cite("step4-5", "quotation", c.sentence, "compliance_citations", f"{c.system}/{c.rule_id}/{c.rank}",
                        by_id.get(c.document_id), c.page)
        systems.append({"side": side, "verdicts": result["compliance_verdicts"], "citations": result["compliance_citations"],
                        "documents": ok})
    section.data["systems"] = systems
    if not any(s["side"].role == "sending" for s in systems):
        section.status = "missing"


def _step6(pf: Portfolio, tables) -> None:
    section = pf.sections["step6"]
    docs = [pf.sources[n] for n in pf.corridor.sending.qualification]
    for d in docs:
        if not d.ok:
            section.reasons.append(f"{d.name} is {d.status}: {d.reason}")
    ok = [d for d in docs if d.ok]
    if not ok:
        section.status = "missing"
        return
    title = next((r["title"] for r in pf.sections["step1"].data.get("catalogue", []) if r["role"] == "sending"), None)
    profile: WorkerProfile = build_profile(tables, ok, title)
    by_name = {d.file_name: d for d in ok}
    for unit in profile.units:
        for line in (unit.source, *unit.tasks, *unit.equipment):
            pf.cite("step6", "quotation", line.text, line.table, line.row_id, by_name[line.file_name], line.page)
    section.data["profile"] = profile
    if not profile.units:
        section.status = "missing"
        section.reasons.append("no unit of the qualification could be rendered")


def _step7b(pf: Portfolio) -> None:
    section = pf.sections["step7b"]
    s, r = pf.corridor.sending, pf.corridor.receiving
    frameworks: dict[str, Framework | None] = {fid: load_framework(fid) for fid in (s.framework, AQRF, r.framework)}
    printed = s.level.value if s.level is not None and not s.level.is_placeholder else None
    if printed is None:
        printed = next((row["level"] for row in pf.sections["step1"].data.get("catalogue", [])
                        if row["role"] == "sending" and row["level"]), None)
    hops: list[Hop] = reference(printed, frameworks[s.framework], frameworks[r.framework], s.framework, r.framework)
    if printed is None and s.level is not None and s.level.is_placeholder:
        hops[0] = Hop("(no level)", f"{s.framework} ?", "unresolved", s.level.placeholder)
    section.data.update(printed=printed, hops=hops, frameworks=frameworks)
    for fid, fw in frameworks.items():
        if fw is None:
            section.reasons.append(f"no framework file for {fid}")


def build_portfolio(corridor: Corridor, tables: dict[str, pd.DataFrame], out: Path,
                    raw_dir: Path | None = None) -> Portfolio:
    """Every section of the corridor's portfolio; workbooks of steps 2-5 are written to `out`."""
    from mrs_etl.portfolio.completeness import completeness

    names = {n for side in corridor.sides for n in (*side.qualification, *side.supporting, *side.qa_documents)}
    names |= {f.source.document for f in _all_facts(corridor) if f.source and f.source.document}
    sources = {n: doc for n, doc in zip(sorted(names), resolve_all(sorted(names), tables))}
    pf = Portfolio(corridor, sources, {k: Section(k, t) for k, t in SECTIONS.items()}, [], tables=tables)
    catalogue = tables.get("qualification_catalogue")
    if catalogue is None:  # tables published before the catalogue existed
        catalogue = catalogue_frame(tables)
    for key, step in (("step1", lambda: _step1(pf, tables, catalogue, raw_dir)), ("step2-3", lambda: _step23(pf, tables, out)),
                      ("step4-5", lambda: _step45(pf, tables, out)), ("step6", lambda: _step6(pf, tables)),
                      ("step7b", lambda: _step7b(pf))):
        started = time.perf_counter()
        step()
        pf.seconds[key] = round(time.perf_counter() - started, 2)
    pf.completeness = completeness(pf)
    return pf


def _all_facts(corridor: Corridor) -> list[Fact]:
    facts = list(corridor.facts.values())
    for side in corridor.sides:
        facts += list(side.facts.values()) + [f for f in (side.level, side.certificate) if f is not None]
    return facts
