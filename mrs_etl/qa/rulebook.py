"""The compliance rulebook: questions, evidence terms and thresholds as data a steward edits.

`load_rulebook` validates the whole file and fails with one message naming every problem
(rule id and field), so that a broken edit never produces a silently different check.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_RULEBOOK = Path(__file__).with_name("rulebook.toml")
REQUIRED_LANGUAGES = ("en", "id")
STEPS = ("4", "5", "GP")


class RulebookError(ValueError):
    """The rulebook cannot be used; the message lists what is wrong."""


@dataclass(frozen=True)
class Thresholds:
    evidenced: float
    strong: float
    partly: float
    max_citations: int = 5
    # full answers cited on their score alone; a further one only for a part or sub-question the
    # ones taken leave open (the third-best full answer was a judge's cite about half the time)
    full_answers_cited: int = 2


@dataclass(frozen=True)
class Scoring:
    distinct_term: float = 1.0
    repeat_hit: float = 0.25
    cooccurrence: float = 1.0


@dataclass(frozen=True)
class Part:
    """One part of a rule's question (the actor, the act, the object ...): a sentence answers the
    part when it, or the headings above it, holds one of the part's phrases."""
    name: str
    terms: dict[str, tuple[str, ...]]
    in_heading: bool = True  # the section's heading may answer this part
    # every answer must hold it (the first part always is): a record is no answer to "a register
    # of certificates" unless the sentence or its headings say whose records
    required: bool = False
    # > 0: a phrase of this part counts only within `near` words of a phrase of the first part, a
    # stand-in for "it is said of the same thing" ("a qualified assessor", not "each Qualification
    # is designed with ... our assessors")
    near: int = 0

    def terms_for(self, language: str) -> tuple[str, ...]:
        return self.terms.get(language) or self.terms.get("en", ())


@dataclass(frozen=True)
class Rule:
    id: str
    step: str
    question: str
    evidence: str
    thresholds: Thresholds
    weight: float = 1.0
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    require: dict[str, tuple[str, ...]] = field(default_factory=dict)
    derived_from: tuple[str, ...] = ()
    official_ref: str = ""
    parts: tuple[Part, ...] = ()
    # sub-questions the cited sentences must cover together ("complaints" and "appeals")
    aspects: tuple[Part, ...] = ()
    exclude: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # contexts that answer the question only in part, each named by why (`Part.name`): "an assessor
    # appointed for an appeal" says nothing general about who may assess
    partial: tuple[Part, ...] = ()

    def exclude_for(self, language: str) -> tuple[str, ...]:
        return self.exclude.get(language, ()) + (self.exclude.get("en", ()) if language != "en" else ())

    def terms_for(self, language: str) -> tuple[str, ...]:
        return self.terms.get(language) or self.terms.get("en", ())

    def require_for(self, language: str) -> tuple[str, ...]:
        return self.require.get(language) or self.require.get("en", ())


@dataclass(frozen=True)
class Rulebook:
    version: str
    title: str
    scoring: Scoring
    rules: tuple[Rule, ...]
    path: str = ""
    # the two nearest headings of sections that print a competency standard, not policy (lower case)
    not_policy: tuple[str, ...] = ()
    # the two nearest headings of forms and checklists: their items state what is checked or asked,
    # which answers a question only in part (lower case)
    forms: tuple[str, ...] = ()

    def is_policy_section(self, heading_path: str) -> bool:
        return not _heading_holds(heading_path, self.not_policy)

    def is_form_section(self, heading_path: str) -> bool:
        return _heading_holds(heading_path, self.forms)

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def _heading_holds(heading_path: str, phrases: tuple[str, ...]) -> bool:
    """Whether the section or its part (the two nearest headings) holds one of the phrases as whole
    words, or their plural ('form' finds 'forms', never 'information' or 'formal')."""
    nearest = " > ".join((heading_path or "").split(" > ")[-2:]).lower()
    return any(re.search(r"(?<!\w)" + re.escape(h) + r"(?:s|es)?(?!\w)", nearest) for h in phrases)


def _number(table: dict, key: str, where: str, errors: list[str], default=None):
    value = table.get(key, default)
    if value is None:
        errors.append(f"{where}: missing '{key}'")
    elif isinstance(value, bool) or not isinstance(value, (int, float)):
        errors.append(f"{where}: '{key}' must be a number, got {value!r}")
    return value


def _thresholds(table: dict, where: str, errors: list[str], base: Thresholds | None = None) -> Thresholds:
    get = (lambda k: table.get(k, getattr(base, k))) if base else table.get
    values = {k: _number({k: get(k)}, k, where, errors) for k in ("evidenced", "strong", "partly")}
    counts = {}
    for key, default in (("max_citations", 5), ("full_answers_cited", 2)):
        value = table.get(key, getattr(base, key) if base else default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.append(f"{where}: '{key}' must be a positive integer, got {value!r}")
            value = default
        counts[key] = value
    if all(isinstance(v, (int, float)) for v in values.values()) and values["partly"] > values["evidenced"]:
        errors.append(f"{where}: 'partly' ({values['partly']}) must not exceed 'evidenced' ({values['evidenced']})")
    if any(not isinstance(v, (int, float)) for v in values.values()):
        return base or Thresholds(0, 0, 0, **counts)
    return Thresholds(float(values["evidenced"]), float(values["strong"]), float(values["partly"]), **counts)


def _term_lists(raw, key: str, where: str, errors: list[str], required: bool) -> dict[str, tuple[str, ...]]:
    if raw is None:
        if required:
            errors.append(f"{where}: missing '{key}' (term lists per language: {', '.join(REQUIRED_LANGUAGES)})")
        return {}
    if not isinstance(raw, dict):
        errors.append(f"{where}: '{key}' must be a table of language -> list of phrases")
        return {}
    lists = {}
    for lang, terms in raw.items():
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t.strip() for t in terms):
            errors.append(f"{where}: '{key}.{lang}' must be a non-empty list of non-empty phrases")
            continue
        lists[lang] = tuple(t.strip().lower() for t in terms)
    if required:
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in lists and lang not in raw]
        if missing:
            errors.append(f"{where}: '{key}' has no list for {', '.join(missing)}")
    return lists


