"""The QA documents of ../shared/corpus end to end: detection, clauses, OCR layer, compliance
check, and the hand-checked citations (tests/data/qa_checked_citations.toml)."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mrs_etl.pdf.triage import quick_text
from mrs_etl.qa import check_compliance, load_rulebook, policies_frames
from mrs_etl.registry import detect_family

pytestmark = pytest.mark.corpus
CHECKED = tomllib.loads((Path(__file__).parent / "data" / "qa_checked_citations.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def extractions(corpus_extraction):
    files = sorted({f for docs in CHECKED["systems"].values() for f in docs})
    # a Training Regulation's assessment section is read as QA text, as `mrs-etl comply` reads it
    return {f: corpus_extraction(f, family="qa-policy" if f.startswith("tesda-tr-") else None)
            for f in files}


@pytest.fixture(scope="module")
def checks(extractions):
    rulebook = load_rulebook()
    out = {}
    for system, files in CHECKED["systems"].items():
        qa, docs = policies_frames([extractions[f] for f in files])
        out[system] = check_compliance(qa, system, docs, rulebook)
    return out


def test_qa_documents_are_detected_and_standards_are_not_taken(corpus_dir):
    for f in sorted((corpus_dir / "pdf").glob("*.pdf")):
        family = detect_family(quick_text(f))
        is_qa = f.name.startswith(("tesda-circular", "tesda-annex", "bnsp-", "au-rto-key-institute-student",
                                   "au-rto-key-institute-complaints"))
        assert (family is not None and family.name == "qa-policy") == is_qa, f.name


def test_every_qa_document_yields_clauses_with_provenance(extractions):
    for name, ex in extractions.items():
        assert ex.document.family == "qa-policy"
        assert len(ex.qa_policies) >= 5, name
        for p in ex.qa_policies:
            assert p.text.strip() and p.box is not None and 1 <= p.box.page <= ex.document.pages
    assert extractions["bnsp-fr-ia-02-skm-00010-1-2020-37a.pdf"].document.language == "id"
    assert extractions["tesda-circular-020-s2014-nttc-level-i.pdf"].document.language == "en"


def test_circular_clauses_keep_printed_numbers_and_the_files_own_ocr_is_marked(extractions):
    policies = extractions["tesda-circular-020-s2014-nttc-level-i.pdf"].qa_policies
    issue = next(p for p in policies if p.clause == "V.10.1")
    assert issue.text.startswith("The PO shall issue the TMC and COC, while the RO shall issue the NTTC.")
    assert issue.box.page == 6 and issue.heading_path[-1] == "Issuance of Certificate"
    assert all(p.ocr and "ocr_layer" in p.flags and p.confidence <= 0.7 for p in policies)
    assert not any(p.ocr for p in extractions["bnsp-fr-ia-02-skm-00010-1-2020-37a.pdf"].qa_policies)


def test_handbook_picture_pages_are_ocrd_and_headers_dropped(extractions):
    policies = extractions["au-rto-key-institute-student-handbook-online-education.pdf"].qa_policies
    assert any(p.ocr and "tesseract_ocr" in p.flags and p.box.page == 11 for p in policies)
    assert not any("National Student Handbook" in p.text and "Page" in p.text for p in policies)
    rpl = [p for p in policies if "Recognition of Prior Learning (RPL) acknowledges" in p.text]
    assert rpl and "assessment-quality" in rpl[0].topics


def test_citations_once_judged_irrelevant_stay_out(checks):
    """The term-count check's citations judged by hand (the [[case]] list): forms, unit lists,
    look-alikes. The sentence-level decision must not cite them again."""
    back = []
    for case in CHECKED["case"]:
        cites = checks[case["system"]]["compliance_citations"]
        hit = cites[(cites.rule_id == case["rule"]) & (cites.file_name == case["file"]) & (cites.page == case["page"])
                    & cites.sentence.str.startswith(case["quote"])]
        if not case["relevant"] and not hit.empty:
            back.append((case["rule"], case["quote"][:50]))
    assert not back, back


def test_own_hand_judgments_hold(checks):
    """Every rule of the three systems judged by hand ([[judgment]]): verdict agreement, precision of
    each rule's first three citations, no look-alike cited. These judgments were made while the check
    was built (not held out): the figures guard against regressions; bench/compliance.py prints them
    on the independent labeller's set."""
    import bench.compliance as bench

    per = bench.score(checks, CHECKED["judgment"])["total"]
    assert per["rules"] == 60
    agreement, precision = per["agree"] / per["rules"], per["good"] / per["cited"]
    print(f"\nown judgments: verdicts {agreement:.2f}, first-three citations {precision:.2f}, look-alikes {per['lookalike']}")
    # 51/60 = 0.85 when the judgments were made (rulebook 2026.12.1), 52/60 with 2026.12.3, 51/60 with 2026.12.4
    assert agreement >= 0.83
    assert precision >= 0.77  # 72/94 = 0.77 (2026.12.1), 70/94 = 0.74 (2026.12.3), 61/76 = 0.80 (2026.12.4)
    assert per["lookalike"] == 0  # 7 (2026.12.1), 5 (2026.12.3), 0 (2026.12.4)


