"""The completeness table: for each Roadmap question, answered / partly / missing and why.

Steps 4-5 take the compliance check's verdict for the sending country's QA system (evidenced ->
answered, partly evidenced -> partly, no evidence found -> missing): the sending country submits
evidence about its own system. A placeholder fact is always missing: nobody has sourced it.
"""
from __future__ import annotations

ANSWERED, PARTLY, MISSING = "answered", "partly", "missing"
VERDICT_STATUS = {"evidenced": ANSWERED, "partly evidenced": PARTLY, "no evidence found": MISSING}


def _row(step: str, question: str, status: str, why: str, section: str) -> dict:
    return {"step": step, "question": question, "status": status, "why": why, "section": section}


def _fact_status(fact: dict) -> tuple[str, str]:
    if fact["placeholder"]:
        return MISSING, f"placeholder: {fact['placeholder']}"
    if fact["check"].startswith("QUOTE NOT FOUND") or fact["check"].startswith("source "):
        return PARTLY, f"{fact['value']} ({fact['source']}: {fact['check']})"
    return ANSWERED, f"{fact['value']} ({fact['source']})"


def completeness(pf) -> list[dict]:
    rows = []
    s1 = pf.sections["step1"]
    sending = [r for r in s1.data.get("catalogue", []) if r["role"] == "sending"]
    if not sending:
        rows.append(_row("1", "Which qualification is proposed?", MISSING, "; ".join(s1.reasons) or "no document", "step1"))
    else:
        unresolved = sorted({u for r in sending for u in (r["unresolved"] or "").split(";") if u})
        titles = "; ".join(f"{r['title']} ({r['file_name']}, {r['n_units']} units)" for r in sending)
        rows.append(_row("1", "Which qualification is proposed?", PARTLY if unresolved else ANSWERED,
                         titles + (f"; not in the tables: {', '.join(unresolved)}" if unresolved else ""), "step1"))
    for fact in pf.facts:
        if fact["key"] in ("level", "certificate"):
            continue
        status, why = _fact_status(fact)
        rows.append(_row("1", f"{fact['question']} ({fact['side']})", status, why, "step1"))

    s23 = pf.sections["step2-3"]
    comparisons = s23.data.get("comparisons", [])
    if not comparisons:
        rows.append(_row("2", "Are the competency standards benchmarked unit by unit?", MISSING,
                         "; ".join(s23.reasons) or "no comparison", "step2-3"))
    else:
        cross = any(bool(c["run"]["cross_language"].iloc[0]) for c in comparisons)
        pairs = sum(int(c["run"]["n_pairs"].iloc[0]) for c in comparisons)
        why = f"{len(comparisons)} comparison(s), {pairs} aligned unit pairs"
        if s23.reasons:
            why += "; " + "; ".join(s23.reasons)
        if cross:
            why += "; different languages: every pair is low confidence, read the criterion evidence"
        rows.append(_row("2", "Are the competency standards benchmarked unit by unit?",
                         PARTLY if cross or s23.reasons else ANSWERED, why, "step2-3"))
        sides = [r for r in s1.data.get("catalogue", []) if not r["role"].endswith("(supporting)")]
        unresolved = sorted({f"{r['file_name']}: {u}" for r in sides for u in (r["unresolved"] or "").split(";")
                             if u in ("level", "nominal_hours")})
        rows.append(_row("3", "Is the qualification comparable (units, level, hours)?", PARTLY if unresolved else ANSWERED,
                         "units compared in steps 2-3" + (f"; not in the tables: {', '.join(unresolved)}" if unresolved
                                                          else ""), "step2-3"))
    s45 = pf.sections["step4-5"]
    systems = {s["side"].role: s for s in s45.data.get("systems", [])}
    if "sending" not in systems:
        rows.append(_row("4-5", "Assessment, certification and QA of the sending country", MISSING,
                         "; ".join(s45.reasons) or "no QA document", "step4-5"))
    else:
        s = systems["sending"]
        for v in s["verdicts"].itertuples():
            why = f"{s['side'].qa_system}: {v.verdict}, {v.n_citations} cited sentence(s)"
            if "receiving" in systems:
                other = systems["receiving"]["verdicts"]
                match = other[other["rule_id"] == v.rule_id]
                if len(match):
                    why += f"; {systems['receiving']['side'].qa_system}: {match.iloc[0]['verdict']}"
            rows.append(_row(v.step, f"{v.question} [{v.rule_id}]", VERDICT_STATUS.get(v.verdict, MISSING), why, "step4-5"))
    s6 = pf.sections["step6"]
    profile = s6.data.get("profile")
    if profile is None or not profile.units:
        rows.append(_row("6", "Does the profile incorporate every unit of the qualification?", MISSING,
                         "; ".join(s6.reasons) or "no profile", "step6"))
    else:
        status = ANSWERED if profile.incorporates_every_unit else PARTLY
        why = f"{len(profile.units)} units rendered"
        if profile.not_rendered:
            why += "; not rendered: " + "; ".join(f"{u} ({r})" for u, r in profile.not_rendered)
        rows.append(_row("6", "Does the profile incorporate every unit of the qualification?", status, why, "step6"))
    hops = pf.sections["step7b"].data.get("hops", [])
    statuses = {h.status for h in hops}
    status = ANSWERED if statuses == {"cited"} else MISSING if "unresolved" in statuses or not hops else PARTLY
    rows.append(_row("7b", "Is the qualification's level referenced to the AQRF and the receiving framework?", status,
                     "; ".join(f"{h.frm} -> {h.to}: {h.status} ({h.basis})" for h in hops), "step7b"))
    missing_sections = [sec.title for sec in pf.sections.values() if sec.status == "missing"]
    unanswered = sum(r["status"] != ANSWERED for r in rows)
    rows.append(_row("7a", "Is the portfolio of evidence complete?",
                     MISSING if len(missing_sections) == len(pf.sections) else PARTLY if unanswered else ANSWERED,
                     (f"sections missing: {'; '.join(missing_sections)}; " if missing_sections else "")
                     + f"{unanswered} of {len(rows)} questions not fully answered", "index"))
    return rows
