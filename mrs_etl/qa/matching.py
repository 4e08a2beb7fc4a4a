"""Answering each rule's question from the sentences that answer it.

Two steps, both transparent:
1. Candidates. The rulebook's terms are matched in every sentence (blank spaCy pipelines: a
   PhraseMatcher on lower-cased text for plain phrases, a Matcher for prefix words such as
   'accredit*', each word of a phrase its own pattern). A sentence without a term is no candidate.
2. The decision. A rule's question has parts (the actor, the act, the object: "who issues" +
   "a certificate"); a candidate sentence answers the rule
     fully   when it holds a phrase of every part (the headings above it may answer a part the
             rulebook marks `in_heading`), and at least the first part itself;
     in part when it holds the first part (what the question is about) and another, not every
             part (naming only what the question is about answers nothing);
     not     when it is no prose (mrs_etl.qa.prose: form fields, tables, signature blocks,
             garbled OCR), holds one of the rule's `exclude` phrases (look-alikes that use
             the words of the question to say something else), in itself or in its headings,
             or lacks a `required` part (a record that is not said to be of certificates).
   A part marked `near` counts only close to what the question is about. A sentence answers
   only in part, whatever it holds, when the rule's `partial` phrases, a definition of terms,
   an item of a form or checklist, or the subject line of its document (a circular about
   another procedure) say so; the reason is named in the verdict.
   A rule without parts has one part: its terms.
The verdict comes from the best answering sentences (full answers first, then more parts, more
distinct terms): "evidenced" when one sentence answers fully, "partly evidenced" when the best
answer only part (the missing parts are named), "no evidence found" otherwise. Loose sentences
never add up to "evidenced". After the best answer, a sentence that answers in part is cited
only for a part or sub-question the others leave open.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from mrs_etl.qa.prose import definition, non_prose
from mrs_etl.qa.rulebook import Rule, Rulebook

EVIDENCED, PARTLY, NONE = "evidenced", "partly evidenced", "no evidence found"
FULL, PART = "full", "part"
MAX_QUOTE = 600  # characters of a cited sentence kept in the outputs


@dataclass
class SentenceHit:
    rule_id: str
    score: float
    terms: list[str]
    sentence: str
    clause: dict  # the qa_policies row the sentence comes from
    answers: str = PART  # FULL | PART
    parts: list[str] = field(default_factory=list)  # the parts of the question it answers
    box: tuple | None = None  # (page, x0, top, x1, bottom) of the sentence itself
    aspects: set = field(default_factory=set)  # the rule's sub-questions the sentence touches
    limits: list[str] = field(default_factory=list)  # why it answers only in part (a definition, a form item ...)


@dataclass
class Verdict:
    rule: Rule
    verdict: str
    score: float
    citations: list[SentenceHit] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # parts of the question no cited sentence answers


@dataclass
class Sentence:
    text: str
    start: int  # character offsets in the clause text
    end: int
    terms: dict[str, Counter]  # rule id -> term counts
    parts: dict[str, set]  # rule id -> parts of the question the sentence holds
    excluded: set  # rule ids with a look-alike phrase in the sentence
    required: set  # rule ids with a `require` term in the sentence
    aspects: dict[str, set] = field(default_factory=dict)  # rule id -> sub-questions it touches
    where: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # rule id -> part -> word positions
    partial: dict[str, set] = field(default_factory=dict)  # rule id -> why it answers only in part


@lru_cache(maxsize=None)
def _blank(language: str):
    import spacy

    try:
        nlp = spacy.blank(language)
    except (ImportError, KeyError, ValueError):  # no spaCy language class: the multi-language one
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    return nlp


def _patterns(nlp, term: str) -> tuple[str, list]:
    """("phrase", doc) for a plain phrase, ("prefix", token pattern) when a word ends in '*'.
    Words are split on spaces first: the tokenizer would cut 'assess*' into 'assess' + '*'."""
    words = term.split()
    if not any(w.endswith("*") for w in words):
        return "phrase", nlp.make_doc(term)
    pattern = []
    for word in words:
        stem = word.rstrip("*")
        tokens = [t.text.lower() for t in nlp.make_doc(stem)]
        pattern += [{"LOWER": t} for t in tokens[:-1]]
        if word.endswith("*"):
            pattern.append({"LOWER": {"REGEX": "^" + re.escape(tokens[-1])}})
        else:
            pattern.append({"LOWER": tokens[-1]})
    return "prefix", pattern


class EvidenceMatcher:
    """The rulebook's terms, parts and exclusions compiled per language."""

    def __init__(self, rulebook: Rulebook):
        self.rulebook = rulebook
        self._pipelines: dict[str, tuple] = {}
        # an extraction tags a clause's topics and the check reads the same clause again
        self._read: OrderedDict[tuple[str, str], list[Sentence]] = OrderedDict()

    def _phrases_of(self, rule: Rule, language: str):
        yield "term", rule.terms_for(language)
        yield "require", rule.require_for(language)
        yield "exclude", rule.exclude_for(language)
        for part in rule.parts:
            yield f"part:{part.name}", part.terms_for(language)
        for aspect in rule.aspects:
            yield f"aspect:{aspect.name}", aspect.terms_for(language)
        for why in rule.partial:
            yield f"partial:{why.name}", why.terms_for(language)

    def _pipeline(self, language: str):
        if language not in self._pipelines:
            from spacy.matcher import Matcher, PhraseMatcher

            nlp = _blank(language)
            phrases, prefixes = PhraseMatcher(nlp.vocab, attr="LOWER"), Matcher(nlp.vocab)
            for rule in self.rulebook.rules:
                for kind, terms in self._phrases_of(rule, language):
                    for term in terms:
                        how, pattern = _patterns(nlp, term)
                        key = f"{rule.id}\t{kind}\t{term}"
                        (phrases.add if how == "phrase" else prefixes.add)(key, [pattern])
            self._pipelines[language] = (nlp, phrases, prefixes)
        return self._pipelines[language]

    def sentences(self, text: str, language: str) -> list[Sentence]:
        """The sentences of `text` with what each holds of every rule (callers must not change them)."""
        key = (text, language)
        if key not in self._read:
            self._read[key] = self._sentences(text, language)
            if len(self._read) > 50_000:
                self._read.popitem(last=False)
        return self._read[key]

    def _sentences(self, text: str, language: str) -> list[Sentence]:
        nlp, phrases, prefixes = self._pipeline(language)
        doc = nlp(GLUED_STOP.sub(" ", text))  # same length: offsets still point into `text`
        found = list(phrases(doc)) + (list(prefixes(doc)) if len(prefixes) else [])
        matches = [(doc.vocab.strings[m], s, e) for m, s, e in found]
        out = []
        for sent in doc.sents:
            item = Sentence(text[sent.start_char:sent.end_char].strip(), sent.start_char, sent.end_char,
                            defaultdict(Counter), defaultdict(set), set(), set(), defaultdict(set),
                            defaultdict(lambda: defaultdict(list)), defaultdict(set))
            listing = SUBMITTED_DOCUMENTS.search(text, sent.start_char, sent.end_char)
            documents_from = doc.char_span(listing.end(), sent.end_char, alignment_mode="expand").start \
                if listing and listing.end() < sent.end_char else sent.end
            for key, start, end in matches:
                if not (sent.start <= start and end <= sent.end):
                    continue
                rule_id, kind, term = key.split("\t")
                if start >= documents_from:
                    continue  # a document's name says what is handed in, not what the system does
                if kind == "term":
                    item.terms[rule_id][term] += 1
                elif kind == "require":
                    item.required.add(rule_id)
                elif kind == "exclude":
                    item.excluded.add(rule_id)
                elif kind.startswith("aspect:"):
                    item.aspects[rule_id].add(kind[7:])
                elif kind.startswith("partial:"):
                    item.partial[rule_id].add(kind[8:])
                else:  # a phrase of a part is a candidate term too
                    item.parts[rule_id].add(kind[5:])
                    item.where[rule_id][kind[5:]].append(start - sent.start)
                    item.terms[rule_id][term] += 1
            out.append(item)
        return out

    def context(self, heading_path: str, language: str) -> "Context":
        """What the headings above a clause answer, exclude or limit, rule by rule."""
        ctx = Context()
        for sent in self.sentences(heading_path.replace(" > ", ". "), language) if heading_path else []:
            for rule_id, names in sent.parts.items():
                ctx.parts[rule_id] |= names
            for rule_id, names in sent.aspects.items():
                ctx.aspects[rule_id] |= names
            for rule_id, names in sent.partial.items():
                ctx.partial[rule_id] |= names
            ctx.excluded |= sent.excluded
        if definition("", heading_path):
            ctx.limits.append(ONLY_DEFINITION)
        if self.rulebook.is_form_section(heading_path):
            ctx.limits.append(ONLY_FORM_ITEM)
        return ctx

    def decide(self, rule: Rule, sent: Sentence, ctx: "Context | None", language: str) -> Decision | None:
        """How the sentence answers the rule (under the headings of `ctx`), or None when it does not."""
        ctx = ctx or Context()
        terms = sent.terms.get(rule.id)
        if not terms or (rule.require and rule.id not in sent.required):
            return None
        if rule.id in sent.excluded or rule.id in ctx.excluded:
            return None
        names = [p.name for p in rule.parts]
        own = _own_parts(rule, sent) if rule.parts else {"terms"}
        if rule.parts and names[0] not in own:
            return None
        if non_prose(sent.text, language):
            return None
        context = {p.name for p in rule.parts if p.in_heading and p.name in ctx.parts.get(rule.id, ())}
        if any(p.required and p.name not in own | context for p in rule.parts):
            return None
        answered = [n for n in names if n in own | context] if rule.parts else ["terms"]
        if len(answered) < min(2, max(1, len(names))):  # naming what the question is about answers nothing
            return None
        limits = sorted(sent.partial.get(rule.id, set()) | ctx.partial.get(rule.id, set()))
        limits += [why for why in ctx.limits if why not in limits]
        where = sent.where.get(rule.id, {})
        if rule.parts and self._only_in_opening(sent, [at for name in own for at in where.get(name, [])], language):
            limits.append(ONLY_IN_PASSING)
        if ONLY_DEFINITION not in limits and definition(sent.text, ""):
            limits.append(ONLY_DEFINITION)
        full = len(answered) == max(1, len(names)) and not limits
        score = (2.0 if full else 1.0) * 10 + len(own) * 2 + len(terms) + 0.25 * (sum(terms.values()) - len(terms))
        return Decision(FULL if full else PART, answered, round(rule.weight * score, 3), limits)

    def _only_in_opening(self, sent: Sentence, mentions: list[int], language: str) -> bool:
        """Whether every mention of a part of the question (word positions) lies in the sentence's
        opening 'As a ...,' phrase: what follows the comma says something else."""
        opening = OPENING_AS.match(sent.text)
        if not opening or not mentions:
            return False
        words = len(self._pipeline(language)[0].make_doc(opening.group(0).strip()))
        return all(at < words for at in mentions)

    def topics(self, text: str, language: str) -> list[str]:
        """Guiding-Principles themes a clause answers, fully or in part."""
        found = set()
        for sent in self.sentences(text, language):
            for rule in self.rulebook.rules:
                if rule.step == "GP" and rule.id in sent.terms and self.decide(rule, sent, None, language):
                    found.add(rule.id.split("-", 1)[-1])
        return sorted(found)


