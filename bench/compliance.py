"""Compliance check against hand-judged verdicts and citations.

Prints, per system and in total:
  verdicts   exact three-way agreement (evidenced / partly evidenced / no evidence found)
  cite@3     of each rule's first three citations, the share a judge cites for that rule
             (a cited sentence matches a judged quote fuzzily, on the same file and page)
  look-alike citations of passages a judge marked as look-alikes (target: 0)

The judged set is a TOML file of
    [[judgment]] system, rule, verdict, missing, notes
    [[judgment.cite]] file, page, quote, answers = "full" | "part"
    [[judgment.lookalike]] file, page, quote, why
and the documents per system (the [systems] table of tests/data/qa_checked_citations.toml, or of
the judged file when it has one). It uses only mrs_etl.qa's public entry points, so the same
script measures any version of the code (PYTHONPATH=<old checkout> to measure the code before a
change).

    PYTHONPATH=$PWD .venv/bin/python bench/compliance.py [--judged SET.toml ...]
        [--corpus ../shared/corpus] [--cache /tmp/qa-cache] [--system PH-TESDA] [--show]

By default it scores the eight judged sets in tests/data, each made blind by its own labeller:
qa_judgments.toml (60 rules; rulebook 2026.12.4 was tuned on its disagreements),
qa_checked_citations.toml (the second labeller's 60 verdicts; used for 2026.12.1-2026.12.3),
qa_third_judgments.toml (PH-TESDA and AU-RTO, 40; scored before rulebook 2026.12.5, which was then
tuned on the first three), qa_fourth_judgments.toml (PH-TESDA and AU-RTO, 40; made and scored
after 2026.12.5: the held-out set of that step), qa_fifth_judgments.toml (PH-TESDA and AU-RTO,
40; the held-out set of 2026.12.6) and qa_sixth_judgments.toml (PH-TESDA and AU-RTO, 40; made and
scored after 2026.12.6, nothing tuned on it before) and qa_seventh_judgments.toml (PH-TESDA and
AU-RTO, 40; made with the sixth, kept unopened and first scored after 2026.12.7: its held-out set) and
qa_eighth_judgments.toml (PH-TESDA and AU-RTO, 40; made after 2026.12.8, nothing tuned on it). Which figures are held out is said in the README. With two or more sets it
also prints how often the labellers agree with each other and how often the check agrees with the
majority of the labellers where they have one. It prints each system's check time, first and
repeated in one process (the matcher is built once).
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import re
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
QUOTE_MATCH = 80  # rapidfuzz partial_ratio at which a cited sentence is the judged passage
VERDICTS = ("evidenced", "partly evidenced", "no evidence found")


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", str(text or "").lower()).strip()


def same_passage(sentence: str, quote: str) -> bool:
    """A cited sentence is a judged passage when one contains the other, give or take OCR noise."""
    from rapidfuzz import fuzz

    a, b = _norm(sentence), _norm(quote)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) < 12:
        return short == long_
    return fuzz.partial_ratio(short, long_) >= QUOTE_MATCH


def load_judged(path: Path) -> tuple[dict[str, list[str]], list[dict]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    systems = data.get("systems")
    systems = systems if isinstance(systems, dict) else tomllib.loads(
        (DATA / "qa_checked_citations.toml").read_text(encoding="utf-8"))["systems"]
    return systems, data.get("judgment", [])


def _extract(pdf: Path, cache: Path | None):
    from mrs_etl.extract import extract_pdf

    family = "qa-policy"  # as `mrs-etl comply` reads them: a Training Regulation's assessment page too
    key = None
    if cache:
        import mrs_etl.qa.cleaning, mrs_etl.qa.policies, mrs_etl.qa.pages  # noqa: E401 - code version of the cache
        code = b"".join(Path(m.__file__).read_bytes() for m in (mrs_etl.qa.cleaning, mrs_etl.qa.policies,
                                                               mrs_etl.qa.pages))
        key = cache / f"{pdf.stem}-{hashlib.sha256(code).hexdigest()[:12]}.pkl"
        if key.exists():
            return pickle.loads(key.read_bytes())
    ex = extract_pdf(pdf, family=family)
    if key:
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_bytes(pickle.dumps(ex))
    return ex


def run_checks(systems: dict[str, list[str]], corpus: Path, cache: Path | None, only: str | None = None,
               timings: dict | None = None):
    """The check of every system; `timings` gets each system's (first, repeated) check time in seconds."""
    import time

    from mrs_etl.qa import check_compliance, policies_frames

    out = {}
    for system, files in systems.items():
        if only and system != only:
            continue
        extractions = [_extract(corpus / "pdf" / f, cache) for f in files]
        qa, docs = policies_frames(extractions)
        start = time.perf_counter()
        out[system] = check_compliance(qa, system, docs)
        first = time.perf_counter() - start
        if timings is not None:  # a second check in the same process: what a portfolio build pays again
            start = time.perf_counter()
            check_compliance(qa, system, docs)
            timings[system] = (first, time.perf_counter() - start)
    return out


