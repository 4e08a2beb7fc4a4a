"""`mrs-etl portfolio CORRIDOR --out DIR`: build the corridor's portfolio, print its completeness. Returns the exit code."""
from __future__ import annotations

from pathlib import Path

import typer


def run_portfolio(corridors: list[str], out: Path, processed: Path, raw: Path | None) -> int:
    from mrs_etl.portfolio import make_portfolio
    from mrs_etl.portfolio.corridor import CorridorError, load_corridor
    from mrs_etl.portfolio.referencing import FrameworkError
    from mrs_etl.pipeline.publish import current_version

    try:
        loaded = [load_corridor(c) for c in corridors]
    except CorridorError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    if current_version(processed) is None:
        typer.echo(f"error: nothing published in {processed} (run `mrs-etl run` first)", err=True)
        return 2
    status = 0
    for corridor in loaded:
        try:
            folder, pf = make_portfolio(corridor, processed, out, raw)
        except FrameworkError as exc:
            typer.echo(f"error: {corridor.name}: {exc}", err=True)
            status = 2
            continue
        except Exception as exc:  # one corridor's failure must not cost the others theirs; nothing half-written stays
            typer.echo(f"error: {corridor.name}: portfolio failed: {type(exc).__name__}: {exc}", err=True)
            status = max(status, 1)
            continue
        counts = {k: sum(r["status"] == k for r in pf.completeness) for k in ("answered", "partly", "missing")}
        missing = [s.key for s in pf.sections.values() if s.status == "missing"]
        typer.echo(f"{corridor.name}: {counts['answered']} answered, {counts['partly']} partly, {counts['missing']} "
                   f"missing; sections missing: {', '.join(missing) or 'none'} -> {folder}")
        status = max(status, 3 if missing else 0)
    return status