ONLY_DEFINITION = "only a definition of terms: it says what a thing is, not that or how it is done"
ONLY_FORM_ITEM = "only an item of a form or checklist: it says what is checked or asked, not the policy"
ONLY_IN_PASSING = ("names what the question is about only in passing, in an opening 'As a ...' phrase: "
                   "the sentence says something else")
# "As a Registered Training Organisation (RTO), we deliver ...": the opening phrase is a given, the
# statement is what follows the comma ("As required by ...," or "As Key Institute is an RTO," are not
# such a phrase: the article is what makes it one in English)
OPENING_AS = re.compile(r"\s*(?:as\s+(?:a|an|the|our)|sebagai(?:\s+salah\s+satu)?)\s+[^,;:.]{3,80},", re.I)
OTHER_PROCEDURE = ("only from a document whose subject is a look-alike procedure (e.g. crediting trainers' "
                   "industry experience), not the system's own")
# the subject line of a circular, memorandum or letter: what the whole document is about
SUBJECT = re.compile(r"\b(?:subject|perihal|re)\s*:\s*(?P<subject>.+)", re.I | re.S)
SUBJECT_WORDS = 30


def document_subjects(clauses: list[dict]) -> dict[str, tuple[str, str]]:
    """(subject line, language) of every document, "" when its first page states none. OCR may cut the
    line into a heading and the clause under it, so both are read."""
    subjects: dict[str, tuple[str, str]] = {}
    for clause in clauses:
        doc = clause.get("document_id")
        if doc in subjects and subjects[doc][0]:
            continue
        subjects.setdefault(doc, ("", clause.get("language") or "en"))
        if clause.get("page") not in (1, None):
            continue
        heading = (clause.get("heading_path") or "").split(" > ")[-1]
        found = SUBJECT.search(f"{heading} {clause.get('text') or ''}")
        if found:
            subjects[doc] = (" ".join(found["subject"].split()[:SUBJECT_WORDS]), clause.get("language") or "en")
    return subjects


