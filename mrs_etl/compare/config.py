"""Thresholds and weights of the comparability matrix: defaults here, overrides from a TOML file.

Every value is written into the outputs (settings sheet, HTML report, comparability_runs table),
so a matrix can always be read against the rules that produced it.
"""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

METHODS = ("lexical", "semantic", "multilingual")
BAND_RULES = ("model", "thresholds")


@dataclass(frozen=True)
class CompareConfig:
    # lexical | semantic (optional extra `semantic`, English only) | multilingual (optional extra
    # `embeddings`: the lexical reading, or multilingual-e5's where that finds the pair more alike)
    method: str = "lexical"
    # model: a cell's band is read by the classifier of band_model.json (fitted on the hand-judged
    # matrices, bench/fit_band_model.py); thresholds: by the hand thresholds below.
    bands: str = "model"
    # A unit pair's score is the weighted mean of three similarities in [0, 1] (weights renormalised
    # when a unit has no criteria, so a title-only unit is still compared):
    weight_text: float = 0.40  # whole unit text: title, descriptor, element titles, criteria
    weight_title: float = 0.20  # titles alone (rapidfuzz token-set ratio over normalised words)
    weight_criteria: float = 0.40  # criteria aligned one to one: 2 * sum(similarity) / (n_A + n_B)
    # Two criteria are "the same" when their similarity reaches this; below it they stay unmatched.
    criterion_match: float = 0.50
    # A criterion is "in the scope" of a unit of the other side when that unit's text and range of
    # variables hold this share of its (IDF-weighted) words: found in the unit, if not in one criterion.
    scope_match: float = 0.45
    # Bands decide on coverage, as officials do: the share of a unit's criteria found in the other unit,
    # each criterion weighted 1, or `generic_weight` when it is generic (safety, housekeeping,
    # reporting lines, or lines that recur across units of its own standard), so that a pair sharing
    # only generic lines stays "not comparable".
    # equivalent: the better-covered side >= equivalent_coverage and the other >= equivalent_min_coverage
    #             (a unit almost wholly found in a bigger unit is equivalent).
    # partially comparable: the better-covered side >= partial_coverage, or score >= partial_score.
    equivalent_coverage: float = 0.60
    equivalent_min_coverage: float = 0.45
    partial_coverage: float = 0.35
    partial_score: float = 0.50
    generic_weight: float = 0.3
    # A criterion recurs when criteria at least `generic_similarity` alike stand in at least
    # `generic_recurrence` of the other units of both standards together (and in three at least).
    generic_similarity: float = 0.55
    generic_recurrence: float = 0.25
    # The same code, or the same title, in both standards is the same unit (TESDA basic and common
    # units are printed in many qualifications with small wording changes): equivalent unless the
    # better-covered side stays below this, i.e. the content really differs. Low: a self-assessment guide
    # restates its TR's unit in a few broad lines ('Can I assist elderly in their personal needs?'), and
    # the judges call such same-title pairs equivalent with 0.09-0.16 of either side found lexically
    # (caregiving and EIM guides); the one same-code pair they call not comparable shares nothing (0.0:
    # automotive prints ALT723307 on two different units).
    same_unit_min_coverage: float = 0.05
    # a cell where this share of one unit's criteria (generic lines discounted) is found in the other
    # is at least partially comparable, whatever the band model reads
    covered_floor: float = 0.75
    # A cell the band model bands with less than this probability is flagged borderline_band: by
    # leave-one-matrix-out on the judged matrices such cells agree with the judge far less often than the
    # rest (bench/fit_band_model.py prints both), so the flag says where an official's reading decides.
    borderline_probability: float = 0.60
    # A unit of one side is a gap when the units of the other side together cover less than this.
    gap_coverage: float = 0.30
    # A unit of the other side joins the set that covers a unit when it adds at least this share of
    # the unit's (weighted) criteria.
    set_min_gain: float = 0.10
    # Confidence given to every pair when the two standards are written in different languages.
    cross_language_confidence: float = 0.5
    # The semantic method's cosine is rescaled as (cos - floor) / (1 - floor), so unrelated sentences,
    # which embed at a cosine of about 0.1-0.3, do not look partly similar; thresholds then apply as is.
    semantic_floor: float = 0.25
    # multilingual-e5 (mrs_etl.embeddings) packs its cosines into a narrow band: unrelated texts at about
    # 0.78-0.82, restatements across languages at 0.86 and above; [floor, ceiling] is rescaled to [0, 1].
    multilingual_floor: float = 0.82
    multilingual_ceiling: float = 0.88
    # With the multilingual method, standards in two languages are matched on e5's reading: a criterion
    # pair counts only when e5 finds it close (its cosines are noisy line by line), and a unit pair is
    # partially comparable from a lower score, the unit texts carrying the signal (calibrated on the
    # SKKNI x TESDA matrices; same-language pairs keep the lexical settings above).
    multilingual_criterion_match: float = 0.90
    multilingual_partial_score: float = 0.30

    def for_languages(self, cross_language: bool) -> "CompareConfig":
        """The settings that apply to a pair of standards in one or in two languages."""
        if self.method == "multilingual" and cross_language:
            return replace(self, criterion_match=self.multilingual_criterion_match,
                           partial_score=self.multilingual_partial_score)
        return self

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.bands not in BAND_RULES:
            raise ValueError(f"bands must be one of {', '.join(BAND_RULES)}, not {self.bands!r}")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("method", "bands"):
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{f.name} must be a number between 0 and 1, not {value!r}")
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{f.name} must be between 0 and 1, not {value}")
        if self.weight_text + self.weight_title + self.weight_criteria <= 0:
            raise ValueError("at least one weight must be positive")
        if self.partial_coverage > self.equivalent_coverage:
            raise ValueError("partial_coverage must not exceed equivalent_coverage")

    def as_dict(self) -> dict:
        return asdict(self)

    def is_borderline(self, probability: float | None) -> bool:
        """A band the band model gave with less than borderline_probability (None: a rule banded it)."""
        return probability is not None and probability < self.borderline_probability

    def band(self, score: float, coverage_a_in_b: float, coverage_b_in_a: float) -> str:
        """The band by the hand thresholds (bands = "thresholds")."""
        best, other = max(coverage_a_in_b, coverage_b_in_a), min(coverage_a_in_b, coverage_b_in_a)
        if best >= self.equivalent_coverage and other >= self.equivalent_min_coverage:
            return EQUIVALENT
        if best >= self.partial_coverage or score >= self.partial_score:
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
