"""Generic criteria: lines that say how any work is done (safely, tidily, on record), not which work.

A criterion is generic when it matches a pattern of generic_criteria.toml for its language, or when
it recurs across many units of its own standard ("PPE is selected and used according to job
requirements" in every core unit of a TESDA TR). Generic criteria weigh `generic_weight` instead of
1 in coverage, so a pair that shares only such lines is not comparable, while a unit made of them
(an occupational safety unit) is still compared with its counterpart on the same footing.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from mrs_etl.compare.config import CompareConfig
from mrs_etl.compare.standards import Standard, UnitText

PATTERNS_PATH = Path(__file__).with_name("generic_criteria.toml")
TEMPLATE_SIMILARITY = 0.8


@lru_cache(maxsize=None)
def _data() -> dict:
    return tomllib.loads(PATTERNS_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def _patterns() -> dict[str, tuple[re.Pattern, ...]]:
    return {lang: tuple(re.compile(p) for p in table.get("patterns", ()))
            for lang, table in _data().items() if lang != "themes"}


@lru_cache(maxsize=None)
def _themes() -> dict[str, dict[str, re.Pattern]]:
    return {name: {lang: re.compile(p) for lang, p in theme.items() if isinstance(p, str)}
            for name, theme in _data().get("themes", {}).items()}


@lru_cache(maxsize=None)
def _element_themes() -> frozenset[str]:
    """Themes a unit carries when one of its elements names them (`in_elements = true`), not only its title."""
    return frozenset(name for name, theme in _data().get("themes", {}).items() if theme.get("in_elements"))


def title_themes(title: str, language: str) -> frozenset[str]:
    """The generic themes (safety ...) a unit title names as its competence."""
    lowered = (title or "").lower()
    return frozenset(name for name, by_language in _themes().items()
                     if language in by_language and by_language[language].search(lowered))


def unit_themes(unit: UnitText, language: str) -> frozenset[str]:
    """The generic themes a unit is about: those its title names, and the element-level ones (the
    operator's pre-/post-operation routine) one of its elements names."""
    in_elements = set()
    for title in unit.element_titles:
        in_elements |= title_themes(title, language) & _element_themes()
    return title_themes(unit.title, language) | in_elements


@lru_cache(maxsize=None)
def patterns_sha256() -> str:
    return hashlib.sha256(PATTERNS_PATH.read_bytes()).hexdigest()


def is_generic_text(text: str, language: str) -> bool:
    lowered = (text or "").lower()
    return any(p.search(lowered) for p in _patterns().get(language, ()))


def generic_weights(standard: Standard, self_similarity: np.ndarray, other: Standard, cross_similarity: np.ndarray,
                    config: CompareConfig) -> np.ndarray:
    """One weight per criterion of `standard`, in unit then criterion order.

    cross_similarity: its criteria (rows) against those of the standard it is compared with. A line
    counts as recurring from the units of both standards: a salon's "tools are sanitised and stored"
    stands in every service unit of either qualification, while a trade line stands in one or two.
    """
    owner = np.array([k for k, u in enumerate(standard.units) for _ in u.criteria], dtype=int)
    other_owner = np.array([k for k, u in enumerate(other.units) for _ in u.criteria], dtype=int)
    texts = [c.text for u in standard.units for c in u.criteria]
    weights = np.ones(len(texts))
    units_around = len(standard.units) - 1 + len(other.units)
    need = max(3, int(np.ceil(config.generic_recurrence * units_around)))
    for k, text in enumerate(texts):
        generic = is_generic_text(text, standard.language)
        if not generic:
            # the same line in two elements of one unit is the unit's template (schedule of work is
            # followed, on-going checks are done, further instructions are sought), not its trade
            twins = np.flatnonzero((self_similarity[k] >= TEMPLATE_SIMILARITY) & (owner == owner[k]))
            generic = len(twins) > 1
        if not generic and need <= units_around:
            own = set(owner[self_similarity[k] >= config.generic_similarity]) - {owner[k]}
            theirs = set(other_owner[cross_similarity[k] >= config.generic_similarity]) if cross_similarity.size else set()
            generic = len(own) + len(theirs) >= need
        if generic:
            weights[k] = config.generic_weight
    return weights
