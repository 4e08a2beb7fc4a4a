"""How cleanly the two-level lists of the corpus standards come out: range of variables and evidence guide.

Extracts every PDF of ../shared/corpus/pdf (standard JSON, as `mrs-etl extract` writes it) and counts what a sound
extraction does not hold (targets 0; some are the source's own typos, so read them with --verbose):

- range items carrying a lead-in after their own text ("ECC regulations May include but are not limited to:"),
  the next variable's introduction read as the end of this one's last item;
- evidence items whose number names another heading than the one they are under ("2.1" under heading 1);
- list items (range or evidence) holding a sibling's number in their text ("Alat tulis 2.2 Perlengkapan");
- TESDA TR units whose evidence guide does not open with its critical aspects.

To compare with an earlier commit, run the same script from a worktree of it:
`git worktree add /tmp/old <commit>` then `PYTHONPATH=/tmp/old .venv/bin/python bench/list_items.py`.

    .venv/bin/python bench/list_items.py [--corpus ../shared/corpus] [--verbose] [--jobs 2]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path and not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT))

LEAD_IN = re.compile(r"\b(?:may include|include[s]? but (?:are )?not limited|(?:is|are) limited to|may consist|"
                     r"includes?:|include the following)", re.I)
SIBLING_NUMBER = re.compile(r"(?<=\s)\d{1,2}(?:\.\d{1,2}){1,3}\.?\s+[A-Z]")


def standard_json(path: str) -> dict | None:
    from mrs_etl.errors import DocumentRejected
    from mrs_etl.extract import extract_pdf
    from mrs_etl.standard_json import to_standard_json

    try:
        return to_standard_json(extract_pdf(path))
    except DocumentRejected:
        return None  # not a competency standard


def findings(doc: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"lead_in_in_range_item": [], "evidence_item_under_other_heading": [],
                                 "sibling_number_in_list_item": [], "guide_without_critical_aspects_first": []}
    for u in doc.get("units", []):
        for r in u.get("range") or []:
            for it in r["items"]:
                m = LEAD_IN.search(it["text"])
                if it["number"] and m and m.start() > 0:
                    out["lead_in_in_range_item"].append(f"{u['code']} {it['number']}: {it['text'][:90]}")
        guide = u.get("evidence_guide") or []
        headings: list[str] = []
        for e in guide:
            if e["heading"] and (not headings or headings[-1] != e["heading"]):
                headings.append(e["heading"])
        for e in guide:
            if e["heading"] and "." in e["number"] and e["number"].split(".")[0] != str(headings.index(e["heading"]) + 1):
                out["evidence_item_under_other_heading"].append(f"{u['code']} {e['number']} under {e['heading'][:30]}")
        texts = [it["text"] for r in (u.get("range") or []) for it in r["items"]] + [e["text"] for e in guide]
        out["sibling_number_in_list_item"] += [f"{u['code']}: {t[:90]}" for t in texts if SIBLING_NUMBER.search(t)]
        if doc.get("family") == "tesda-tr" and guide and guide[0]["aspect"] != "critical_aspects":
            out["guide_without_critical_aspects_first"].append(f"{u['code']}: {guide[0]['text'][:60]}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    pdfs = sorted((args.corpus / "pdf").glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs in {args.corpus / 'pdf'}: nothing to measure", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    totals: dict[str, int] = {}
    guides = 0
    with ProcessPoolExecutor(args.jobs) as pool:
        for pdf, doc in zip(pdfs, pool.map(standard_json, map(str, pdfs))):
            if doc is None:
                continue
            if doc.get("family") == "tesda-tr":
                guides += sum(1 for u in doc.get("units", []) if u.get("evidence_guide"))
            found = findings(doc)
            counts = {k: len(v) for k, v in found.items() if v}
            if counts:
                print(f"{pdf.name}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
            if args.verbose:
                for kind, items in found.items():
                    for item in items:
                        print(f"    {kind}: {item}")
            for k, n in counts.items():
                totals[k] = totals.get(k, 0) + n
    print("total: " + (", ".join(f"{k} {n}" for k, n in sorted(totals.items())) or "none")
          + f" (TESDA TR units with an evidence guide: {guides})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
