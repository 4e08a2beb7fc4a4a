"""Agreement of the comparability matrix with matrices judged by hand (tests/data/compare_judged).

Each judged matrix `<A>__<B>.toml` ([meta] a, b; [[pair]] a, b, band, coverage_a_in_b,
coverage_b_in_a, why; [[covered_by]] a, by, coverage; [[gap]] side, unit, why; unlisted pairs are
"not comparable") is compared with mrs-etl's matrix for the same two documents:

- band agreement over the unit pairs that either the judge lists or the tool puts in a comparable
  band (a judged pair the tool leaves out counts as "not comparable", and so does a pair the tool
  keeps that the judge does not list); "cells" reads every cell's band, "one-to-one" only the
  pairs of the one-to-one alignment (what the matrix used to be);
- same-code pairs the judge lists: how many the tool makes equivalent;
- gaps: the judge's gap units found as gaps by the tool (recall) and the tool's gaps the judge
  agrees with (precision);
- with --calibrate, thresholds chosen by leave-one-matrix-out cross-validation: for every matrix,
  the grid point that agrees best on the OTHER matrices is scored on it (the held-out figure).

The documents are extracted from ../shared/corpus/pdf once and cached as standard JSON (--cache).

    .venv/bin/python bench/compare_agreement.py [--judged DIR] [--corpus ../shared/corpus] [--calibrate]
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANDS = {"equivalent": "equivalent", "partially comparable": "partially comparable", "partial": "partially comparable",
         "not comparable": "not comparable"}
NOT_COMPARABLE = "not comparable"
# The calibration grid: the band thresholds and the discount of generic criteria.
GRID = {
    "criterion_match": (0.3, 0.4, 0.45, 0.5, 0.6),
    "generic_weight": (0.1, 0.3, 0.6, 1.0),
    "generic_similarity": (0.4, 0.55),
    "equivalent_coverage": (0.6, 0.7, 0.8),
    "equivalent_min_coverage": (0.2, 0.3, 0.45),
    "partial_coverage": (0.25, 0.35, 0.45, 0.6),
    "partial_score": (0.3, 0.4, 0.5, 1.0),
    "same_unit_min_coverage": (0.2, 0.4),
}
_NOISE = re.compile(r"[\s.\-_/]+")


def _code(text: str) -> str:
    return _NOISE.sub("", text or "").upper()


def _title(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", (text or "").lower()))


@dataclass
class Judged:
    path: Path
    meta: dict
    pairs: dict  # (a unit index, b unit index) -> band
    coverage: dict  # (a index, b index) -> (cov a in b, cov b in a)
    gaps: set  # (side, unit index)
    unresolved: list


def resolve(ref: str, units, codes_to_titles: dict) -> int | None:
    """Index of the unit a judged matrix names by code (or by title, or by a code it gave a code-less unit)."""
    wanted = _code(ref)
    for k, u in enumerate(units):
        if wanted and _code(u.code) == wanted:
            return k
    title = _title(codes_to_titles.get(ref, ref))
    for k, u in enumerate(units):
        if title and _title(u.title) == title:
            return k
    from rapidfuzz import fuzz

    scored = [(fuzz.token_set_ratio(title, _title(u.title)), k) for k, u in enumerate(units)]
    best = max(scored, default=(0, None))
    return best[1] if best[0] >= 85 else None


def load_judged(path: Path, a, b) -> Judged:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    maps = {"a": data.get("a_unit_codes", {}), "b": data.get("b_unit_codes", {})}
    pairs, coverage, gaps, unresolved = {}, {}, set(), []
    for p in data.get("pair", []):
        i, j = resolve(p["a"], a.units, maps["a"]), resolve(p["b"], b.units, maps["b"])
        if i is None or j is None:
            unresolved.append(f"pair {p['a']} x {p['b']}")
            continue
        pairs[i, j] = BANDS[p["band"].strip().lower()]
        coverage[i, j] = (p.get("coverage_a_in_b"), p.get("coverage_b_in_a"))
    for g in data.get("gap", []):
        side = g["side"].strip().lower()
        k = resolve(g["unit"], (a if side == "a" else b).units, maps[side])
        if k is None:
            unresolved.append(f"gap {side} {g['unit']}")
        else:
            gaps.add((side.upper(), k))
    return Judged(path, data.get("meta", {}), pairs, coverage, gaps, unresolved)


def corpus_standard(name: str, corpus: Path, cache: Path):
    """A corpus document as a Standard, extracted once into the cache."""
    from mrs_etl.compare import load_standard

    from mrs_etl.extraction_key import extraction_key

    stem = Path(name).stem
    cached = cache / extraction_key() / f"{stem}.json"
    if not cached.is_file():
        from mrs_etl.extract import extract_pdf
        from mrs_etl.standard_json import to_standard_json
        from mrs_etl.storage import write_bytes_atomic

        extraction = extract_pdf(corpus / "pdf" / f"{stem}.pdf")
        write_bytes_atomic(cached, json.dumps(to_standard_json(extraction), ensure_ascii=False).encode("utf-8"))
    return load_standard(cached)


def tool_bands(result, one_to_one: bool) -> dict:
    if one_to_one:
        aligned = {(p.a.order - 1, p.b.order - 1): p.band for p in result.pairs}
        return {key: band for key, band in aligned.items() if band != NOT_COMPARABLE}
    return {key: cell.band for key, cell in result.cells.items() if cell.band != NOT_COMPARABLE}


def agreement(judged: Judged, result, one_to_one: bool = False) -> tuple[int, int, list]:
    tool = tool_bands(result, one_to_one)
    keys = set(judged.pairs) | set(tool)
    disagreements = []
    agree = 0
    for key in sorted(keys):
        want, got = judged.pairs.get(key, NOT_COMPARABLE), tool.get(key, NOT_COMPARABLE)
        if want == got:
            agree += 1
        else:
            disagreements.append((key, want, got))
    return agree, len(keys), disagreements


def same_code_pairs(judged: Judged, result) -> tuple[int, int]:
    keys = [(i, j) for (i, j) in judged.pairs
            if _code(result.a.units[i].code) and _code(result.a.units[i].code) == _code(result.b.units[j].code)]
    return sum(result.cells[k].band == "equivalent" for k in keys), len(keys)


def gap_scores(judged: Judged, result) -> tuple[int, int, int]:
    tool = {(g.side, g.unit.order - 1) for g in result.gaps}
    return len(tool & judged.gaps), len(judged.gaps), len(tool)


def _compare(a, b, config, cache: dict):
    """compare_standards with the similarities of each pair of standards computed once: the grid
    changes thresholds and weights, never the texts."""
    from mrs_etl.compare import align

    key = (id(a), id(b), config.method)
    original = align.similarities
    if key not in cache:
        cache[key] = original(a, b, *_normalizers(a, b), config)
    align.similarities = lambda *args: cache[key]
    try:
        return align.compare_standards(a, b, config)
    finally:
        align.similarities = original


def _load_vectors(cache: Path):
    """Embeddings kept from earlier runs of this bench (multilingual-e5 is slow on a busy 2-core machine)."""
    import numpy as np

    from mrs_etl import embeddings

    path = cache / "embeddings.npz"
    if path.is_file():
        with np.load(path) as data:
            texts = json.loads(str(data["texts"]))
            embeddings.remember(dict(zip(texts, data["vectors"])))
    return embeddings


def _save_vectors(cache: Path) -> None:
    import numpy as np

    from mrs_etl import embeddings

    items = embeddings.cached()
    if items:
        np.savez(cache / "embeddings.npz", texts=json.dumps(list(items)), vectors=np.stack(list(items.values())))


def _normalizers(a, b):
    from mrs_etl.compare.lexicon import normalizer

    return normalizer(a.language), normalizer(b.language)


def _setting(value: str):
    try:
        return float(value)
    except ValueError:
        return value  # bands=thresholds, method=...


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--judged", type=Path, default=ROOT / "tests" / "data" / "compare_judged")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--cache", type=Path, default=ROOT / "processed" / ".cache" / "compare-bench")
    parser.add_argument("--calibrate", action="store_true",
                        help="leave-one-matrix-out over the hand-threshold grid (bands=thresholds)")
    parser.add_argument("--method", default=None, help="similarity method (default: the config's)")
    parser.add_argument("--verbose", action="store_true", help="list every disagreement")
    parser.add_argument("--only", default="", help="only the matrices whose file name contains this")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a CompareConfig setting other than its default (repeatable)")
    args = parser.parse_args()
    files = [f for f in sorted(args.judged.glob("*__*.toml")) if args.only in f.name]
    if not files:
        print(f"no judged matrices in {args.judged}", file=sys.stderr)
        return 2
    if not (args.corpus / "pdf").is_dir():
        print(f"no corpus at {args.corpus}: nothing to measure", file=sys.stderr)
        return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    from mrs_etl.compare import CompareConfig, compare_standards

    base = CompareConfig() if args.method is None else CompareConfig(method=args.method)
    base = replace(base, **{k: _setting(v) for k, v in (item.split("=", 1) for item in args.set)})
    cases = []
    for path in files:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))["meta"]
        a = corpus_standard(meta["a"], args.corpus, args.cache)
        b = corpus_standard(meta["b"], args.corpus, args.cache)
        cases.append((path, a, b, load_judged(path, a, b)))

    vectors = _load_vectors(args.cache) if base.method == "multilingual" else None
    print(f"{'matrix':70s} {'cells':>12s} {'one-to-one':>12s} {'same code':>10s} {'gaps found':>10s} {'tool gaps ok':>12s}  compare")
    totals = [0, 0, 0, 0]
    for path, a, b, judged in cases:
        started = time.perf_counter()
        result = compare_standards(a, b, base)
        seconds = time.perf_counter() - started
        ok, n, diffs = agreement(judged, result)
        ok1, n1, _ = agreement(judged, result, one_to_one=True)
        same_ok, same_n = same_code_pairs(judged, result)
        gaps_hit, gaps_judged, gaps_tool = gap_scores(judged, result)
        totals = [totals[0] + ok, totals[1] + n, totals[2] + ok1, totals[3] + n1]
        if vectors is not None:
            _save_vectors(args.cache)
        print(f"{path.stem[:70]:70s} {ok:>4d}/{n:<3d} {ok / n:4.0%} {ok1:>4d}/{n1:<3d} {ok1 / n1:4.0%} "
              f"{same_ok:>4d}/{same_n:<4d} {gaps_hit:>4d}/{gaps_judged:<4d}  {gaps_hit:>4d}/{gaps_tool:<4d}  {seconds:6.1f} s")
        for item in judged.unresolved:
            print(f"    unresolved: {item}")
        if args.verbose:
            for (i, j), want, got in diffs:
                cell = result.cells[i, j]
                print(f"    {a.units[i].code or a.units[i].title[:20]:>18s} x {b.units[j].code or b.units[j].title[:20]:<18s}"
                      f" judged {want:22s} tool {got:22s} cov {cell.coverage_a_in_b:.2f}/{cell.coverage_b_in_a:.2f}"
                      f" score {cell.score:.2f} judged cov {judged.coverage.get((i, j))}")
    print(f"{'all (pooled), on the defaults':70s} {totals[0]:>4d}/{totals[1]:<3d} {totals[0] / totals[1]:4.0%} "
          f"{totals[2]:>4d}/{totals[3]:<3d} {totals[2] / totals[3]:4.0%}")
    if args.calibrate:
        calibrate(cases, base)
    return 0


# Settings that change the coverages (the comparison is run again) and those that only change the
# bands read from them (the cells are banded again, which is cheap).
COVERAGE_SETTINGS = ("criterion_match", "generic_weight", "generic_similarity")


def rebanded(result, config) -> dict:
    """The cells' bands under another config whose coverage settings equal the result's."""
    from mrs_etl.compare.align import cell_band

    config = config.for_languages(result.cross_language)
    return {key: cell_band(config, cell.features)[0] for key, cell in result.cells.items()}


def band_agreement(judged: Judged, bands: dict) -> tuple[int, int]:
    tool = {key: band for key, band in bands.items() if band != NOT_COMPARABLE}
    keys = set(judged.pairs) | set(tool)
    return sum(judged.pairs.get(k, NOT_COMPARABLE) == tool.get(k, NOT_COMPARABLE) for k in keys), len(keys)


def calibrate(cases, base) -> None:
    names = list(GRID)
    grid = []
    for values in itertools.product(*(GRID[n] for n in names)):
        settings = dict(zip(names, values))
        if settings["partial_coverage"] > settings["equivalent_coverage"]:
            continue
        grid.append(replace(base, bands="thresholds", **settings))
    print(f"\ncalibration: {len(grid)} grid points x {len(cases)} matrices")
    memo: dict = {}
    results: dict = {}
    table = []  # [grid point][case] = (agree, n)
    for config in grid:
        row = []
        for c, (_, a, b, judged) in enumerate(cases):
            key = (c, *(getattr(config, n) for n in COVERAGE_SETTINGS))
            if key not in results:
                results[key] = _compare(a, b, config, memo)
            row.append(band_agreement(judged, rebanded(results[key], config)))
        table.append(row)

    def pooled(k: int, skip: int | None) -> float:
        ok = sum(table[k][c][0] for c in range(len(cases)) if c != skip)
        n = sum(table[k][c][1] for c in range(len(cases)) if c != skip)
        return ok / n if n else 0.0

    held_ok = held_n = 0
    print(f"{'held-out matrix':70s} {'held-out':>12s}  chosen on the others")
    for c, (path, *_rest) in enumerate(cases):
        best = max(range(len(grid)), key=lambda k: (pooled(k, c), -k))
        ok, n = table[best][c]
        held_ok += ok
        held_n += n
        chosen = {name: getattr(grid[best], name) for name in names}
        print(f"{path.stem[:70]:70s} {ok:>4d}/{n:<3d} {ok / n:4.0%}  {chosen}")
    print(f"{'cross-validated (pooled over held-out matrices)':70s} {held_ok:>4d}/{held_n:<3d} {held_ok / held_n:4.0%}")
    best = max(range(len(grid)), key=lambda k: (pooled(k, None), -k))
    print(f"best on all matrices (in-sample, NOT the figure to quote): {pooled(best, None):.0%} at "
          f"{ {name: getattr(grid[best], name) for name in names} }")
    default = next((k for k, g in enumerate(grid) if all(getattr(g, n) == getattr(base, n) for n in names)), None)
    if default is not None:
        print(f"the defaults on all matrices: {pooled(default, None):.0%}")


if __name__ == "__main__":
    sys.exit(main())