def _parts(raw, where: str, errors: list[str], key: str = "parts") -> tuple[Part, ...]:
    if not isinstance(raw, list):
        errors.append(f"{where}: '{key}' must be a list of [[rules.{key}]] tables")
        return ()
    parts = []
    for n, table in enumerate(raw, 1):
        name = table.get("name") if isinstance(table, dict) else None
        at = f"{where} {dict(parts='part', aspects='aspect').get(key, key)} {name or n!r}"
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{at}: missing 'name'")
            continue
        unknown = set(table) - {"name", "terms", "in_heading", "required", "near"}
        if unknown:
            errors.append(f"{at}: unknown field(s) {', '.join(sorted(unknown))}")
        in_heading, required = table.get("in_heading", True), table.get("required", n == 1 and key == "parts")
        for flag, value in (("in_heading", in_heading), ("required", required)):
            if not isinstance(value, bool):
                errors.append(f"{at}: '{flag}' must be true or false")
        near = table.get("near", 0)
        if isinstance(near, bool) or not isinstance(near, int) or near < 0:
            errors.append(f"{at}: 'near' must be a whole number of words (0: anywhere), got {near!r}")
            near = 0
        parts.append(Part(name.strip(), _term_lists(table.get("terms"), "terms", at, errors, required=True),
                          bool(in_heading), bool(required), near))
    return tuple(parts)


def parse_rulebook(data: dict, path: str = "") -> Rulebook:
    errors: list[str] = []
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        errors.append("top level: 'version' (text) is required - it is recorded in every output")
    base = _thresholds(data.get("thresholds", {}), "[thresholds]", errors)
    sc = data.get("scoring", {})
    scoring = Scoring(*(float(_number(sc, k, "[scoring]", errors, getattr(Scoring, k)) or 0)
                        for k in ("distinct_term", "repeat_hit", "cooccurrence")))
    sections = data.get("sections", {})
    headings = {}
    for key in ("not_policy", "forms"):
        phrases = sections.get(key, []) if isinstance(sections, dict) else None
        if not isinstance(phrases, list) or not all(isinstance(h, str) and h.strip() for h in phrases):
            errors.append(f"[sections]: '{key}' must be a list of heading phrases")
            phrases = []
        headings[key] = tuple(h.strip().lower() for h in phrases)
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        errors.append("top level: no [[rules]]")
        raw_rules = []
    rules, seen = [], set()
    for n, raw in enumerate(raw_rules, 1):
        rid = raw.get("id") if isinstance(raw, dict) else None
        where = f"rule {rid!r}" if rid else f"rule #{n}"
        if not isinstance(raw, dict):
            errors.append(f"{where}: must be a table")
            continue
        for key in ("id", "question", "evidence"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                errors.append(f"{where}: missing '{key}'")
        if rid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(rid)
        step = str(raw.get("step", ""))
        if step not in STEPS:
            errors.append(f"{where}: 'step' must be one of {', '.join(STEPS)}, got {step!r}")
        unknown = set(raw) - {"id", "step", "question", "evidence", "weight", "terms", "require",
                              "derived_from", "thresholds", "official_ref", "parts", "aspects", "exclude",
                              "partial"}
        if unknown:
            errors.append(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        derived = raw.get("derived_from", [])
        if not isinstance(derived, list) or not all(isinstance(d, str) for d in derived):
            errors.append(f"{where}: 'derived_from' must be a list of rule ids")
            derived = []
        terms = _term_lists(raw.get("terms"), "terms", where, errors, required=not derived)
        require = _term_lists(raw.get("require"), "require", where, errors, required=False)
        exclude = _term_lists(raw.get("exclude"), "exclude", where, errors, required=False)
        parts = _parts(raw.get("parts", []), where, errors)
        aspects = _parts(raw.get("aspects", []), where, errors, "aspects")
        partial = _parts(raw.get("partial", []), where, errors, "partial")
        weight = _number(raw, "weight", where, errors, 1.0)
        thresholds = _thresholds(raw.get("thresholds", {}), where, errors, base)
        rules.append(Rule(str(rid), step, str(raw.get("question", "")), str(raw.get("evidence", "")),
                          thresholds, float(weight or 1.0), terms, require, tuple(derived),
                          str(raw.get("official_ref", "")), parts, aspects, exclude, partial))
    ids = {r.id for r in rules}
    for rule in rules:
        for ref in rule.derived_from:
            if ref not in ids:
                errors.append(f"rule {rule.id!r}: 'derived_from' names unknown rule {ref!r}")
            elif ref == rule.id:
                errors.append(f"rule {rule.id!r}: 'derived_from' names itself")
    if errors:
        raise RulebookError(f"invalid rulebook {path or '(in memory)'}:\n  - " + "\n  - ".join(errors))
    return Rulebook(version.strip(), str(data.get("title", "")), scoring, tuple(rules), path,
                    headings["not_policy"], headings["forms"])


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    path = Path(path) if path else DEFAULT_RULEBOOK
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RulebookError(f"rulebook not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(f"rulebook {path} is not valid TOML: {exc}") from exc
    return parse_rulebook(data, str(path))
