"""The qualification benchmarked as a whole (MRS Roadmap step 3).

One row per side: level, nominal hours, units per category, the packaging rules the document
states, how much of this side's core the other side covers, the units the other side lacks, and a
line officials can quote ("B's core is covered 78% by A; A lacks B's units X, Y").
"""
from __future__ import annotations

CATEGORIES = ("basic", "common", "core", "elective")


def _category(unit) -> str:
    category = (unit.category or "").strip().lower()
    return category if category in CATEGORIES else "uncategorised"


def benchmark(result) -> list[dict]:
    """Rows of the comparability_qualifications table (without comparison_id), A then B."""
    rows = []
    for side, std, other_side, other in (("A", result.a, "B", result.b), ("B", result.b, "A", result.a)):
        coverage = [c for c in result.coverage if c.side == side]
        counts = {cat: sum(_category(u) == cat for u in std.units) for cat in (*CATEGORIES, "uncategorised")}
        # core = the units the qualification is about; a standard that does not categorise its units
        # (SKKNI, self-assessment guides) is all core
        core = [c for c in coverage if _category(c.unit) == "core"] or \
            [c for c in coverage if _category(c.unit) == "uncategorised"]
        core_coverage = _criteria_weighted(core)
        lacking = [c.unit for c in coverage if c.gap]
        line = (f"{side}'s core ({len(core)} unit{'s' if len(core) != 1 else ''}) is covered {core_coverage:.0%} "
                f"by {other_side}" if core else f"{side} has no core units")
        line += (f"; {other_side} lacks {side}'s units " + ", ".join(u.code or u.title for u in lacking)) if lacking else \
            f"; every unit of {side} is at least partly covered by {other_side}"
        rows.append({
            "side": side, "name": std.name, "level": std.level, "nominal_hours": std.nominal_hours,
            "n_units": len(std.units), **{f"n_{cat}": n for cat, n in counts.items()},
            "packaging_rules": "\n".join(std.packaging_rules) or None,
            "core_coverage": core_coverage if core else None,
            "overall_coverage": _criteria_weighted(coverage),
            "units_lacking_in_other": "; ".join(_name(u) for u in lacking) or None,
            "summary": line,
        })
    return rows


def _criteria_weighted(coverage) -> float:
    """Coverage of a group of units, each weighing its number of criteria (at least 1)."""
    total = sum(max(1, len(c.unit.criteria)) for c in coverage)
    return sum(c.coverage * max(1, len(c.unit.criteria)) for c in coverage) / total if total else 0.0


def _name(unit) -> str:
    return f"{unit.code} {unit.title}".strip() if unit.code else unit.title
