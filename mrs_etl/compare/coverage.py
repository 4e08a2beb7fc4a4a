"""Coverage of a unit's criteria: by one unit of the other side, and by a set of them.

Weights come from mrs_etl.compare.generic: 1 for a criterion that says what the unit is about,
`generic_weight` for safety, housekeeping and reporting lines.
"""
from __future__ import annotations

import numpy as np


def found(similarity: np.ndarray, threshold: float, axis: int) -> np.ndarray:
    """Which criteria (rows for axis=1, columns for axis=0) have a counterpart reaching the threshold."""
    length = similarity.shape[0 if axis == 1 else 1]
    if similarity.size == 0:
        return np.zeros(length, dtype=bool)
    return similarity.max(axis=axis) >= threshold


def weighted_share(hit: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return float(weights[hit].sum()) / total if total > 0 else 0.0


def covered_by_set(rows: np.ndarray, spans: list[tuple[int, int]], weights: np.ndarray, threshold: float,
                   min_gain: float, first: list[int] = ()) -> tuple[list[int], float]:
    """Greedy set cover of one unit's criteria (rows) by the other side's units (column spans).

    Units in `first` (the same unit printed in both standards) are taken first; then, repeatedly,
    the unit that adds the most weight, while it adds at least `min_gain` of the unit's weight.
    Returns (the chosen units in order, the share of the weight they cover together).
    """
    total = float(weights.sum())
    if total <= 0 or rows.size == 0:
        return list(first), 0.0
    hits = [found(rows[:, start:end], threshold, axis=1) for start, end in spans]
    covered = np.zeros(rows.shape[0], dtype=bool)
    chosen: list[int] = []
    for k in first:
        chosen.append(k)
        covered |= hits[k]
    while True:
        gains = [float(weights[h & ~covered].sum()) if k not in chosen else 0.0 for k, h in enumerate(hits)]
        if not gains:
            break
        best = int(np.argmax(gains))
        if gains[best] <= 0 or gains[best] < min_gain * total:
            break
        chosen.append(best)
        covered |= hits[best]
    return chosen, float(weights[covered].sum()) / total