def score(checks: dict, judgments: list[dict], show: bool = False) -> dict[str, dict]:
    per = defaultdict(lambda: {"rules": 0, "agree": 0, "cited": 0, "good": 0, "lookalike": 0})
    for j in judgments:
        system, rule = j["system"], j["rule"]
        if system not in checks:
            continue
        v = checks[system]["compliance_verdicts"]
        c = checks[system]["compliance_citations"]
        row = v[v.rule_id == rule]
        if row.empty:
            continue
        got = row.iloc[0]["verdict"]
        cites = c[c.rule_id == rule].sort_values("rank")
        top = cites.head(3)
        for stats in (per[system], per["total"]):
            stats["rules"] += 1
            stats["agree"] += got == j["verdict"]
        marks = []
        for cite in top.itertuples():
            good = any(k["file"] == cite.file_name and int(k["page"]) == int(cite.page)
                       and same_passage(cite.sentence, k["quote"]) for k in j.get("cite", []))
            for stats in (per[system], per["total"]):
                stats["cited"] += 1
                stats["good"] += good
            marks.append(("+" if good else "-", cite))
        for cite in cites.itertuples():
            if any(k["file"] == cite.file_name and int(k["page"]) == int(cite.page)
                   and same_passage(cite.sentence, k["quote"]) for k in j.get("lookalike", [])):
                for stats in (per[system], per["total"]):
                    stats["lookalike"] += 1
                marks.append(("L", cite))
        if show:
            flag = "  " if got == j["verdict"] else "XX"
            print(f"{flag} {system} {rule}: judged {j['verdict']!r}, got {got!r}")
            for mark, cite in marks:
                print(f"     {mark} {cite.file_name} p{cite.page}: {str(cite.sentence)[:110]}")
    return per


def agreement(checks: dict, sets: list[tuple[Path, list[dict]]]) -> None:
    """Labellers against each other, and the check against the labellers' majority verdict."""
    from collections import Counter
    from itertools import combinations

    verdicts = {path.stem: {(j["system"], j["rule"]): j["verdict"] for j in judgments} for path, judgments in sets}
    for (a, va), (b, vb) in combinations(verdicts.items(), 2):
        both = [k for k in va if k in vb and k[0] in checks]
        if both:
            same = sum(va[k] == vb[k] for k in both)
            print(f"labellers {a} vs {b}: {same}/{len(both)} verdicts agree")
    per = defaultdict(lambda: [0, 0, 0])  # rules with a majority, the check agrees, rules without one
    for key in sorted({k for v in verdicts.values() for k in v}):
        system, rule = key
        if system not in checks:
            continue
        given = [v[key] for v in verdicts.values() if key in v]
        if len(given) < 3:
            continue
        (majority, count), = Counter(given).most_common(1)
        v = checks[system]["compliance_verdicts"]
        got = v[v.rule_id == rule].iloc[0]["verdict"]
        for stats in (per[system], per["total"]):
            if count * 2 > len(given):
                stats[0] += 1
                stats[1] += got == majority
            else:
                stats[2] += 1
    for system in [*sorted(s for s in per if s != "total"), "total"]:
        n, agree, split = per[system]
        if n:
            print(f"check vs the labellers' majority, {system}: {agree}/{n} = {agree / n:.2f}"
                  f" ({split} rules without a majority)")


