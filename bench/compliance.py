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

By default it scores two judged sets: tests/data/qa_judgments.toml (blind-judged; the rulebook's
exclusions and reasons were tuned on its disagreements, so its figures are not held out) and
tests/data/qa_checked_citations.toml (a second labeller's verdicts and citations for the same 60
rules, not looked at while tuning rulebook 2026.12.4: its figures are the held-out ones). It also
prints each system's check time, first and repeated in one process (the matcher is built once).
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--judged", type=Path, nargs="+", default=[DATA / "qa_judgments.toml",
                                                                 DATA / "qa_checked_citations.toml"],
                        help="judged sets, each scored on its own (default: the blind-judged set, which the "
                             "rulebook was tuned on, and the second labeller's set, which it was not)")
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
    for system, (first, again) in timings.items():
        print(f"check time {system}: first {first:.2f} s (compiles a new language's matcher, reads every sentence), "
              f"again {again:.2f} s (both reused), ratio {first / max(again, 1e-9):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
