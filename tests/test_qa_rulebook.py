"""Rulebook loading/validation and the spaCy matching on small English and Indonesian texts."""
from __future__ import annotations

import tomllib

import pandas as pd
import pytest

from mrs_etl.qa import check_compliance, load_rulebook
from mrs_etl.qa.matching import EVIDENCED, NONE, PARTLY, EvidenceMatcher, judge
from mrs_etl.qa.rulebook import DEFAULT_RULEBOOK, RulebookError, parse_rulebook
from mrs_etl.tables import frame


@pytest.fixture(scope="module")
def rulebook():
    return load_rulebook()


def _raw():
    return tomllib.loads(DEFAULT_RULEBOOK.read_text(encoding="utf-8"))


def test_bundled_rulebook_covers_the_roadmap_questions_in_english_and_indonesian(rulebook):
    assert rulebook.version
    steps = {r.step for r in rulebook.rules}
    assert steps == {"4", "5", "GP"}
    assert sum(r.step == "4" for r in rulebook.rules) == 6
    assert sum(r.step == "5" for r in rulebook.rules) == 5
    assert sum(r.step == "GP" for r in rulebook.rules) == 9
    for rule in rulebook.rules:
        if not rule.derived_from:
            assert rule.terms["en"] and rule.terms["id"], rule.id


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d.pop("version"), "'version'"),
    (lambda d: d["rules"][0]["terms"].pop("id"), "no list for id"),
    (lambda d: d["rules"][1].update(id=d["rules"][0]["id"]), "duplicate id"),
    (lambda d: d["rules"][0].update(step="7"), "'step' must be one of"),
    (lambda d: d["rules"][0].update(wieght=2), "unknown field(s) wieght"),
    (lambda d: d["thresholds"].update(partly=99), "must not exceed 'evidenced'"),
    (lambda d: d["rules"][0]["terms"].update(en=[]), "non-empty list"),
    (lambda d: d["rules"][6].update(derived_from=["GP.404-nothing"]), "unknown rule 'GP.404-nothing'"),
    (lambda d: d["rules"][0]["parts"][0].pop("name"), "missing 'name'"),
    (lambda d: d["rules"][0]["parts"][0]["terms"].pop("id"), "no list for id"),
    (lambda d: d["rules"][0].update(exclude={"en": []}), "'exclude.en' must be a non-empty list"),
    (lambda d: d["sections"].update(not_policy="units"), "'not_policy' must be a list"),
])
def test_a_bad_rulebook_is_refused_with_a_message_naming_the_problem(mutate, message):
    data = _raw()
    mutate(data)
    with pytest.raises(RulebookError, match=None) as err:
        parse_rulebook(data, "edited.toml")
    assert message in str(err.value)
    assert "edited.toml" in str(err.value)


def test_invalid_toml_and_missing_file_are_clear_errors(tmp_path):
    bad = tmp_path / "rulebook.toml"
    bad.write_text("version = \n", encoding="utf-8")
    with pytest.raises(RulebookError, match="not valid TOML"):
        load_rulebook(bad)
    with pytest.raises(RulebookError, match="not found"):
        load_rulebook(tmp_path / "missing.toml")


def _clauses(texts, language):
    return [{"document_id": "d1", "policy_id": f"d1/p{i:04d}", "page": i, "text": t, "language": language}
            for i, t in enumerate(texts, 1)]


def test_matching_english_cites_the_sentences_that_answer(rulebook):
    verdicts = {v.rule.id: v for v in judge(_clauses([
        "Students may lodge a complaint or an appeal in writing. The Appeals Review Committee decides every "
        "appeal within 10 days and the complainant is told the outcome. Grievances are recorded.",
        "Lunch is served at noon.",
        "A complainant may ask for an external review of the grievance and appeal outcome.",
        "All complaints and appeals are recorded in the register and any grievance leads to improvement.",
        "An appeal of an assessment decision goes to the complaints officer as a formal grievance.",
    ], "en"), rulebook)}
    complaints = verdicts["GP.7-complaints-appeals"]
    assert complaints.verdict == EVIDENCED
    assert 1 <= len(complaints.citations) <= rulebook.rule("GP.7-complaints-appeals").thresholds.max_citations
    assert all(c.answers in ("full", "part") and c.parts for c in complaints.citations)
    assert not any("Lunch" in c.sentence for c in complaints.citations)
    assert verdicts["GP.2-provider-registration"].verdict == NONE
    assert verdicts["GP.2-provider-registration"].citations == []


def test_matching_indonesian_uses_the_indonesian_terms(rulebook):
    verdicts = {v.rule.id: v for v in judge(_clauses([
        "Asesi dapat mengajukan banding atas keputusan asesmen kepada komite banding.",
        "Keluhan dan pengaduan asesi ditangani oleh LSP.",
    ], "id"), rulebook)}
    complaints = verdicts["GP.7-complaints-appeals"]
    assert complaints.verdict in (PARTLY, EVIDENCED)
    assert "banding" in complaints.citations[0].terms


def test_a_rule_with_parts_needs_what_the_question_is_about(rulebook):
    matcher = EvidenceMatcher(rulebook)
    rule = rulebook.rule("S4.3-authorised-assessors")
    (sent,) = matcher.sentences("Asesor ditugaskan oleh LSP untuk melaksanakan asesmen.", "id")
    assert matcher.decide(rule, sent, None, "id").answers == "full"
    (sent,) = matcher.sentences("Sertifikat ditugaskan oleh LSP untuk melaksanakan kegiatan.", "id")
    assert matcher.decide(rule, sent, None, "id") is None  # no assessor: not about the question


def test_evidenced_is_never_given_without_a_citation(rulebook):
    tables = check_compliance(frame("qa_policies", []), "EMPTY", rulebook=rulebook)
    verdicts = tables["compliance_verdicts"]
    assert set(verdicts["verdict"]) == {NONE}
    assert tables["compliance_citations"].empty
    assert set(verdicts["rulebook_version"]) == {rulebook.version}


def test_check_compliance_returns_schema_tables_with_file_names(rulebook):
    qa = frame("qa_policies", [{"policy_id": "d1/p0001", "document_id": "d1", "order": 1, "page": 3,
                                "text": "Records of all grievances and appeals will be kept. A complainant "
                                        "may lodge an appeal with the Appeals Review Committee.",
                                "language": "en", "confidence": 0.9, "ocr": False}])
    docs = pd.DataFrame({"document_id": ["d1"], "file_name": ["handbook.pdf"]})
    tables = check_compliance(qa, "T", docs, rulebook, checked_at="2026-01-01T00:00:00Z")
    cites = tables["compliance_citations"]
    row = cites[cites.rule_id == "GP.7-complaints-appeals"].iloc[0]
    assert (row.file_name, row.page, row.policy_id) == ("handbook.pdf", 3, "d1/p0001")
    assert list(cites.columns) == list(frame("compliance_citations", []).columns)