def test_verdicts_agree_with_the_later_labellers_and_with_the_labellers_majority(checks):
    """The third to eighth labellers' sets (PH-TESDA and AU-RTO, blind; each was scored before the
    rulebook was tuned on it; nothing was tuned on the seventh and eighth) and the majority verdict of
    all eight labellers per rule."""
    from collections import Counter

    import bench.compliance as bench

    data = Path(__file__).parent / "data"
    sets = [tomllib.loads((data / f"{name}.toml").read_text("utf-8"))["judgment"]
            for name in ("qa_judgments", "qa_checked_citations", "qa_third_judgments", "qa_fourth_judgments",
                         "qa_fifth_judgments", "qa_sixth_judgments", "qa_seventh_judgments", "qa_eighth_judgments")]
    for judgments in sets[2:]:  # measured 37/40, 38/40, 39/40, 40/40, 39/40, 38/40 (2026.12.8)
        total = bench.score(checks, judgments)["total"]
        assert total["rules"] == 40 and total["agree"] / total["rules"] >= 0.9
        assert total["good"] / total["cited"] >= 0.78  # 49/56, 46/56, 47/56, 48/56, 46/56, 47/56
    verdict = {s: t["compliance_verdicts"].set_index("rule_id")["verdict"] for s, t in checks.items()}
    agree = rules = 0
    for system, rule in {(j["system"], j["rule"]) for j in sets[3]}:
        given = [j["verdict"] for judgments in sets for j in judgments if (j["system"], j["rule"]) == (system, rule)]
        (majority, count), = Counter(given).most_common(1)
        if count * 2 > len(given):
            rules += 1
            agree += verdict[system][rule] == majority
    assert rules >= 38 and agree / rules >= 0.95  # measured 40/40


def test_blind_judgments_no_look_alike_is_cited_and_hard_verdicts_hold(checks):
    """The blind-judged set (tests/data/qa_judgments.toml, notes beside it). Rulebook 2026.12.4 was
    tuned on its disagreements, so these figures guard against regressions, they are not held out."""
    import bench.compliance as bench

    blind = tomllib.loads((Path(__file__).parent / "data" / "qa_judgments.toml").read_text("utf-8"))["judgment"]
    per = bench.score(checks, blind)
    assert {s: per[s]["lookalike"] for s in per} == {s: 0 for s in per}  # 4 before rulebook 2026.12.4
    total = per["total"]
    assert total["agree"] / total["rules"] >= 0.95  # 59/60 (48/60 before)
    assert total["good"] / total["cited"] >= 0.78  # 62/76 = 0.82 (66/94 = 0.70 before)
    verdict = {s: t["compliance_verdicts"].set_index("rule_id")["verdict"] for s, t in checks.items()}
    missing = {s: t["compliance_verdicts"].set_index("rule_id")["missing"].fillna("") for s, t in checks.items()}
    # the only registers the handbook names are of complaints, and the USI is an enrolment requirement
    assert verdict["AU-RTO"]["S4.6-certificate-register"] == "no evidence found"
    # TESDA's registry of certified trainers is kept and delisted, but nothing says how it is secured
    assert verdict["PH-TESDA"]["S4.6-certificate-register"] == "partly evidenced"
    assert "secured" in missing["PH-TESDA"]["S4.6-certificate-register"]
    # a re-assessor appointed for an appeal is no general rule on who may assess
    assert verdict["AU-RTO"]["S4.3-authorised-assessors"] == "partly evidenced"
    assert "appeal" in missing["AU-RTO"]["S4.3-authorised-assessors"]
    # the instruments' storyline about receiving certificates is no certification policy
    assert verdict["ID-BNSP"]["S4.5-certificate-issuing"] == "no evidence found"
    assert verdict["ID-BNSP"]["S4.1-assessment-process"] == "partly evidenced"


def test_verdicts_always_rest_on_citations(checks):
    for system, tables in checks.items():
        v, c = tables["compliance_verdicts"], tables["compliance_citations"]
        for row in v.itertuples():
            n = int((c.rule_id == row.rule_id).sum())
            assert n == row.n_citations
            if row.verdict != "no evidence found":
                assert n > 0, (system, row.rule_id)
    ph = checks["PH-TESDA"]["compliance_verdicts"].set_index("rule_id").verdict
    au = checks["AU-RTO"]["compliance_verdicts"].set_index("rule_id").verdict
    assert au["GP.7-complaints-appeals"] == "evidenced"  # the handbook's complaints and appeals policy
    assert ph["GP.7-complaints-appeals"] == "partly evidenced"  # a checklist item on complaints, no appeals
    assert au["S5.1-follows-guiding-principles"] == ph["S5.1-follows-guiding-principles"] == "no evidence found"
    assert ph["GP.2-provider-registration"] == "evidenced"  # accreditation of assessment centers
