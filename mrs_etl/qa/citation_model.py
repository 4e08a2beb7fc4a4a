"""Which answering sentence a judge would cite first, read by a small fitted model from features an
official can name.

The rulebook decides whether a sentence answers a rule's question, fully or in part
(mrs_etl.qa.matching); several sentences often do, and their rulebook scores (terms and parts
counted) tie or differ by chance. citation_model.json (fitted by bench/fit_citation_model.py on the
labellers' judgments in tests/data/qa_*judgments.toml, cross-validated leave-one-document-out) holds
a logistic-regression intercept and one coefficient per standardised feature; a sentence's estimate
that a judge cites it orders the answers within full and within partial ones. It never turns a
non-answer into an answer, nor a partial answer into a full one: verdicts stay the rulebook's.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("citation_model.json")

# What each feature means; the model file names the subset it uses.
FEATURES = {
    "full": "answers the whole question",
    "parts_share": "share of the question's parts the sentence holds itself",
    "score_relative": "its rulebook score against the rule's best answer",
    "heading_on_topic": "its nearest heading names the question's terms",
    "leading_mention": "names what the question is about only in an opening phrase ('As a ..., we ...')",
    "policy_verb": "states an obligation or a practice (shall, must, will, is responsible)",
    "question_words": "share of its words that are words of the question and of what counts as evidence",
    "words": "its length in words (log)",
    "lead_in": "introduces a list (ends with a colon)",
    "first_in_clause": "the first sentence of its clause",
    "limited": "answers only in part for a stated reason (a definition, a form item ...)",
}

# an opening phrase that sets a circumstance before the sentence's own statement
OPENING = re.compile(r"^\s*(?:as|if|once|when|where|upon|unless|after|before|while|although|in case|"
                     r"sebagai|jika|apabila|bila|setelah|sebelum|dalam hal)\b", re.I)
POLICY_VERB = re.compile(r"\b(?:shall|must|will|should|is required|are required|is responsible|are responsible|"
                         r"harus|wajib|akan|bertanggung jawab)\b", re.I)
WORD = re.compile(r"[^\W\d_]{4,}", re.U)
STOPWORDS = frozenset("""this that these those with from into their there which what when where have been were will
shall than then they them such also each other only about under over upon your more most must within without
being does should could would""".split())


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in WORD.findall(text or "") if w.lower() not in STOPWORDS}


@lru_cache(maxsize=256)
def _question_stems(question: str, evidence: str) -> frozenset[str]:
    return frozenset(_stems(f"{question} {evidence}"))


def features(rule, hit, best_score: float, heading_on_topic: bool) -> dict[str, float]:
    """The named features of one answering sentence (`best_score`: the rule's best rulebook score)."""
    text = hit.sentence
    words = text.split()
    n_parts = max(1, len(rule.parts))
    own = [p for p in hit.parts] if rule.parts else ["terms"]
    comma = text.find(",")
    leading = bool(hit.anchors) and bool(OPENING.match(text)) and comma > 0 and all(a < comma for a in hit.anchors)
    stems = _stems(text)
    question = _question_stems(rule.question, rule.evidence)
    return {
        "full": float(hit.answers == "full"),
        "parts_share": len(own) / n_parts,
        "score_relative": hit.score / best_score if best_score else 0.0,
        "heading_on_topic": float(heading_on_topic),
        "leading_mention": float(leading),
        "policy_verb": float(bool(POLICY_VERB.search(text))),
        "question_words": len(stems & question) / math.sqrt(len(stems)) if stems else 0.0,
        "words": math.log1p(len(words)),
        "lead_in": float(text.rstrip().endswith(":")),
        "first_in_clause": float(hit.at == 0),
        "limited": float(bool(hit.limits)),
    }


def heading_on_topic(rule, hit, matcher) -> bool:
    """Whether the clause's nearest heading holds one of the rule's terms."""
    heading = (hit.clause.get("heading_path") or "").split(" > ")[-1]
    if not heading:
        return False
    language = hit.clause.get("language") or "en"
    return any(rule.id in s.terms for s in matcher.sentences(heading, language))


@dataclass(frozen=True)
class CitationModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept + sum(c * (values[f] - m) / (s or 1.0)
                                 for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_dict(cls, data: dict) -> "CitationModel":
        names = tuple(data["features"])
        unknown = [f for f in names if f not in FEATURES]
        if unknown:
            raise ValueError(f"citation model names unknown features: {unknown}")
        return cls(names, tuple(data["mean"]), tuple(data["scale"]), tuple(data["coef"]), float(data["intercept"]))


class Ranker:
    """Sets each answering sentence's `cite_probability` from a model (one per document when
    `models_by_document` is given, for cross-validation); without a model the rulebook's score orders."""

    def __init__(self, model: CitationModel | None = None, models_by_document: dict | None = None):
        self.model = model
        self.models_by_document = models_by_document or {}

    def model_for(self, document_id) -> CitationModel | None:
        return self.models_by_document.get(document_id, self.model)

    def rank(self, rule, hits: list, matcher) -> None:
        if not hits or (self.model is None and not self.models_by_document):
            return
        best = max(h.score for h in hits)
        for hit in hits:
            model = self.model_for(hit.clause.get("document_id"))
            if model is not None:
                hit.cite_probability = round(model.probability(
                    features(rule, hit, best, heading_on_topic(rule, hit, matcher))), 4)


@lru_cache(maxsize=1)
def default_ranker() -> Ranker:
    """The fitted model's ranker; the rulebook's score alone when the model file is absent."""
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Ranker()
    return Ranker(CitationModel.from_dict(data))