# OCR glues a stop to the next word ('the .Registry of NTTC trainers'): read it as a space
GLUED_STOP = re.compile(r"(?<=\s)[.,;:'](?=[^\W\d_])")
# "... renewed upon expiry, subject to submission of the following: Updated Profile; ...; Certificate of
# Attendance in Assessment Calibration": past the colon the sentence names documents to hand in, and a
# part of a question found only there is a document's name, not what the system does
SUBMITTED_DOCUMENTS = re.compile(
    r"\b(?:submi(?:ssion|tting|t)\s+(?:of\s+)?the\s+following|following\s+(?:documents|attachments)|"
    r"menyerahkan\s+(?:dokumen\s+)?berikut|melampirkan(?:\s+dokumen)?\s+berikut)[^:]{0,40}:", re.I)


@dataclass
class Context:
    """What a clause's headings answer (parts, sub-questions), exclude or limit, per rule id."""
    parts: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    aspects: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    partial: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    excluded: set = field(default_factory=set)
    limits: list[str] = field(default_factory=list)  # for every rule (a definitions section, a form)


@dataclass
class Decision:
    answers: str  # FULL | PART
    parts: list[str]  # the parts of the question answered
    score: float  # ranks the answers of one rule
    limits: list[str]  # why it answers only in part


def _own_parts(rule: Rule, sent: Sentence) -> set:
    """The parts of the question the sentence itself holds; a part with `near` only when one of its
    phrases is that close to a phrase of the first part (what the question is about)."""
    where = sent.where.get(rule.id, {})
    anchor = where.get(rule.parts[0].name, [])
    own = set()
    for part in rule.parts:
        if part.name not in sent.parts.get(rule.id, ()):
            continue
        if part.near and part is not rule.parts[0] and not any(
                abs(a - b) <= part.near for a in anchor for b in where.get(part.name, [])):
            continue
        own.add(part.name)
    return own