def cited_by_labellers(checks: dict, sets: list[tuple[Path, list[dict]]]) -> None:
    """How many of the labellers cite each of the check's first three citations for its rule, over the
    rules every set judges: cited by one at least, by a majority, and by the average labeller."""
    by_rule = defaultdict(list)
    for _, judgments in sets:
        for j in judgments:
            by_rule[j["system"], j["rule"]].append(j)
    n_sets = max((len(v) for v in by_rule.values()), default=0)
    cites = anyone = majority = hits = asked = 0
    for (system, rule), judged in by_rule.items():
        if system not in checks or len(judged) < n_sets:
            continue
        c = checks[system]["compliance_citations"]
        for cite in c[c.rule_id == rule].sort_values("rank").head(3).itertuples():
            n = sum(any(k["file"] == cite.file_name and int(k["page"]) == int(cite.page)
                        and same_passage(cite.sentence, k["quote"]) for k in j.get("cite", [])) for j in judged)
            cites += 1
            anyone += n > 0
            majority += n * 2 > len(judged)
            hits += n
            asked += len(judged)
    if cites:
        print(f"the check's first-3 citations on the rules all {n_sets} sets judge: {cites}; cited by a labeller "
              f"{anyone}, by a majority {majority}, by the average labeller {hits}/{asked} = {hits / asked:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judged", type=Path, nargs="+", default=[DATA / "qa_judgments.toml",
                                                                 DATA / "qa_checked_citations.toml",
                                                                 DATA / "qa_third_judgments.toml",
                                                                 DATA / "qa_fourth_judgments.toml",
                                                                 DATA / "qa_fifth_judgments.toml",
                                                                 DATA / "qa_sixth_judgments.toml",
                                                                 DATA / "qa_seventh_judgments.toml",
                                                                 DATA / "qa_eighth_judgments.toml"],
                        help="judged sets, each scored on its own (default: the eight labellers' sets)")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cache", type=Path, default=None, help="keep extractions here between runs")
    parser.add_argument("--system", default=None)
    parser.add_argument("--show", action="store_true", help="print every rule's verdict and citations")
    args = parser.parse_args()
    if not (args.corpus / "pdf").is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 2
    missing = [p for p in args.judged if not p.exists()]
    if missing:
        print(f"no judged set at {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    sets = [(path, *load_judged(path)) for path in args.judged]
    systems = {s: f for _, docs, judgments in sets for s, f in docs.items() if s in {j["system"] for j in judgments}}
    timings: dict = {}
    checks = run_checks(systems, args.corpus, args.cache, args.system, timings)
    for path, _, judgments in sets:
        per = score(checks, judgments, args.show)
        print(f"judged set: {path}")
        print(f"{'system':<10} {'rules':>5} {'verdicts':>14} {'cite@3':>14} {'look-alike':>10}")
        for system in [*sorted(s for s in per if s != "total"), "total"]:
            s = per[system]
            agree = s["agree"] / s["rules"] if s["rules"] else 0
            prec = s["good"] / s["cited"] if s["cited"] else float("nan")
            print(f"{system:<10} {s['rules']:>5} {s['agree']:>4}/{s['rules']:<3} {agree:>5.2f} "
                  f"{s['good']:>4}/{s['cited']:<3} {prec:>5.2f} {s['lookalike']:>10}")
    if len(sets) > 1:
        agreement(checks, [(path, judgments) for path, _, judgments in sets])
        cited_by_labellers(checks, [(path, judgments) for path, _, judgments in sets])
    for system, (first, again) in timings.items():
        print(f"check time {system}: first {first:.2f} s (compiles a new language's matcher, reads every sentence), "
              f"again {again:.2f} s (both reused), ratio {first / max(again, 1e-9):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
