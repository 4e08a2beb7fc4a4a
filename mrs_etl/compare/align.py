"""Align two standards: units one to one, then criteria one to one inside every unit pair.

Both alignments are maximum-weight assignments (scipy linear_sum_assignment) over similarity
matrices; an assigned pair counts only when it reaches its threshold, so a unit may stay alone
(a gap) rather than be forced onto an unrelated one.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from mrs_etl import EXTRACTOR_VERSION
from mrs_etl.compare.config import NOT_COMPARABLE, CompareConfig
from mrs_etl.compare.lexicon import Glossary, Normalizer, default_glossary, lemmatizer_name
from mrs_etl.compare.result import CellScores, ComparisonResult, CriterionMatch, Gap, UnitPair
from mrs_etl.compare.similarity import embedding_similarity, tfidf_similarity, title_similarity
from mrs_etl.compare.standards import Standard, standard_from_json

CROSS_LANGUAGE_FLAG = "different_languages_low_confidence"


def assign(similarity: np.ndarray, threshold: float) -> list[tuple[int, int, float]]:
    """One-to-one pairs (row, column, similarity) maximising the total, keeping those >= threshold."""
    if similarity.size == 0:
        return []
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return [(int(r), int(c), float(similarity[r, c])) for r, c in zip(rows, cols) if similarity[r, c] >= threshold]


def _as_standard(side: Standard | dict) -> Standard:
    return side if isinstance(side, Standard) else standard_from_json(side)


def compare_standards(a: Standard | dict, b: Standard | dict, config: CompareConfig | None = None,
                      glossary: Glossary | None = None) -> ComparisonResult:
    """Comparability of standard A (rows) against standard B (columns).

    a, b: `Standard` objects (mrs_etl.compare.load_standard) or dicts in the standard JSON shape.
    """
    config = config or CompareConfig()
    glossary = glossary or default_glossary()
    a, b = _as_standard(a), _as_standard(b)
    norm_a, norm_b = Normalizer(a.language, glossary), Normalizer(b.language, glossary)

    a_crit = [(u.order, k, c) for u in a.units for k, c in enumerate(u.criteria)]
    b_crit = [(u.order, k, c) for u in b.units for k, c in enumerate(u.criteria)]
    if config.method == "semantic":
        text = embedding_similarity([u.full_text for u in a.units], [u.full_text for u in b.units],
                                    config.semantic_floor)
        crit = embedding_similarity([c.text for _, _, c in a_crit], [c.text for _, _, c in b_crit],
                                    config.semantic_floor)
    else:
        text = tfidf_similarity([norm_a.concepts(u.full_text) for u in a.units],
                                [norm_b.concepts(u.full_text) for u in b.units])
        crit = tfidf_similarity([norm_a.concepts(c.text) for _, _, c in a_crit],
                                [norm_b.concepts(c.text) for _, _, c in b_crit])
    title = title_similarity([norm_a.concepts(u.title) for u in a.units], [norm_b.concepts(u.title) for u in b.units])

    # where each unit's criteria sit in the criteria matrix
    a_span = _spans(a_crit, len(a.units))
    b_span = _spans(b_crit, len(b.units))

    cross_language = a.language != b.language
    cells: dict[tuple[int, int], CellScores] = {}
    score = np.zeros((len(a.units), len(b.units)))
    for i, ua in enumerate(a.units):
        for j, ub in enumerate(b.units):
            sub = crit[a_span[i][0]:a_span[i][1], b_span[j][0]:b_span[j][1]]
            matches = assign(sub, config.criterion_match)
            na, nb = sub.shape
            components = [(config.weight_text, text[i, j]), (config.weight_title, title[i, j])]
            criteria_sim = None
            if na and nb:
                criteria_sim = 2.0 * sum(s for _, _, s in matches) / (na + nb)
                components.append((config.weight_criteria, criteria_sim))
            total_weight = sum(w for w, _ in components)
            s = sum(w * v for w, v in components) / total_weight if total_weight else 0.0
            cov_ab = len(matches) / na if na else 0.0
            cov_ba = len(matches) / nb if nb else 0.0
            flags = []
            if cross_language:
                flags.append(CROSS_LANGUAGE_FLAG)
            if not na or not nb:
                flags.append("no_criteria_to_compare")
            cells[i, j] = CellScores(
                score=float(s), text_similarity=float(text[i, j]), title_similarity=float(title[i, j]),
                criteria_similarity=None if criteria_sim is None else float(criteria_sim),
                coverage_a_in_b=cov_ab, coverage_b_in_a=cov_ba, n_matched=len(matches),
                band=config.band(s, cov_ab, cov_ba),
                flags=tuple(flags), matches=matches)
            score[i, j] = s

    pairs: list[UnitPair] = []
    for i, j, _ in assign(score, config.partial_score):
        cell = cells[i, j]
        if cell.band == NOT_COMPARABLE:
            continue
        ua, ub = a.units[i], b.units[j]
        evidence = [CriterionMatch(ua.criteria[r], ub.criteria[c], r + 1, c + 1, sim) for r, c, sim in cell.matches]
        pairs.append(UnitPair(a=ua, b=ub, cell=cell, criteria=evidence,
                              confidence=config.cross_language_confidence if cross_language else 1.0))

    paired_a = {p.a.order for p in pairs}
    paired_b = {p.b.order for p in pairs}
    partner_of_a = {p.a.order: p.b for p in pairs}
    partner_of_b = {p.b.order: p.a for p in pairs}
    gaps = [_gap("A", u, b.units, score[i, :], partner_of_b, config)
            for i, u in enumerate(a.units) if u.order not in paired_a]
    gaps += [_gap("B", u, a.units, score[:, j], partner_of_a, config)
             for j, u in enumerate(b.units) if u.order not in paired_b]

    settings = {
        **config.as_dict(),
        "lemmatizer_en": lemmatizer_name("en"),
        "lemmatizer_id": lemmatizer_name("id"),
        "glossary": Path(glossary.path).name,
        "glossary_sha256": glossary.sha256,
        "mrs_etl_version": EXTRACTOR_VERSION,
    }
    digest = hashlib.sha256(json.dumps(
        [_identity(a), _identity(b), settings], sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return ComparisonResult(
        comparison_id=digest[:16], a=a, b=b, config=config, settings=settings, cells=cells, score=score,
        pairs=pairs, gaps=gaps, cross_language=cross_language,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))


def _spans(crit: list, n_units: int) -> list[tuple[int, int]]:
    spans = [(0, 0)] * n_units
    start = 0
    for index in range(n_units):
        end = start
        while end < len(crit) and crit[end][0] == index + 1:
            end += 1
        spans[index] = (start, end)
        start = end
    return spans


def _gap(side: str, unit, others, scores: np.ndarray, partner_of_other: dict, config: CompareConfig) -> Gap:
    best = int(np.argmax(scores))
    other = others[best]
    if scores[best] >= config.partial_score and other.order in partner_of_other:
        reason = (f"its closest unit ({other.code}) is aligned with {partner_of_other[other.order].code} "
                  "(the one-to-one assignment maximises the total score)")
    else:
        reason = "no unit of the other standard reaches the partially comparable band"
    return Gap(side, unit, other, float(scores[best]), reason)


def _identity(side: Standard) -> dict:
    if side.input_sha256:
        return {"input_sha256": side.input_sha256}
    units = [(u.code, u.title, u.full_text) for u in side.units]
    return {"content_sha256": hashlib.sha256(json.dumps(units, ensure_ascii=False).encode()).hexdigest()}
