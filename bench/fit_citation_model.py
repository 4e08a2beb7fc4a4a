"""Fit the citation model (mrs_etl/qa/citation_model.json) on the labellers' judgments, and measure it
leave-one-document-out.

    PYTHONPATH=$PWD .venv/bin/python bench/fit_citation_model.py --cache /tmp/qa-cache [--write]

Every sentence the rulebook accepts as an answer to a rule is a training row; its label is the share
of the labellers (the judged sets covering its system) who cite it for that rule. A logistic
regression on the named features of mrs_etl.qa.citation_model is fitted with each row twice (cited,
weight = share; not cited, weight = 1 - share).

Cross-validation: for each document, the model is fitted on the rows of the other documents and
orders that document's answers; the check then runs as usual and its first three citations are
scored against every judged set (bench/compliance.py's measure). Printed beside it: the rulebook's
score alone, and the model fitted on everything (in-sample, for reference only). `--judged` picks
the sets to fit on; a set kept out of fitting can be scored with `--score`.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from compliance import DATA, _extract, load_judged, same_passage, score  # noqa: E402

DEFAULT_SETS = ["qa_judgments.toml", "qa_checked_citations.toml", "qa_third_judgments.toml",
                "qa_fourth_judgments.toml", "qa_fifth_judgments.toml"]


def _cited(judgments: list[dict], file_name: str, pages: set, sentence: str) -> bool:
    return any(k["file"] == file_name and int(k["page"]) in pages and same_passage(sentence, k["quote"])
               for j in judgments for k in j.get("cite", []))


def collect(systems, sets, corpus: Path, cache: Path | None):
    """Rows (features, label, document id) of every answering sentence, and each system's inputs."""
    from mrs_etl.qa import policies_frames
    from mrs_etl.qa.citation_model import features, heading_on_topic
    from mrs_etl.qa.matching import candidates, evidence_matcher
    from mrs_etl.qa.rulebook import load_rulebook

    rulebook = load_rulebook()
    matcher = evidence_matcher(rulebook)
    by_key = defaultdict(list)  # (system, rule) -> [judgment of each set]
    for _, judgments in sets:
        for j in judgments:
            by_key[(j["system"], j["rule"])].append(j)
    rows, inputs = [], {}
    for system, files in systems.items():
        extractions = [_extract(corpus / "pdf" / f, cache) for f in files]
        qa, docs = policies_frames(extractions)
        inputs[system] = (qa, docs)
        names = dict(zip(docs["document_id"], docs["file_name"]))
        clauses = qa.astype(object).where(qa.notna(), None).to_dict("records")
        hits = candidates(clauses, rulebook, matcher)
        for rule in rulebook.rules:
            judged = by_key.get((system, rule.id), [])
            if not judged or not hits.get(rule.id):
                continue
            best = max(h.score for h in hits[rule.id])
            for hit in hits[rule.id]:
                pages = {hit.clause.get("page"), (hit.box or [None])[0]}
                file_name = names.get(hit.clause.get("document_id"))
                share = sum(_cited([j], file_name, pages, hit.sentence) for j in judged) / len(judged)
                rows.append((features(rule, hit, best, heading_on_topic(rule, hit, matcher)), share,
                             hit.clause.get("document_id"), system, rule.id))
    return rows, inputs


