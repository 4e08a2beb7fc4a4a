"""Inter-judge agreement: each matrix in tests/data/compare_judged/second_judge/ against the first judgment of the
same pair in tests/data/compare_judged/.

The unit pairs counted are those where either judge lists a comparable band (equivalent or partially comparable); a
pair a judge does not list, or lists as "not comparable", is "not comparable" (the convention the comparability
matrix is measured by). Prints, per matrix and pooled: exact band agreement, agreement on comparable vs not, the
disagreeing pairs, the mean difference of the coverage estimates on pairs both judges list, and the gaps both judges
name. Band agreement between two judges is the ceiling a tool can be expected to reach against one of them.

    python bench/judge_agreement.py
"""
from __future__ import annotations

import tomllib
from pathlib import Path

JUDGED_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "compare_judged"
NOT = "not comparable"
SHORT = {"equivalent": "eq", "partially comparable": "part", NOT: "not"}


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _bands(m: dict) -> dict[tuple[str, str], str]:
    return {(p["a"], p["b"]): p["band"] for p in m.get("pair", [])}


def _coverages(m: dict) -> dict[tuple[str, str], tuple[float, float]]:
    return {(p["a"], p["b"]): (p["coverage_a_in_b"], p["coverage_b_in_a"]) for p in m.get("pair", [])}


def _gaps(m: dict) -> set[tuple[str, str]]:
    return {(g["side"], g["unit"]) for g in m.get("gap", [])}


def band_agreement(first: dict, second: dict) -> tuple[int, int, int, list[tuple[tuple[str, str], str, str]]]:
    """(pairs, same band, same comparable-or-not, disagreements) over pairs either judge finds comparable."""
    b1, b2 = _bands(first), _bands(second)
    pairs = sorted(k for k in set(b1) | set(b2) if b1.get(k, NOT) != NOT or b2.get(k, NOT) != NOT)
    same = sum(b1.get(k, NOT) == b2.get(k, NOT) for k in pairs)
    binary = sum((b1.get(k, NOT) == NOT) == (b2.get(k, NOT) == NOT) for k in pairs)
    diff = [(k, b1.get(k, NOT), b2.get(k, NOT)) for k in pairs if b1.get(k, NOT) != b2.get(k, NOT)]
    return len(pairs), same, binary, diff


def main() -> None:
    pooled = [0, 0, 0]
    pooled_listed = [0, 0]
    for second_path in sorted((JUDGED_DIR / "second_judge").glob("*.toml")):
        first, second = _load(JUDGED_DIR / second_path.name), _load(second_path)
        n, same, binary, diff = band_agreement(first, second)
        pooled = [pooled[0] + n, pooled[1] + same, pooled[2] + binary]
        print(f"{second_path.stem}: {n} pairs comparable for either judge; band agreement {same}/{n} = "
              f"{same / n:.0%}; comparable-or-not agreement {binary}/{n} = {binary / n:.0%}")
        for (a, b), band1, band2 in diff:
            print(f"    {a} x {b}: first {SHORT[band1]}, second {SHORT[band2]}")
        c1, c2 = _coverages(first), _coverages(second)
        both = sorted(set(c1) & set(c2))
        if both:
            mad = sum(abs(c1[k][i] - c2[k][i]) for k in both for i in (0, 1)) / (2 * len(both))
            print(f"    coverage estimates on the {len(both)} pairs both list: mean |difference| {mad:.2f}")
        b1, b2 = _bands(first), _bands(second)
        listed = set(b1) | set(b2)
        agree = sum(b1.get(k, NOT) == b2.get(k, NOT) for k in listed)
        pooled_listed[0] += len(listed)
        pooled_listed[1] += agree
        print(f"    over all {len(listed)} pairs either judge lists (tempting 'not comparable' pairs included): "
              f"{agree}/{len(listed)} = {agree / len(listed):.0%}")
        g1, g2 = _gaps(first), _gaps(second)
        print(f"    gaps: {len(g1 & g2)} named by both, {len(g1 - g2)} by the first only "
              f"{sorted(u for _, u in g1 - g2)}, {len(g2 - g1)} by the second only {sorted(u for _, u in g2 - g1)}")
    n, same, binary = pooled
    print(f"pooled: band agreement {same}/{n} = {same / n:.0%}; comparable-or-not {binary}/{n} = {binary / n:.0%}; "
          f"over all listed pairs {pooled_listed[1]}/{pooled_listed[0]} = {pooled_listed[1] / pooled_listed[0]:.0%}")


if __name__ == "__main__":
    main()
