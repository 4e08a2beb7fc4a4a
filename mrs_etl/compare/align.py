"""Align two standards as officials fill a comparability matrix.

Every cell (unit of A x unit of B) gets its directional coverages (share of A's criteria found in
B and of B's in A, generic criteria discounted), its band and its criterion pairs. Every unit gets
its coverage by the set of units of the other side that together cover it ("covered 85 % by B1 +
B3"); a unit that the other side covers below `gap_coverage` is a gap. The one-to-one alignment of
units (scipy linear_sum_assignment) is kept as a summary of the matrix, not as its only truth.
"""
from __future__ import annotations

import hashlib
import json
import re
import warnings
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy.optimize import linear_sum_assignment

from mrs_etl import EXTRACTOR_VERSION, embeddings
from mrs_etl.compare.band_model import BandModel, CellFeatures, default_model
from mrs_etl.compare.config import BANDS, EQUIVALENT, NOT_COMPARABLE, PARTIAL, CompareConfig
from mrs_etl.compare.coverage import covered_by_set, found, weighted_share
from mrs_etl.compare.generic import generic_weights, patterns_sha256, unit_themes
from mrs_etl.compare.lexicon import Glossary, default_glossary, lemmatizer_name, normalizer
from mrs_etl.compare.result import BORDERLINE_FLAG, CellScores, ComparisonResult, CriterionMatch, Gap, UnitCoverage, UnitPair
from mrs_etl.compare.similarity import similarities
from mrs_etl.compare.standards import Standard, UnitText, standard_from_json

CROSS_LANGUAGE_FLAG = "different_languages_low_confidence"
_CODE_NOISE = re.compile(r"[\s.\-_/]+")


