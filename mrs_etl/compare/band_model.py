"""The band of a cell, read by a small fitted classifier from features an official can name.

band_model.json (fitted by bench/fit_band_model.py on the hand-judged matrices in
tests/data/compare_judged, cross-validated leave-one-matrix-out) holds, per band, a logistic-regression
intercept and one coefficient per feature of standardised features. A cell's band is the band with
the highest score; what decided it is recorded with the cell: the features that pushed hardest towards
that band (coefficient x standardised value), so the matrix says "partially comparable: coverage of the
smaller side 0.42 (+1.3), title similarity 0.71 (+0.6)". The same code or the same title in both
standards stays the rule it was (CompareConfig.same_unit_min_coverage): the judge's convention, not a
fitted one. `CompareConfig(bands="thresholds")` bands by the hand thresholds instead.
"""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("band_model.json")
MULTILINGUAL_MODEL_PATH = Path(__file__).with_name("band_model_multilingual.json")

# What each feature means, in the words the cell's reason uses; the model file names the subset it uses.
FEATURES = {
    "coverage_max": "coverage of the better-covered side",
    "coverage_min": "coverage of the other side",
    "raw_coverage_max": "coverage of the better-covered side counting generic lines in full",
    "raw_coverage_min": "coverage of the other side counting generic lines in full",
    "title_similarity": "title similarity",
    "text_similarity": "unit text similarity",
    "score": "unit score",
    "same_unit": "same code or title",
    "cross_language": "different languages",
    "size_ratio": "criteria of the smaller unit / of the larger",
    "text_relative": "text similarity relative to the closest counterpart",
    "closest_counterpart": "closest counterpart of one of the two units",
    "scope_coverage_max": "share of the better-covered side's criteria whose words the other unit holds",
    "scope_coverage_min": "share of the other side's criteria whose words the other unit holds",
    "closeness_max": "mean closeness of the better-matched side's criteria to their best counterpart",
    "closeness_min": "mean closeness of the other side's criteria to their best counterpart",
    "generic_share_min": "share of generic lines in the less generic of the two units",
    "shared_theme": "both titles name the same generic competence (safety, workplace communication ...)",
    "text_standing": "unit text similarity against the matrix's other cells (standard deviations)",
    "closeness_standing": "criteria closeness against the matrix's other cells (standard deviations)",
    "outline_similarity": "similarity of the unit and element titles",
    "outline_standing": "similarity of the unit and element titles against the matrix's other cells (standard deviations)",
}


@dataclass(frozen=True)
class CellFeatures:
    coverage_a_in_b: float
    coverage_b_in_a: float
    raw_coverage_a_in_b: float
    raw_coverage_b_in_a: float
    title_similarity: float
    text_similarity: float
    score: float
    same_unit: bool
    cross_language: bool
    n_criteria_a: int
    n_criteria_b: int
    text_relative: float  # text similarity / that of the closer unit's closest counterpart (1 = closest)
    # criteria whose words the other unit's scope text holds (similarity.containment >= scope_match)
    scope_coverage_a_in_b: float = 0.0
    scope_coverage_b_in_a: float = 0.0
    # generic-weighted mean, over a unit's criteria, of the similarity of its closest criterion in the
    # other unit: coverage without a threshold, for readings (two languages) whose similarities run low
    closeness_a_in_b: float = 0.0
    closeness_b_in_a: float = 0.0
    # how far the cell stands out from the rest of its matrix, in standard deviations: similarities run
    # on another scale between two languages than within one, the contrast with the background does not
    text_standing: float = 0.0
    closeness_standing: float = 0.0
    # the share of each unit's criteria that are generic: two safety (or housekeeping) units are about
    # what other units carry as side lines, and the judges compare them on it (doubtful calls, NOTES.md)
    generic_share_a: float = 0.0
    generic_share_b: float = 0.0
    # the generic competences of generic_criteria.toml [themes] that both titles name, by name
    shared_theme: tuple[str, ...] = ()
    # the same unit because one side prints its title among several units it restates as one
    restated_unit: bool = False
    # the unit and element titles of the two units (UnitText.outline_text): the judges' partial pairs
    # often share one element ('Perform estimation' in a unit on calculation) that the criteria word apart
    outline_similarity: float = 0.0
    outline_standing: float = 0.0

    def values(self) -> dict[str, float]:
        small, large = sorted((self.n_criteria_a, self.n_criteria_b))
        return {
            "coverage_max": max(self.coverage_a_in_b, self.coverage_b_in_a),
            "coverage_min": min(self.coverage_a_in_b, self.coverage_b_in_a),
            "raw_coverage_max": max(self.raw_coverage_a_in_b, self.raw_coverage_b_in_a),
            "raw_coverage_min": min(self.raw_coverage_a_in_b, self.raw_coverage_b_in_a),
            "title_similarity": self.title_similarity,
            "text_similarity": self.text_similarity,
            "score": self.score,
            "same_unit": float(self.same_unit),
            "cross_language": float(self.cross_language),
            "size_ratio": small / large if large else 0.0,
            "text_relative": self.text_relative,
            "closest_counterpart": float(self.text_relative >= 0.999),
            "scope_coverage_max": max(self.scope_coverage_a_in_b, self.scope_coverage_b_in_a),
            "scope_coverage_min": min(self.scope_coverage_a_in_b, self.scope_coverage_b_in_a),
            "closeness_max": max(self.closeness_a_in_b, self.closeness_b_in_a),
            "closeness_min": min(self.closeness_a_in_b, self.closeness_b_in_a),
            "generic_share_min": min(self.generic_share_a, self.generic_share_b),
            "shared_theme": float(bool(self.shared_theme)),
            "text_standing": self.text_standing,
            "closeness_standing": self.closeness_standing,
            "outline_similarity": self.outline_similarity,
            "outline_standing": self.outline_standing,
        }