_MATCHERS: OrderedDict[str, EvidenceMatcher] = OrderedDict()
_KEEP_MATCHERS = 4  # rulebooks in use at once in a process (tests build many small ones)


def evidence_matcher(rulebook: Rulebook) -> EvidenceMatcher:
    """The process's matcher for this rulebook's content. Compiling the patterns takes seconds
    per language (spaCy's Indonesian data above all), and an extraction, a check and a portfolio
    build each ask for it: it is built once per process and rulebook, not once per call."""
    key = hashlib.sha256(repr(rulebook).encode()).hexdigest()  # every field: the matcher reads its sections too
    if key in _MATCHERS:
        _MATCHERS.move_to_end(key)
    else:
        _MATCHERS[key] = EvidenceMatcher(rulebook)
        while len(_MATCHERS) > _KEEP_MATCHERS:
            _MATCHERS.popitem(last=False)
    return _MATCHERS[key]


def _sentence_box(clause: dict, start: int, end: int) -> tuple | None:
    """Where the sentence is printed: the union of its lines on the page where it starts."""
    raw = clause.get("lines")
    try:
        lines = json.loads(raw) if isinstance(raw, str) and raw else []
    except ValueError:
        lines = []
    text_len = len(clause.get("text") or "")
    if not lines or lines[-1][5] >= text_len:  # no printed lines, or the text was edited since
        return None
    ends = [ln[5] for ln in lines[1:]] + [text_len]
    own = [ln for ln, stop in zip(lines, ends) if ln[5] < end and stop > start]
    if not own:
        return None
    page = own[0][0]
    own = [ln for ln in own if ln[0] == page]
    return (page, min(ln[1] for ln in own), min(ln[2] for ln in own), max(ln[3] for ln in own),
            max(ln[4] for ln in own))


def _verdict(rule: Rule, cited: list[SentenceHit]) -> str:
    if any(h.answers == FULL for h in cited) and not _uncovered(rule, cited):
        return EVIDENCED
    return PARTLY if cited else NONE


def _uncovered(rule: Rule, cited: list[SentenceHit]) -> list[str]:
    touched = {a for h in cited for a in h.aspects}
    return [a.name for a in rule.aspects if a.name not in touched]


