"""The hand-judged compliance sets (tests/data/qa_judgments.toml, and the third to eighth labellers'
independent tests/data/qa_third_judgments.toml, qa_fourth_judgments.toml, qa_fifth_judgments.toml,
qa_sixth_judgments.toml, qa_seventh_judgments.toml and qa_eighth_judgments.toml) are well formed and every quote is on its page.

Quotes are copied from `pdftotext -layout` output of the cited page; the consumer matches them fuzzily to
extracted sentences, so here a quote counts as found when, after lower-casing and collapsing whitespace, it
is a substring of the page text or a window of the page matches it with a similarity of at least 0.9.
A passage marked `text = "ocr"` is on a page without a text layer (an image): its quote was copied from
tesseract's OCR of the page rendered at 300 dpi, the way the pipeline reads such pages, and is checked
against that OCR. The quote checks need ../shared/corpus, pdftotext (and pdftoppm + tesseract for the OCR
quotes), and skip with a message when they are absent.
"""
from __future__ import annotations

import difflib
import functools
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest

# Each labeller's set is checked the same way: one file per independent labeller.
JUDGED_SETS = [Path(__file__).parent / "data" / name
               for name in ("qa_judgments.toml", "qa_third_judgments.toml", "qa_fourth_judgments.toml",
                             "qa_fifth_judgments.toml", "qa_sixth_judgments.toml", "qa_seventh_judgments.toml",
                             "qa_eighth_judgments.toml")]
RULEBOOK = Path(__file__).resolve().parents[1] / "mrs_etl" / "qa" / "rulebook.toml"
VERDICTS = {"evidenced", "partly evidenced", "no evidence found"}
ANSWERS = {"full", "part"}
SYSTEMS = {"PH-TESDA", "AU-RTO", "ID-BNSP"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def quote_found(quote: str, page_text: str, threshold: float = 0.9) -> bool:
    """True when the quote is (nearly) a run of the page's text, whatever the line breaks."""
    q, page = _norm(quote), _norm(page_text)
    if q in page:
        return True
    width = len(q)
    starts = [0] + [m.end() for m in re.finditer(r" ", page)]
    for start in starts:
        window = page[start:start + width + 8]
        matcher = difflib.SequenceMatcher(None, q, window, autojunk=False)
        if matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold \
                and matcher.ratio() >= threshold:
            return True
    return False


@functools.lru_cache(maxsize=None)
def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@functools.lru_cache(maxsize=None)
def _page_ocr(pdf: Path, page: int) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf),
                        str(stem)], check=True, capture_output=True)
        return subprocess.run(["tesseract", f"{stem}.png", "stdout", "-l", "eng"], capture_output=True, text=True,
                              check=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout


@pytest.fixture(params=JUDGED_SETS, ids=lambda path: path.stem)
def judged(request) -> dict:
    with request.param.open("rb") as fh:
        return tomllib.load(fh)


def _quoted_passages(data: dict):
    for j in data["judgment"]:
        for kind in ("cite", "lookalike"):
            for c in j.get(kind, []):
                yield j["system"], j["rule"], kind, c


def test_judgments_are_well_formed(judged):
    data = judged
    rules = {r["id"] for r in tomllib.load(RULEBOOK.open("rb"))["rules"]}
    assert data["meta"]["labeller"] and data["meta"]["rulebook_version"]
    seen = set()
    for j in data["judgment"]:
        key = (j["system"], j["rule"])
        assert key not in seen, f"duplicate judgment {key}"
        seen.add(key)
        assert j["system"] in SYSTEMS and j["rule"] in rules, key
        assert j["verdict"] in VERDICTS, key
        assert bool(j.get("missing")) == (j["verdict"] == "partly evidenced"), f"{key}: 'missing' iff partly"
        assert bool(j.get("cite")) == (j["verdict"] != "no evidence found"), f"{key}: cites iff evidence"
        if j["verdict"] == "evidenced":
            assert any(c["answers"] == "full" for c in j["cite"]), f"{key}: evidenced needs a full answer"
        for c in j.get("cite", []):
            assert c["answers"] in ANSWERS, key
        for c in j.get("cite", []) + j.get("lookalike", []):
            assert c["file"].endswith(".pdf") and c["page"] >= 1 and 3 <= len(c["quote"].split()) <= 25, (key, c)
        for c in j.get("lookalike", []):
            assert c["why"], key
        for c in j.get("cite", []) + j.get("lookalike", []):
            assert c.get("text", "layer") in {"layer", "ocr"}, (key, c)
    for system in {s for s, _ in seen}:
        assert {r for s, r in seen if s == system} == rules, f"{system} does not judge every rule"


def test_quote_matcher_is_fuzzy_but_not_blind():
    page = "The PO shall issue the TMC\n   and COC, while the RO shall\nissue the NTTC."
    assert quote_found("the PO shall issue the TMC and COC, while the RO shall issue the NTTC", page)
    assert quote_found("The P0 shall issue the TMC and C0C, while the RO shall issue the NTTC", page)
    assert not quote_found("the Director General shall cancel every certificate the Provincial Office issued", page)


def test_every_quote_is_on_its_page(judged, corpus_dir):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    missing = []
    for system, rule, kind, c in _quoted_passages(judged):
        if c.get("text") == "ocr":
            continue
        pdf = corpus_dir / "pdf" / c["file"]
        if not pdf.is_file() or not quote_found(c["quote"], _page_text(pdf, c["page"])):
            missing.append(f"{system} {rule} {kind} {c['file']} p{c['page']}: {c['quote']!r}")
    assert not missing, "quotes not found on their page:\n" + "\n".join(missing)


def test_every_ocr_quote_is_in_the_ocr_of_its_page(judged, corpus_dir):
    if not (shutil.which("tesseract") and shutil.which("pdftoppm")):
        pytest.skip("tesseract or pdftoppm is not installed")
    missing = []
    for system, rule, kind, c in _quoted_passages(judged):
        if c.get("text") != "ocr":
            continue
        pdf = corpus_dir / "pdf" / c["file"]
        assert not _norm(_page_text(pdf, c["page"])).count(" ") > 40, f"{c['file']} p{c['page']} has a text layer"
        if not quote_found(c["quote"], _page_ocr(pdf, c["page"])):
            missing.append(f"{system} {rule} {kind} {c['file']} p{c['page']}: {c['quote']!r}")
    assert not missing, "OCR quotes not found in the OCR of their page:\n" + "\n".join(missing)
