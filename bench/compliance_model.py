"""Would a small sentence classifier beat the rule path? Leave-one-system-out experiment.

Every candidate (rule, sentence) pair of the corpus QA documents (a prose sentence, in a policy
section, holding one of the rule's terms) gets explainable features from the rule path (parts
held, required/near satisfied, look-alike phrase, limits: definition, form item, partial phrase,
document subject; distinct terms, sub-questions, length, a modal verb) and a label from the
blind-judged set (tests/data/qa_judgments.toml): "full" or "part" when it is a cite of that rule,
"no" otherwise (its labeller listed every answering passage, look-alikes included, for this use).
A multinomial logistic regression (scikit-learn, fixed solver, no randomness) is trained on two
systems and decides the third: the answers are its predicted full/part sentences, ranked by
P(full) + P(part)/2, the verdict "evidenced" when one is full, "partly" when one is part. Its
verdicts and first-three citations are scored like the rule path's on both judged sets, for the
held-out system only. Nothing here is used by the check unless it wins.

    PYTHONPATH=$PWD .venv/bin/python bench/compliance_model.py --cache /tmp/qa-cache
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.compliance import DATA, _extract, load_judged, same_passage  # noqa: E402

FEATURES = ("decided", "full", "n_parts", "n_parts_own", "required_ok", "excluded", "definition", "form",
            "partial", "subject", "n_terms", "n_aspects", "words", "modal", "first_part")
MODAL = re.compile(r"\b(shall|must|will|may|should|harus|wajib|akan|dapat)\b", re.I)


def candidates(clauses: list[dict], rulebook, names: dict) -> list[dict]:
    """Every (rule, sentence) pair the terms gather, with its features."""
    from mrs_etl.qa.matching import (ONLY_DEFINITION, ONLY_FORM_ITEM, OTHER_PROCEDURE, _own_parts,
                                     document_subjects, evidence_matcher)
    from mrs_etl.qa.prose import non_prose

    matcher = evidence_matcher(rulebook)
    about = {doc: matcher.context(subject, lang).excluded if subject else set()
             for doc, (subject, lang) in document_subjects(clauses).items()}
    out, seen = [], set()
    for clause in clauses:
        heading = clause.get("heading_path") or ""
        if not rulebook.is_policy_section(heading):
            continue
        language = clause.get("language") or "en"
        ctx = matcher.context(heading, language)
        for rule_id in about.get(clause.get("document_id"), ()):
            ctx.partial[rule_id].add(OTHER_PROCEDURE)
        for sent in matcher.sentences(clause["text"], language):
            if non_prose(sent.text, language):
                continue
            for rule_id, terms in sent.terms.items():
                rule = rulebook.rule(rule_id)
                key = (rule_id, re.sub(r"\W+", " ", sent.text.lower()).strip())
                if rule.derived_from or key in seen:
                    continue
                seen.add(key)
                decision = matcher.decide(rule, sent, ctx, language)
                own = _own_parts(rule, sent) if rule.parts else {"terms"}
                context = {p.name for p in rule.parts if p.in_heading and p.name in ctx.parts.get(rule_id, ())}
                limits = decision.limits if decision else []
                f = {"decided": decision is not None, "full": bool(decision and decision.answers == "full"),
                     "n_parts": len(own | context) / max(1, len(rule.parts)), "n_parts_own": len(own),
                     "required_ok": all(p.name in own | context for p in rule.parts if p.required),
                     "excluded": rule_id in sent.excluded or rule_id in ctx.excluded,
                     "definition": ONLY_DEFINITION in limits, "form": ONLY_FORM_ITEM in limits,
                     "partial": bool(sent.partial.get(rule_id) or ctx.partial.get(rule_id, set()) - {OTHER_PROCEDURE}),
                     "subject": OTHER_PROCEDURE in limits or rule_id in about.get(clause.get("document_id"), ()),
                     "n_terms": len(terms), "n_aspects": len(sent.aspects.get(rule_id, ())),
                     "words": min(60, len(sent.text.split())) / 60, "modal": bool(MODAL.search(sent.text)),
                     "first_part": bool(rule.parts) and rule.parts[0].name in own}
                out.append({"rule": rule_id, "sentence": sent.text, "file": names[clause["document_id"]],
                            "page": int(clause.get("page") or 0), "x": [float(f[k]) for k in FEATURES]})
    return out


def label(c: dict, judgments: dict) -> str:
    j = judgments.get(c["rule"])
    for k in (j or {}).get("cite", []):
        if k["file"] == c["file"] and int(k["page"]) == c["page"] and same_passage(c["sentence"], k["quote"]):
            return k["answers"]
    return "no"


def decide(model, pairs: list[dict], rule_ids: list[str]) -> dict:
    """Per rule: (verdict, the first three cited pairs)."""
    import numpy as np
    from rapidfuzz import fuzz

    by_rule = defaultdict(list)
    if pairs:
        proba = model.predict_proba(np.array([p["x"] for p in pairs]))
        classes = list(model.classes_)
        for p, pr in zip(pairs, proba):
            p_full, p_part = pr[classes.index("full")], pr[classes.index("part")]
            guess = classes[int(pr.argmax())]
            if guess != "no":
                by_rule[p["rule"]].append((p_full + p_part / 2, guess, p))
    out = {}
    for rule in rule_ids:
        ranked = sorted(by_rule[rule], key=lambda t: -t[0])
        cited = []
        for _, guess, p in ranked:
            if len(cited) < 3 and not any(fuzz.ratio(p["sentence"], c[1]["sentence"]) >= 85 for c in cited):
                cited.append((guess, p))
        verdict = ("evidenced" if any(g == "full" for g, _ in cited) else
                   "partly evidenced" if cited else "no evidence found")
        out[rule] = (verdict, [p for _, p in cited])
    return out


def score(decided: dict, judgments: dict) -> tuple[int, int, int, int, int]:
    rules = agree = cited = good = look = 0
    for rule, j in judgments.items():
        verdict, cites = decided.get(rule, ("no evidence found", []))
        rules += 1
        agree += verdict == j["verdict"]
        for p in cites:
            cited += 1
            good += any(k["file"] == p["file"] and int(k["page"]) == p["page"] and same_passage(p["sentence"], k["quote"])
                        for k in j.get("cite", []))
            look += any(k["file"] == p["file"] and int(k["page"]) == p["page"] and same_passage(p["sentence"], k["quote"])
                        for k in j.get("lookalike", []))
    return rules, agree, cited, good, look


def main() -> int:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from mrs_etl.qa import check_compliance, load_rulebook, policies_frames
    from bench.compliance import score as rule_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    if not (args.corpus / "pdf").is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 2
    rulebook = load_rulebook()
    systems, blind = load_judged(DATA / "qa_judgments.toml")
    _, second = load_judged(DATA / "qa_checked_citations.toml")
    sets = {"blind": blind, "second": second}
    pairs, checks = {}, {}
    for system, files in systems.items():
        qa, docs = policies_frames([_extract(args.corpus / "pdf" / f, args.cache) for f in files])
        names = dict(zip(docs["document_id"], docs["file_name"]))
        clauses = qa.astype(object).where(qa.notna(), None).to_dict("records")
        pairs[system] = candidates(clauses, rulebook, names)
        checks[system] = check_compliance(qa, system, docs, rulebook)
    truth = {s: {j["rule"]: j for j in blind if j["system"] == s} for s in systems}
    for system in systems:
        for p in pairs[system]:
            p["y"] = label(p, truth[system])
    rule_ids = [r.id for r in rulebook.rules]
    print(f"{'held out':<10} {'set':<7} {'path':<6} {'verdicts':>10} {'cite@3':>12} {'look-alike':>10}")
    totals = defaultdict(lambda: [0, 0, 0, 0, 0])
    for held in systems:
        train = [p for s in systems if s != held for p in pairs[s]]
        model = LogisticRegression(max_iter=2000, class_weight="balanced", C=1.0)
        model.fit(np.array([p["x"] for p in train]), [p["y"] for p in train])
        decided = decide(model, pairs[held], rule_ids)
        for name, judged in sets.items():
            j = {x["rule"]: x for x in judged if x["system"] == held}
            m = score(decided, j)
            r = rule_score({held: checks[held]}, [x for x in judged if x["system"] == held])["total"]
            rp = (r["rules"], r["agree"], r["cited"], r["good"], r["lookalike"])
            for path, f in (("model", m), ("rules", rp)):
                totals[(name, path)] = [a + b for a, b in zip(totals[(name, path)], f)]
                print(f"{held:<10} {name:<7} {path:<6} {f[1]:>4}/{f[0]:<3}   {f[3]:>4}/{f[2]:<4} {f[4]:>10}")
    print(f"labelled pairs: {sum(len(v) for v in pairs.values())}, of which "
          f"{sum(p['y'] != 'no' for v in pairs.values() for p in v)} answer (full or part)")
    for (name, path), f in sorted(totals.items()):
        print(f"total {name:<7} {path:<6} verdicts {f[1]}/{f[0]} = {f[1] / f[0]:.2f}  "
              f"cite@3 {f[3]}/{f[2]} = {f[3] / max(1, f[2]):.2f}  look-alikes {f[4]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
