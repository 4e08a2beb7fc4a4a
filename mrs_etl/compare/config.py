"""Thresholds and weights of the comparability matrix: defaults here, overrides from a TOML file.

Every value is written into the outputs (settings sheet, HTML report, comparability_runs table),
so a matrix can always be read against the rules that produced it.
"""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

METHODS = ("lexical", "semantic")


@dataclass(frozen=True)
class CompareConfig:
    method: str = "lexical"  # lexical | semantic (needs the optional `semantic` extra)
    # A unit pair's score is the weighted mean of three similarities in [0, 1] (weights renormalised
    # when a unit has no criteria, so a title-only unit is still compared):
    weight_text: float = 0.40  # whole unit text: title, descriptor, element titles, criteria
    weight_title: float = 0.20  # titles alone (rapidfuzz token-set ratio over normalised words)
    weight_criteria: float = 0.40  # criteria aligned one to one: 2 * sum(similarity) / (n_A + n_B)
    # Two criteria are "the same" when their similarity reaches this; below it they stay unmatched.
    criterion_match: float = 0.30
    # Bands. equivalent: score >= equivalent_score and BOTH directional coverages >= equivalent_coverage.
    # partially comparable: otherwise, score >= partial_score. not comparable: the rest.
    equivalent_score: float = 0.55
    equivalent_coverage: float = 0.70
    partial_score: float = 0.30
    # Confidence given to every pair when the two standards are written in different languages.
    cross_language_confidence: float = 0.5
    # The semantic method's cosine is rescaled as (cos - floor) / (1 - floor), so unrelated sentences,
    # which embed at a cosine of about 0.1-0.3, do not look partly similar; thresholds then apply as is.
    semantic_floor: float = 0.25

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "method" and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValueError(f"{f.name} must be a number between 0 and 1, not {value!r}")
            if f.name != "method" and not 0.0 <= value <= 1.0:
                raise ValueError(f"{f.name} must be between 0 and 1, not {value}")
        if self.weight_text + self.weight_title + self.weight_criteria <= 0:
            raise ValueError("at least one weight must be positive")
        if self.partial_score > self.equivalent_score:
            raise ValueError("partial_score must not exceed equivalent_score")

    def as_dict(self) -> dict:
        return asdict(self)

    def band(self, score: float, coverage_a_in_b: float, coverage_b_in_a: float) -> str:
        if score >= self.equivalent_score and min(coverage_a_in_b, coverage_b_in_a) >= self.equivalent_coverage:
            return EQUIVALENT
        if score >= self.partial_score:
            return PARTIAL
        return NOT_COMPARABLE


EQUIVALENT = "equivalent"
PARTIAL = "partially comparable"
NOT_COMPARABLE = "not comparable"
BANDS = (EQUIVALENT, PARTIAL, NOT_COMPARABLE)


def load_config(path: str | Path | None = None, **overrides) -> CompareConfig:
    """Defaults, then the [compare] table (or the top level) of a TOML file, then keyword overrides."""
    values: dict = {}
    if path is not None:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        values = dict(data.get("compare", data))
        known = {f.name for f in fields(CompareConfig)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"{path}: unknown settings {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(CompareConfig(), **values)
