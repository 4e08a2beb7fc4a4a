"""What a comparison produces, and its rows for the published comparability_* tables."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mrs_etl.compare.band_model import CellFeatures
from mrs_etl.compare.config import NOT_COMPARABLE, CompareConfig
from mrs_etl.compare.standards import CriterionText, Standard, UnitText

# the band model gave the cell's band less than CompareConfig.borderline_probability: an official's reading decides
BORDERLINE_FLAG = "borderline_band"


@dataclass(frozen=True)
class CellScores:
    """Scores of one cell of the matrix (unit of A x unit of B), whether or not the pair is kept."""
    score: float
    text_similarity: float
    title_similarity: float
    criteria_similarity: float | None  # None when a unit has no criteria
    coverage_a_in_b: float  # share of A's criteria found in B, generic criteria discounted
    coverage_b_in_a: float
    n_matched: int  # criterion pairs aligned one to one
    n_found_a: int  # A's criteria with a counterpart in B (one B criterion may restate several)
    n_found_b: int
    band: str
    band_reason: str  # what decided the band (the model's strongest features, or the rule)
    features: CellFeatures = field(repr=False)
    flags: tuple[str, ...]
    # (A criterion index, B criterion index, similarity): one to one first, then leftovers' best counterparts
    matches: list[tuple[int, int, float]] = field(repr=False)


@dataclass(frozen=True)
class CriterionMatch:
    a: CriterionText
    b: CriterionText
    a_position: int  # position of the criterion within its unit, from 1
    b_position: int
    similarity: float


@dataclass
class UnitPair:
    a: UnitText
    b: UnitText
    cell: CellScores
    criteria: list[CriterionMatch]
    confidence: float

    @property
    def band(self) -> str:
        return self.cell.band

    def unmatched(self, side: str) -> list[tuple[int, CriterionText]]:
        unit = self.a if side == "A" else self.b
        taken = {m.a_position if side == "A" else m.b_position for m in self.criteria}
        return [(k, c) for k, c in enumerate(unit.criteria, 1) if k not in taken]


@dataclass
class UnitCoverage:
    """How much of one unit the other side covers, and by which of its units."""
    side: str  # A | B
    unit: UnitText
    coverage: float  # share of the unit's criteria (generic discounted) found in the units of `by` together
    by: list[UnitText]  # in the order they were added: the same unit first, then by what each adds
    gap: bool

    @property
    def by_label(self) -> str:
        return " + ".join(u.code or u.title for u in self.by)


@dataclass
class Gap:
    side: str  # A | B
    unit: UnitText
    closest: UnitText | None  # the other side's best-scoring unit
    closest_score: float | None
    reason: str


@dataclass
class ComparisonResult:
    comparison_id: str
    a: Standard
    b: Standard
    config: CompareConfig
    settings: dict
    cells: dict[tuple[int, int], CellScores]  # keyed by (row index in A, column index in B)
    score: np.ndarray
    pairs: list[UnitPair]  # the one-to-one summary of the matrix
    gaps: list[Gap]
    coverage: list[UnitCoverage]  # every unit of A, then every unit of B
    cross_language: bool
    generic_a: tuple[float, ...]  # weight of every criterion of A (1, or generic_weight)
    generic_b: tuple[float, ...]
    created_at: str

    def pair_for(self, a_code: str) -> UnitPair | None:
        return next((p for p in self.pairs if p.a.code == a_code), None)

    def listed_cells(self) -> list[tuple[UnitText, UnitText, CellScores]]:
        """The cells the Cells sheet and the report list: every comparable cell, and every not comparable
        one flagged borderline_band, since its band is close to a toss and an official should read it."""
        return [(self.a.units[i], self.b.units[j], cell) for (i, j), cell in self.cells.items()
                if cell.band != NOT_COMPARABLE or BORDERLINE_FLAG in cell.flags]

    def coverage_of(self, side: str, order: int) -> UnitCoverage:
        return next(c for c in self.coverage if c.side == side and c.unit.order == order)

    def qualifications(self):
        from mrs_etl.compare.qualification import benchmark

        return benchmark(self)

    def band_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for p in self.pairs:
            counts[p.band] = counts.get(p.band, 0) + 1
        return counts

    def tables(self) -> dict[str, pd.DataFrame]:
        """The comparability_* tables (mrs_etl.schema) with their declared dtypes."""
        from mrs_etl.tables import frame

        cid = self.comparison_id
        kept = {(p.a.order, p.b.order): p for p in self.pairs}
        runs = [{
            "comparison_id": cid, "created_at": self.created_at, "method": self.config.method,
            **{f"{s}_{k}": v for s, std in (("a", self.a), ("b", self.b)) for k, v in _side(std).items()},
            "cross_language": self.cross_language, "n_pairs": len(self.pairs),
            "n_equivalent": self.band_counts().get("equivalent", 0),
            "n_partial": self.band_counts().get("partially comparable", 0),
            "n_gaps_a": sum(g.side == "A" for g in self.gaps), "n_gaps_b": sum(g.side == "B" for g in self.gaps),
            "settings": json.dumps(self.settings, sort_keys=True),
        }]
        units = []
        for (i, j), cell in self.cells.items():
            ua, ub = self.a.units[i], self.b.units[j]
            pair = kept.get((ua.order, ub.order))
            units.append({
                "comparison_id": cid, "a_order": ua.order, "b_order": ub.order,
                "a_code": ua.code, "a_title": ua.title, "a_category": ua.category,
                "b_code": ub.code, "b_title": ub.title, "b_category": ub.category,
                "score": cell.score, "text_similarity": cell.text_similarity,
                "title_similarity": cell.title_similarity, "criteria_similarity": cell.criteria_similarity,
                "coverage_a_in_b": cell.coverage_a_in_b, "coverage_b_in_a": cell.coverage_b_in_a,
                "n_criteria_a": len(ua.criteria), "n_criteria_b": len(ub.criteria), "n_criteria_matched": cell.n_matched,
                "n_criteria_found_a": cell.n_found_a, "n_criteria_found_b": cell.n_found_b,
                "band": cell.band, "band_reason": cell.band_reason, "aligned": pair is not None,
                "confidence": pair.confidence if pair else (self.config.cross_language_confidence
                                                            if self.cross_language else 1.0),
                "flags": ";".join(cell.flags) or None,
            })
        criteria = []
        for (i, j), cell in self.cells.items():
            ua, ub = self.a.units[i], self.b.units[j]
            if cell.band == NOT_COMPARABLE and (ua.order, ub.order) not in kept:
                continue
            base_a, base_b = sum(len(u.criteria) for u in self.a.units[:i]), sum(len(u.criteria) for u in self.b.units[:j])
            used_a, used_b = {r for r, _, _ in cell.matches}, {c for _, c, _ in cell.matches}
            rows = [(r, c, sim, "matched") for r, c, sim in cell.matches]
            rows += [(r, None, None, "only_in_a") for r in range(len(ua.criteria)) if r not in used_a]
            rows += [(None, c, None, "only_in_b") for c in range(len(ub.criteria)) if c not in used_b]
            for n, (r, c, sim, status) in enumerate(rows, 1):
                ca = ua.criteria[r] if r is not None else None
                cb = ub.criteria[c] if c is not None else None
                criteria.append({
                    "comparison_id": cid, "a_order": ua.order, "b_order": ub.order, "evidence_order": n,
                    "a_code": ua.code, "b_code": ub.code, "status": status,
                    "a_position": None if r is None else r + 1, "a_element": ca.element if ca else None,
                    "a_number": ca.number if ca else None, "a_text": ca.text if ca else None,
                    "a_generic": None if r is None else self.generic_a[base_a + r] < 1,
                    "b_position": None if c is None else c + 1, "b_element": cb.element if cb else None,
                    "b_number": cb.number if cb else None, "b_text": cb.text if cb else None,
                    "b_generic": None if c is None else self.generic_b[base_b + c] < 1,
                    "similarity": sim,
                })
        coverage = [{
            "comparison_id": cid, "side": c.side, "order": c.unit.order, "code": c.unit.code, "title": c.unit.title,
            "category": c.unit.category, "n_criteria": len(c.unit.criteria), "coverage": c.coverage,
            "covered_by": c.by_label or None,
            "covered_by_orders": ";".join(str(u.order) for u in c.by) or None, "gap": c.gap,
        } for c in self.coverage]
        gaps = [{
            "comparison_id": cid, "side": g.side, "order": g.unit.order, "code": g.unit.code, "title": g.unit.title,
            "category": g.unit.category, "n_criteria": len(g.unit.criteria),
            "closest_code": g.closest.code if g.closest else None,
            "closest_title": g.closest.title if g.closest else None,
            "closest_score": g.closest_score, "reason": g.reason,
        } for g in self.gaps]
        return {
            "comparability_runs": frame("comparability_runs", runs),
            "comparability_units": frame("comparability_units", units),
            "comparability_criteria": frame("comparability_criteria", criteria),
            "comparability_gaps": frame("comparability_gaps", gaps),
            "comparability_coverage": frame("comparability_coverage", coverage),
            "comparability_qualifications": frame("comparability_qualifications",
                                                  [{"comparison_id": cid, **row} for row in self.qualifications()]),
        }


def _side(std: Standard) -> dict:
    return {"name": std.name, "document": std.document, "language": std.language, "family": std.family,
            "source_sha256": std.source_sha256, "input_path": std.input_path, "input_sha256": std.input_sha256,
            "n_units": len(std.units)}
