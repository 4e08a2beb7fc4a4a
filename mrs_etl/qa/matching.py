"""Finding the rulebook's evidence terms in QA clauses and turning hits into verdicts.

Matching is transparent on purpose: blank spaCy pipelines (tokenizer + sentencizer) with a
PhraseMatcher on lower-cased text for plain phrases and a Matcher for prefix terms
("accredit*"). A sentence's score for a rule is
    weight x (distinct_term x distinct terms + repeat_hit x repeated hits + cooccurrence [other require word])
and a sentence that lacks every `require` term of the rule does not count (a require term that is
part of a counted term satisfies the rule but earns no co-occurrence bonus). A rule's score is the
sum of its best `max_citations` sentences, which become its citations.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mrs_etl.qa.rulebook import Rule, Rulebook

EVIDENCED, PARTLY, NONE = "evidenced", "partly evidenced", "no evidence found"
MAX_QUOTE = 600  # characters of a cited sentence kept in the outputs


@dataclass
class SentenceHit:
    rule_id: str
    score: float
    terms: list[str]
    sentence: str
    clause: dict  # the qa_policies row the sentence comes from


@dataclass
class Verdict:
    rule: Rule
    verdict: str
    score: float
    citations: list[SentenceHit] = field(default_factory=list)


def _blank(language: str):
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # no spaCy language class: the multi-language one
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


class EvidenceMatcher:
    """The rulebook's terms compiled per language."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        self._pipelines: dict[str, tuple] = {}

    def _pipeline(self, language: str):
        if language not in self._pipelines:
            from spacy.matcher import Matcher, PhraseMatcher

            nlp = _blank(language)
            phrases, prefixes = PhraseMatcher(nlp.vocab, attr="LOWER"), Matcher(nlp.vocab)
            for rule in self.rulebook.rules:
                for kind, terms in (("term", rule.terms_for(language)), ("require", rule.require_for(language))):
                    for term in terms:
                        key = f"{rule.id}\t{kind}\t{term}"
                        tokens = [t.text for t in nlp.make_doc(term)]
                        if any(t.endswith("*") for t in tokens):
                            pattern = [{"LOWER": {"REGEX": "^" + re.escape(t[:-1].lower())}} if t.endswith("*")
                                       else {"LOWER": t.lower()} for t in tokens if t != "*"]
                            prefixes.add(key, [pattern])
                        else:
                            phrases.add(key, [nlp.make_doc(term)])
            self._pipelines[language] = (nlp, phrases, prefixes)
        return self._pipelines[language]

    def sentence_hits(self, text: str, language: str) -> list[tuple[str, dict[str, tuple[Counter, bool, bool]]]]:
        """For each sentence: its text and, per rule with a hit, (term counts, a require term is present,
        a require term other than the counted terms is present)."""
        nlp, phrases, prefixes = self._pipeline(language)
        doc = nlp(text)
        found = list(phrases(doc)) + (list(prefixes(doc)) if len(prefixes) else [])
        matches = [(doc.vocab.strings[m], s, e) for m, s, e in found]
        out = []
        for sent in doc.sents:
            terms: dict[str, Counter] = defaultdict(Counter)
            term_spans: dict[str, set] = defaultdict(set)
            require_spans: dict[str, set] = defaultdict(set)
            for key, start, end in matches:
                if sent.start <= start and end <= sent.end:
                    rule_id, kind, term = key.split("\t")
                    if kind == "term":
                        terms[rule_id][term] += 1
                        term_spans[rule_id].update(range(start, end))
                    else:
                        require_spans[rule_id].add((start, end))
            # a require term inside a counted term satisfies the rule but is no co-occurrence bonus
            out.append((sent.text.strip(), {
                r: (c, bool(require_spans[r]),
                    any(not set(range(s, e)) <= term_spans[r] for s, e in require_spans[r]))
                for r, c in terms.items()}))
        return out

    def score(self, rule: Rule, terms: Counter, has_require: bool, cooccurs: bool) -> float:
        if rule.require and not has_require:
            return 0.0
        s = self.rulebook.scoring
        points = s.distinct_term * len(terms) + s.repeat_hit * (sum(terms.values()) - len(terms))
        if rule.require and cooccurs:
            points += s.cooccurrence
        return round(rule.weight * points, 3)

    def topics(self, text: str, language: str) -> list[str]:
        """Guiding-Principles themes a clause speaks to (rules of step GP it scores 'partly' on)."""
        found = set()
        for _, per_rule in self.sentence_hits(text, language):
            for rule_id, (terms, req, other) in per_rule.items():
                rule = self.rulebook.rule(rule_id)
                if rule.step == "GP" and self.score(rule, terms, req, other) >= rule.thresholds.partly:
                    found.add(rule_id.split("-", 1)[-1])
        return sorted(found)


def _verdict(rule: Rule, score: float, citations: list[SentenceHit]) -> str:
    t = rule.thresholds
    if citations and score >= t.evidenced and max(c.score for c in citations) >= t.strong:
        return EVIDENCED
    if citations and score >= t.partly:
        return PARTLY
    return NONE


def _best(hits: list[SentenceHit], k: int) -> list[SentenceHit]:
    """The k best-scoring sentences, skipping near-copies of one already taken (a form repeated in
    an annex with different OCR noise is one piece of evidence)."""
    from rapidfuzz import fuzz

    best: list[SentenceHit] = []
    for hit in sorted(hits, key=lambda h: -h.score):
        if any(fuzz.ratio(hit.sentence, b.sentence) >= 85 for b in best):
            continue
        best.append(hit)
        if len(best) == k:
            break
    return best


def judge(clauses: list[dict], rulebook: Rulebook, matcher: EvidenceMatcher | None = None) -> list[Verdict]:
    """Verdicts for every rule over clause rows (dicts with at least text and language)."""
    matcher = matcher or EvidenceMatcher(rulebook)
    hits: dict[str, list[SentenceHit]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for clause in clauses:
        for sentence, per_rule in matcher.sentence_hits(clause["text"], clause.get("language") or "en"):
            key = re.sub(r"\W+", " ", sentence.lower()).strip()
            for rule_id, (terms, req, other) in per_rule.items():
                rule = rulebook.rule(rule_id)
                score = matcher.score(rule, terms, req, other)
                if score <= 0 or (rule_id, key) in seen:  # a repeated form page is one piece of evidence
                    continue
                seen.add((rule_id, key))
                hits[rule_id].append(SentenceHit(rule_id, score, sorted(terms), sentence[:MAX_QUOTE], clause))
    verdicts: dict[str, Verdict] = {}
    for rule in (r for r in rulebook.rules if not r.derived_from):
        best = _best(hits[rule.id], rule.thresholds.max_citations)
        score = round(sum(h.score for h in best), 3)
        verdict = _verdict(rule, score, best)
        verdicts[rule.id] = Verdict(rule, verdict, score, best if verdict != NONE else [])
    for rule in (r for r in rulebook.rules if r.derived_from):
        parts = [verdicts[i] for i in rule.derived_from if i in verdicts]
        score = sum(1.0 if v.verdict == EVIDENCED else 0.5 if v.verdict == PARTLY else 0.0 for v in parts)
        citations = [v.citations[0] for v in parts if v.citations][: rule.thresholds.max_citations]
        verdict = _verdict(rule, score, citations)
        verdicts[rule.id] = Verdict(rule, verdict, score, citations if verdict != NONE else [])
    return [verdicts[r.id] for r in rulebook.rules]