def assign(similarity: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (row, column, similarity) maximising the total, keeping those >= threshold."""
    if similarity.size == 0:
        return []
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return [(int(r), int(c), float(similarity[r, c])) for r, c in zip(rows, cols) if similarity[r, c] >= threshold]


def _as_standard(side: Standard | dict) -> Standard:
    return side if isinstance(side, Standard) else standard_from_json(side)


def same_unit(ua: UnitText, ub: UnitText, title_a: list[str], title_b: list[str],
              restated_a: list[list[str]] = (), restated_b: list[list[str]] = ()) -> str | None:
    """'same_code' or 'same_title' when both standards print the same unit, 'restated_unit' when one
    prints it among the several units it restates as one (UnitText.restates), else None."""
    code_a, code_b = _CODE_NOISE.sub("", ua.code).upper(), _CODE_NOISE.sub("", ub.code).upper()
    if code_a and code_a == code_b:
        return "same_code"
    if title_a and sorted(title_a) == sorted(title_b):
        return "same_title"
    if any(t and sorted(t) == sorted(title_b) for t in restated_a) or \
            any(t and sorted(t) == sorted(title_a) for t in restated_b):
        return "restated_unit"
    return None


class Banding(NamedTuple):
    band: str
    reason: str
    probability: float | None = None  # the band model's, when the model decided


def cell_band(config: CompareConfig, features: CellFeatures, model: BandModel | None = None) -> Banding:
    """(band, why, the model's probability): the same unit printed twice is equivalent unless its content
    differs (the judges' rule); every other cell is banded by the fitted model, or by the hand thresholds
    when asked."""
    f = features
    best = max(f.coverage_a_in_b, f.coverage_b_in_a)
    if f.same_unit and not (f.n_criteria_a and f.n_criteria_b):
        return Banding(EQUIVALENT, "same unit, no criteria on one side to show that its content differs")
    if f.same_unit and best >= config.same_unit_min_coverage:
        return Banding(EQUIVALENT, f"same unit, better-covered side {best:.2f}")
    if f.restated_unit:
        # a guide restating several units in one list of a few lines each holds one unit's lines too few
        # to find (one line for 'Implement and coordinate accident-emergency procedures'): the judges
        # take the title it prints as the unit it covers
        return Banding(EQUIVALENT, "the other side prints this unit's title among the units it restates as one")
    if config.bands == "thresholds":
        band = config.band(f.score, f.coverage_a_in_b, f.coverage_b_in_a)
        return Banding(band, f"thresholds: coverages {f.coverage_a_in_b:.2f}/{f.coverage_b_in_a:.2f}, score {f.score:.2f}")
    band, probability, reason = (model or default_model(config.method)).predict(f)
    if f.shared_theme and band == NOT_COMPARABLE:
        # the judges compare two safety units on safety, and two communication units (participate in /
        # lead workplace communication) on communication: the competence of both, at two levels or in two
        # generations of a framework's basic units (NOTES.md, doubtful calls)
        themes = ", ".join(t.replace("_", " ") for t in f.shared_theme)
        return Banding(PARTIAL, f"both units are about one generic competence ({themes}), the competence of both")
    if band == NOT_COMPARABLE and best >= config.covered_floor:
        # a unit whose own criteria are found in the other is part of its competence whatever the
        # other cells of the matrix look like (NOTES.md, Method 3): the model may not say otherwise
        return Banding(PARTIAL, f"{best:.2f} of one unit's criteria (generic lines discounted) are found in the other")
    return Banding(band, f"model p={probability:.2f}: {reason}", probability)


def compare_standards(a: Standard | dict, b: Standard | dict, config: CompareConfig | None = None,
                      glossary: Glossary | None = None) -> ComparisonResult:
    """Comparability of standard A (rows) against standard B (columns).

    a, b: `Standard` objects (mrs_etl.compare.load_standard) or dicts in the standard JSON shape.
    """
    config = config or CompareConfig()
    glossary = glossary or default_glossary()
    a, b = _as_standard(a), _as_standard(b)
    norm_a, norm_b = normalizer(a.language, glossary), normalizer(b.language, glossary)
    cross_language = a.language != b.language
    fallback = None
    if config.method == "multilingual" and cross_language and not embeddings.available():
        # optional extra: without it the lexical path runs, and the outputs say so
        fallback = f"lexical ({embeddings.EXTRA_HINT})"
        warnings.warn(f"{embeddings.EXTRA_HINT}; comparing lexically", stacklevel=2)
        config = replace(config, method="lexical")
    recorded, config = config, config.for_languages(cross_language)
    sims = similarities(a, b, norm_a, norm_b, config)
    weights_a = generic_weights(a, sims.crit_self_a, b, sims.crit, config)
    weights_b = generic_weights(b, sims.crit_self_b, a, sims.crit.T, config)
    titles_a = [norm_a.concepts(u.title) for u in a.units]
    titles_b = [norm_b.concepts(u.title) for u in b.units]
    restated_a = [[norm_a.concepts(t) for t in u.restates] for u in a.units]
    restated_b = [[norm_b.concepts(t) for t in u.restates] for u in b.units]

    a_span, b_span = _spans(a.units), _spans(b.units)
    themes_a = [unit_themes(u, a.language) for u in a.units]
    themes_b = [unit_themes(u, b.language) for u in b.units]
    # how close a pair is relative to each unit's closest counterpart on the other side
    row_best = sims.text.max(axis=1, initial=0.0)
    col_best = sims.text.max(axis=0, initial=0.0)
    closeness = _closeness(sims.crit, a_span, b_span, weights_a, weights_b)
    text_standing = _standing(sims.text)
    closeness_standing = _standing(np.maximum(closeness[0], closeness[1]))
    outline_standing = _standing(sims.outline)
    cells: dict[tuple[int, int], CellScores] = {}
    score = np.zeros((len(a.units), len(b.units)))
    for i, ua in enumerate(a.units):
        wa = weights_a[a_span[i][0]:a_span[i][1]]
        for j, ub in enumerate(b.units):
            wb = weights_b[b_span[j][0]:b_span[j][1]]
            sub = sims.crit[a_span[i][0]:a_span[i][1], b_span[j][0]:b_span[j][1]]
            matches = assign(sub, config.criterion_match)
            na, nb = sub.shape
            components = [(config.weight_text, sims.text[i, j]), (config.weight_title, sims.title[i, j])]
            criteria_sim = None
            if na and nb:
                criteria_sim = 2.0 * sum(s for _, _, s in matches) / (na + nb)
                components.append((config.weight_criteria, criteria_sim))
            total_weight = sum(w for w, _ in components)
            s = sum(w * v for w, v in components) / total_weight if total_weight else 0.0
            found_a, found_b = found(sub, config.criterion_match, axis=1), found(sub, config.criterion_match, axis=0)
            cov_ab, cov_ba = weighted_share(found_a, wa), weighted_share(found_b, wb)
            scope_ab = weighted_share(sims.crit_in_b[a_span[i][0]:a_span[i][1], j] >= config.scope_match, wa)
            scope_ba = weighted_share(sims.crit_in_a[b_span[j][0]:b_span[j][1], i] >= config.scope_match, wb)
            flags = []
            if cross_language:
                flags.append(CROSS_LANGUAGE_FLAG)
            if not na or not nb:
                flags.append("no_criteria_to_compare")
            same = same_unit(ua, ub, titles_a[i], titles_b[j], restated_a[i], restated_b[j])
            if same:
                flags.append(same)
            if (found_a.any() or found_b.any()) and (wa[found_a] < 1).all() and (wb[found_b] < 1).all():
                flags.append("only_generic_criteria_shared")
            features = CellFeatures(
                coverage_a_in_b=cov_ab, coverage_b_in_a=cov_ba,
                raw_coverage_a_in_b=float(found_a.mean()) if na else 0.0,
                raw_coverage_b_in_a=float(found_b.mean()) if nb else 0.0,
                title_similarity=float(sims.title[i, j]), text_similarity=float(sims.text[i, j]), score=float(s),
                same_unit=same is not None, restated_unit=same == "restated_unit", cross_language=cross_language,
                n_criteria_a=na, n_criteria_b=nb,
                text_relative=_relative(sims.text[i, j], row_best[i], col_best[j]),
                scope_coverage_a_in_b=scope_ab, scope_coverage_b_in_a=scope_ba,
                closeness_a_in_b=float(closeness[0][i, j]), closeness_b_in_a=float(closeness[1][i, j]),
                text_standing=float(text_standing[i, j]), closeness_standing=float(closeness_standing[i, j]),
                generic_share_a=float((wa < 1).mean()) if na else 0.0,
                generic_share_b=float((wb < 1).mean()) if nb else 0.0,
                shared_theme=tuple(sorted(themes_a[i] & themes_b[j])),
                outline_similarity=float(sims.outline[i, j]), outline_standing=float(outline_standing[i, j]))
            band, why, probability = cell_band(config, features)
            if same and band != EQUIVALENT:
                flags.append("same_unit_content_differs")
            if config.is_borderline(probability):
                flags.append(BORDERLINE_FLAG)
            cells[i, j] = CellScores(
                score=float(s), text_similarity=float(sims.text[i, j]), title_similarity=float(sims.title[i, j]),
                criteria_similarity=None if criteria_sim is None else float(criteria_sim),
                coverage_a_in_b=cov_ab, coverage_b_in_a=cov_ba, n_matched=len(matches),
                n_found_a=int(found_a.sum()), n_found_b=int(found_b.sum()), band=band, band_reason=why,
                features=features, flags=tuple(flags), matches=_evidence(sub, matches, config.criterion_match))
            score[i, j] = s

    confidence = config.cross_language_confidence if cross_language else 1.0
    pairs = [UnitPair(a=a.units[i], b=b.units[j], cell=cells[i, j], confidence=confidence,
                      criteria=[CriterionMatch(a.units[i].criteria[r], b.units[j].criteria[c], r + 1, c + 1, sim)
                                for r, c, sim in cells[i, j].matches])
             for i, j in _one_to_one(cells, score)]

    coverage = [_unit_coverage("A", ua, b.units, sims.crit[a_span[i][0]:a_span[i][1], :], b_span,
                               weights_a[a_span[i][0]:a_span[i][1]], [cells[i, j] for j in range(len(b.units))],
                               config)
                for i, ua in enumerate(a.units)]
    coverage += [_unit_coverage("B", ub, a.units, sims.crit[:, b_span[j][0]:b_span[j][1]].T, a_span,
                                weights_b[b_span[j][0]:b_span[j][1]], [cells[i, j] for i in range(len(a.units))],
                                config)
                 for j, ub in enumerate(b.units)]
    gaps = [_gap(c, a.units if c.side == "B" else b.units,
                 score[c.unit.order - 1, :] if c.side == "A" else score[:, c.unit.order - 1])
            for c in coverage if c.gap]

    settings = {
        **recorded.as_dict(),
        "criterion_match_used": config.criterion_match,
        "partial_score_used": config.partial_score,
        "similarity": fallback or sims.backend,
        "lemmatizer_en": lemmatizer_name("en"),
        "lemmatizer_id": lemmatizer_name("id"),
        "glossary": Path(glossary.path).name,
        "glossary_sha256": glossary.sha256,
        "generic_criteria_sha256": patterns_sha256(),
        "band_model_sha256": default_model(config.method).sha256 if config.bands == "model" else None,
        "mrs_etl_version": EXTRACTOR_VERSION,
    }
    digest = hashlib.sha256(json.dumps(
        [_identity(a), _identity(b), settings], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return ComparisonResult(
        comparison_id=digest[:16], a=a, b=b, config=recorded, settings=settings, cells=cells, score=score,
        pairs=pairs, gaps=gaps, coverage=coverage, cross_language=cross_language,
        generic_a=tuple(float(w) for w in weights_a), generic_b=tuple(float(w) for w in weights_b),
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _closeness(crit: np.ndarray, a_span, b_span, weights_a: np.ndarray, weights_b: np.ndarray):
    """(A in B, B in A), units x units: the weighted mean of each criterion's best similarity in the other unit."""
    ab, ba = np.zeros((len(a_span), len(b_span))), np.zeros((len(a_span), len(b_span)))
    for i, (a0, a1) in enumerate(a_span):
        for j, (b0, b1) in enumerate(b_span):
            sub = crit[a0:a1, b0:b1]
            if sub.size:
                wa, wb = weights_a[a0:a1], weights_b[b0:b1]
                ab[i, j] = float(sub.max(axis=1) @ wa / wa.sum()) if wa.sum() else 0.0
                ba[i, j] = float(sub.max(axis=0) @ wb / wb.sum()) if wb.sum() else 0.0
    return ab, ba


def _standing(values: np.ndarray) -> np.ndarray:
    """Each cell's value in standard deviations above the mean of all cells of the matrix."""
    if values.size < 2 or values.std() == 0:
        return np.zeros_like(values, dtype=float)
    return (values - values.mean()) / values.std()


def _relative(value: float, best_in_row: float, best_in_column: float) -> float:
    """1.0 when the pair is the closest counterpart of one of its two units, less as it falls behind."""
    shares = [value / best for best in (best_in_row, best_in_column) if best > 0]
    return float(max(shares, default=0.0))


def _evidence(sub: np.ndarray, matches: list[tuple[int, int, float]], threshold: float) -> list[tuple[int, int, float]]:
    """The one-to-one criterion pairs, then each criterion left over with its best counterpart when it
    reaches the threshold (one B criterion often restates two of A), so the evidence shows every
    criterion that the coverage counts as found."""
    out = list(matches)
    if not sub.size:
        return out
    taken_a, taken_b = {r for r, _, _ in matches}, {c for _, c, _ in matches}
    best_b, best_a = sub.argmax(axis=1), sub.argmax(axis=0)
    for r in np.flatnonzero(sub.max(axis=1) >= threshold):
        if r not in taken_a:
            out.append((int(r), int(best_b[r]), float(sub[r, best_b[r]])))
            taken_b.add(int(best_b[r]))
    for c in np.flatnonzero(sub.max(axis=0) >= threshold):
        if c not in taken_b:
            out.append((int(best_a[c]), int(c), float(sub[best_a[c], c])))
    return out


def _one_to_one(cells: dict, score: np.ndarray) -> list[tuple[int, int]]:
    """The summary alignment: one partner per unit, preferring better bands, then higher scores."""
    if score.size == 0:
        return []
    rank = {band: len(BANDS) - k for k, band in enumerate(BANDS)}
    key = np.zeros_like(score)
    for (i, j), cell in cells.items():
        key[i, j] = 0.0 if cell.band == NOT_COMPARABLE else rank[cell.band] + cell.score
    return [(i, j) for i, j, _ in assign(key, 1e-9)]


def _spans(units: list[UnitText]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for unit in units:
        spans.append((start, start + len(unit.criteria)))
        start += len(unit.criteria)
    return spans


def _unit_coverage(side: str, unit: UnitText, others: list[UnitText], rows: np.ndarray, spans: list[tuple[int, int]],
                   weights: np.ndarray, unit_cells: list[CellScores], config: CompareConfig) -> UnitCoverage:
    same = [k for k, cell in enumerate(unit_cells)
            if cell.band == EQUIVALENT and {"same_code", "same_title", "restated_unit"} & set(cell.flags)]
    chosen, share = covered_by_set(rows, spans, weights, config.criterion_match, config.set_min_gain, first=same)
    comparable = any(cell.band != NOT_COMPARABLE for cell in unit_cells)
    if same and (not unit.criteria or any(not others[k].criteria for k in same)):
        share = 1.0  # the same unit, without criteria on one side to show what differs
    return UnitCoverage(side=side, unit=unit, coverage=share, by=[others[k] for k in chosen],
                        gap=share < config.gap_coverage and not same and not comparable)


def _gap(c: UnitCoverage, others: list[UnitText], scores: np.ndarray) -> Gap:
    best = int(np.argmax(scores)) if len(scores) else None
    by = " + ".join(u.code or u.title for u in c.by) or "no unit"
    reason = (f"the other standard covers {c.coverage:.0%} of its criteria ({by}), below the gap threshold, "
              "and no unit of it is partially comparable")
    return Gap(c.side, c.unit, others[best] if best is not None else None,
               float(scores[best]) if best is not None else None, reason)


def _identity(side: Standard) -> dict:
    if side.input_sha256:
        return {"input_sha256": side.input_sha256}
    units = [(u.code, u.title, u.full_text) for u in side.units]
    return {"content_sha256": hashlib.sha256(json.dumps(units, ensure_ascii=False).encode()).hexdigest()}