def fit(rows, names: list[str], c: float):
    """Pairwise: within one rule and one kind of answer (full, part), the sentence more labellers cite
    should rank above the other; a logistic regression on feature differences (no intercept), each
    pair weighted by the difference of the two shares."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from mrs_etl.qa.citation_model import CitationModel

    x = np.array([[r[0][f] for f in names] for r in rows], dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    groups = defaultdict(list)
    for i, r in enumerate(rows):
        groups[(r[3], r[4], r[0]["full"])].append(i)
    diffs, weights = [], []
    for members in groups.values():
        for i in members:
            for j in members:
                if rows[i][1] > rows[j][1]:
                    diffs.append(z[i] - z[j])
                    weights.append(rows[i][1] - rows[j][1])
    d = np.array(diffs)
    xx = np.vstack([d, -d])
    yy = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    ww = np.concatenate([weights, weights])
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=1000).fit(xx, yy, sample_weight=ww)
    return CitationModel(tuple(names), tuple(mean.round(6)), tuple(scale.round(6)),
                         tuple(model.coef_[0].round(4)), 0.0)


def evaluate(inputs, ranker, sets) -> dict[str, tuple[int, int, int, int]]:
    """Per judged set: (verdicts agreeing, rules, good first-3 citations, citations)."""
    from mrs_etl.qa import check_compliance

    checks = {system: check_compliance(qa, system, docs, ranker=ranker) for system, (qa, docs) in inputs.items()}
    out = {}
    for path, judgments in sets:
        total = score(checks, judgments)["total"]
        out[path.stem] = (total["agree"], total["rules"], total["good"], total["cited"])
    return out


def _line(label: str, results: dict) -> str:
    good = sum(r[2] for r in results.values())
    cited = sum(r[3] for r in results.values())
    per = "  ".join(f"{k.replace('qa_', '').replace('_judgments', '')} {r[2]}/{r[3]}" for k, r in results.items())
    return f"{label:<34} citations {good}/{cited} = {good / max(cited, 1):.2f}   ({per})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--judged", nargs="+", type=Path, help="sets to fit on (default: the five labellers' sets)")
    ap.add_argument("--score", nargs="*", type=Path, default=[], help="further sets, scored only (never fitted on)")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--features", nargs="+", help="the features to use (default: all of FEATURES)")
    ap.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength")
    ap.add_argument("--write", action="store_true", help="write the model fitted on every row to citation_model.json")
    args = ap.parse_args()

    from mrs_etl.qa.citation_model import FEATURES, MODEL_PATH, Ranker

    if not (args.corpus / "pdf").is_dir():
        print(f"skipped: no corpus at {args.corpus}")
        return 0
    paths = args.judged or [DATA / n for n in DEFAULT_SETS]
    sets = [(p, load_judged(p)[1]) for p in paths]
    scored = [(p, load_judged(p)[1]) for p in args.score]
    systems = {s: f for s, f in load_judged(paths[0])[0].items()}
    names = args.features or list(FEATURES)
    rows, inputs = collect(systems, sets, args.corpus, args.cache)
    print(f"{len(rows)} answering sentences, {sum(r[1] > 0 for r in rows)} cited by a labeller, "
          f"{len({r[2] for r in rows})} documents; features: {', '.join(names)}")

    baseline = evaluate(inputs, Ranker(), sets + scored)
    folds = {}
    for doc in sorted({r[2] for r in rows}):
        train = [r for r in rows if r[2] != doc]
        folds[doc] = fit(train, names, args.C)
    cross = evaluate(inputs, Ranker(models_by_document=folds), sets + scored)
    full = fit(rows, names, args.C)
    in_sample = evaluate(inputs, Ranker(full), sets + scored)
    print(_line("rulebook score only", baseline))
    print(_line("model, leave-one-document-out", cross))
    print(_line("model fitted on all (in-sample)", in_sample))
    verdicts = [(k, cross[k][0], cross[k][1], baseline[k][0]) for k in cross]
    print("verdicts (cross-validated / score only): " + "  ".join(f"{k} {a}/{n} ({b})" for k, a, n, b in verdicts))
    for f, c in sorted(zip(full.features, full.coef), key=lambda t: -abs(t[1])):
        print(f"  {c:+.3f}  {f}: {FEATURES[f]}")
    if args.write:
        good = sum(r[2] for k, r in cross.items() if any(k == p.stem for p, _ in sets))
        cited = sum(r[3] for k, r in cross.items() if any(k == p.stem for p, _ in sets))
        data = {"features": list(full.features), "mean": list(full.mean), "scale": list(full.scale),
                "coef": list(full.coef), "intercept": full.intercept,
                "fitted_on": [p.name for p in paths], "rows": len(rows), "fitted": date.today().isoformat(),
                "C": args.C, "leave_one_document_out_citations": f"{good}/{cited}"}
        MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