@dataclass(frozen=True)
class BandModel:
    bands: tuple[str, ...]
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    intercept: tuple[float, ...]  # one per band
    coef: tuple[tuple[float, ...], ...]  # [band][feature]
    sha256: str = ""

    def contributions(self, features: CellFeatures) -> list[list[float]]:
        values = features.values()
        z = [(values[f] - m) / s for f, m, s in zip(self.features, self.mean, self.scale)]
        return [[c * v for c, v in zip(row, z)] for row in self.coef]

    def predict(self, features: CellFeatures) -> tuple[str, float, str]:
        """(band, its probability, the reason: the features that pushed most towards it)."""
        parts = self.contributions(features)
        logits = [b + sum(p) for b, p in zip(self.intercept, parts)]
        top = max(logits)
        exp = [math.exp(v - top) for v in logits]
        k = max(range(len(self.bands)), key=lambda n: logits[n])
        # towards the winner: its contribution minus the mean of the other bands'
        others = [n for n in range(len(self.bands)) if n != k]
        push = [parts[k][f] - sum(parts[n][f] for n in others) / len(others) for f in range(len(self.features))]
        values = features.values()
        ranked = sorted(range(len(self.features)), key=lambda f: -push[f])[:2]
        reason = ", ".join(f"{FEATURES[self.features[f]]} {values[self.features[f]]:.2f} ({push[f]:+.1f})"
                           for f in ranked if push[f] > 0)
        return self.bands[k], exp[k] / sum(exp), reason

    def as_dict(self) -> dict:
        return {"bands": list(self.bands), "features": list(self.features), "mean": list(self.mean),
                "scale": list(self.scale), "intercept": list(self.intercept), "coef": [list(r) for r in self.coef]}


def model_from_dict(data: dict, sha256: str = "") -> BandModel:
    unknown = set(data["features"]) - set(FEATURES)
    if unknown:
        raise ValueError(f"band model: unknown features {', '.join(sorted(unknown))}")
    return BandModel(tuple(data["bands"]), tuple(data["features"]), tuple(data["mean"]), tuple(data["scale"]),
                     tuple(data["intercept"]), tuple(tuple(r) for r in data["coef"]), sha256)


def model_path(method: str = "lexical") -> Path:
    """The model file of a similarity method: the multilingual extra reads cross-language cells on
    e5's similarities, which run on another scale than the lexical ones, so it has a model of its own."""
    return MULTILINGUAL_MODEL_PATH if method == "multilingual" else MODEL_PATH


@lru_cache(maxsize=None)
def default_model(method: str = "lexical") -> BandModel:
    path = model_path(method)
    if not path.is_file():
        path = MODEL_PATH
    raw = path.read_bytes()
    return model_from_dict(json.loads(raw), hashlib.sha256(raw).hexdigest())
