"""`mrs-etl compare A B --out DIR`: load, compare, write, summarise. Returns the exit code."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer

from mrs_etl import embeddings
from mrs_etl.compare.align import compare_standards
from mrs_etl.compare.config import load_config
from mrs_etl.compare.similarity import SemanticUnavailable, check_semantic_available
from mrs_etl.compare.standards import CompareInputError, load_standard
from mrs_etl.compare.writers import write_outputs


def run_compare(a: Path, b: Path, out: Path, config_path: Path | None, method: str | None) -> int:
    try:
        config = load_config(config_path, method=method)
        if config.method == "semantic":
            check_semantic_available()  # before the (slow) loading of the inputs
        if config.method == "multilingual" and not embeddings.available():
            # optional: without it the lexical path runs, and says so
            typer.echo(f"warning: {embeddings.EXTRA_HINT}; comparing with --method lexical", err=True)
            config = replace(config, method="lexical")
        sides = [load_standard(a), load_standard(b)]
    except (CompareInputError, SemanticUnavailable, ValueError, OSError) as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    result = compare_standards(*sides, config)
    written = write_outputs(result, out)
    counts = result.band_counts()
    typer.echo(f"A: {result.a.name} ({len(result.a.units)} units, {result.a.language}); "
               f"B: {result.b.name} ({len(result.b.units)} units, {result.b.language})")
    for row in result.qualifications():
        typer.echo(row["summary"])
    typer.echo(f"aligned pairs: {len(result.pairs)} (equivalent {counts.get('equivalent', 0)}, partially "
               f"comparable {counts.get('partially comparable', 0)}); gaps: "
               f"{sum(g.side == 'A' for g in result.gaps)} in A, {sum(g.side == 'B' for g in result.gaps)} in B")
    if result.cross_language:
        typer.echo("warning: different languages: every pair is flagged low confidence"
                   + ("" if config.method == "multilingual" else
                      " (lexical path: words the glossary lacks are not matched; --method multilingual reads them)"),
                   err=True)
    typer.echo(f"wrote {written['xlsx']}, {written['html']} and {len(written) - 2} table files in {out / 'tables'}")
    return 0