def _best(rule: Rule, hits: list[SentenceHit], k: int, full_by_score: int) -> list[SentenceHit]:
    """The k best answers, first the best one, then the best answer of each sub-question the
    taken ones leave open, then further full answers by score while fewer than `full_by_score` are
    taken, and answers that hold a part the taken ones leave open; near-copies of one already taken
    are skipped (a form repeated in an annex with different OCR noise is one piece of evidence)."""
    from rapidfuzz import fuzz

    ranked = sorted(hits, key=lambda h: -h.score)
    best: list[SentenceHit] = []

    def take(hit: SentenceHit) -> None:
        if len(best) < k and hit not in best and not any(fuzz.ratio(hit.sentence, b.sentence) >= 85 for b in best):
            best.append(hit)

    if ranked:
        take(ranked[0])
    for aspect in rule.aspects:
        if aspect.name not in {a for h in best for a in h.aspects}:
            for hit in ranked:
                if aspect.name in hit.aspects:
                    take(hit)
                    break
    for hit in ranked:
        # a further answer in part is cited only for what the ones taken leave open
        if (hit.answers == FULL and len(best) < full_by_score) or set(hit.parts) - {p for h in best for p in h.parts}:
            take(hit)
    return sorted(best, key=lambda h: -h.score)


def _missing(rule: Rule, cited: list[SentenceHit]) -> list[str]:
    if not cited:
        return [p.name for p in rule.parts] or ["an answering sentence"]
    uncovered = _uncovered(rule, cited)
    if any(h.answers == FULL for h in cited):
        return uncovered
    answered = {p for h in cited for p in h.parts}
    limits = list(dict.fromkeys(why for h in cited for why in h.limits))
    missing = [p.name for p in rule.parts if p.name not in answered] + uncovered + limits
    return missing or ["one sentence that answers every part together"]


def judge(clauses: list[dict], rulebook: Rulebook, matcher: EvidenceMatcher | None = None) -> list[Verdict]:
    """Verdicts for every rule over clause rows (dicts with at least text and language)."""
    matcher = matcher or evidence_matcher(rulebook)
    hits: dict[str, list[SentenceHit]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    about = {doc: matcher.context(subject, lang).excluded if subject else set()
             for doc, (subject, lang) in document_subjects(clauses).items()}
    for clause in clauses:
        if not rulebook.is_policy_section(clause.get("heading_path") or ""):
            continue
        language = clause.get("language") or "en"
        ctx = matcher.context(clause.get("heading_path") or "", language)
        for rule_id in about.get(clause.get("document_id"), ()):
            ctx.partial[rule_id].add(OTHER_PROCEDURE)
        for sent in matcher.sentences(clause["text"], language):
            key = re.sub(r"\W+", " ", sent.text.lower()).strip()
            for rule_id in sent.terms:
                rule = rulebook.rule(rule_id)
                if rule.derived_from or (rule_id, key) in seen:  # a repeated form page is one piece of evidence
                    continue
                decision = matcher.decide(rule, sent, ctx, language)
                if decision is None:
                    continue
                seen.add((rule_id, key))
                # a sub-question counts as answered only where the sentence answers without a limit
                aspects = set() if decision.limits else (set(sent.aspects.get(rule_id, ())) |
                                                         ctx.aspects.get(rule_id, set()))
                hits[rule_id].append(SentenceHit(rule_id, decision.score, sorted(sent.terms[rule_id]),
                                                 sent.text[:MAX_QUOTE], clause, decision.answers, decision.parts,
                                                 _sentence_box(clause, sent.start, sent.end), aspects,
                                                 decision.limits))
    verdicts: dict[str, Verdict] = {}
    for rule in (r for r in rulebook.rules if not r.derived_from):
        best = _best(rule, hits[rule.id], rule.thresholds.max_citations, rule.thresholds.full_answers_cited)
        verdicts[rule.id] = Verdict(rule, _verdict(rule, best), round(sum(h.score for h in best), 3), best,
                                    _missing(rule, best) if best else [])
    for rule in (r for r in rulebook.rules if r.derived_from):
        parts = [verdicts[i] for i in rule.derived_from if i in verdicts]
        score = sum(1.0 if v.verdict == EVIDENCED else 0.5 if v.verdict == PARTLY else 0.0 for v in parts)
        citations = [v.citations[0] for v in parts if v.citations][: rule.thresholds.max_citations]
        t = rule.thresholds
        verdict = EVIDENCED if citations and score >= t.evidenced else PARTLY if citations and score >= t.partly else NONE
        verdicts[rule.id] = Verdict(rule, verdict, score, citations if verdict != NONE else [])
    return [verdicts[r.id] for r in rulebook.rules]
