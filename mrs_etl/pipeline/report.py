"""`mrs-etl run` for a person: a progress bar while documents are extracted, then a summary."""
from __future__ import annotations

import os
from pathlib import Path

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_QUARANTINED = 3  # the run finished and published, but some documents were quarantined
EXIT_LOCKED = 4  # another run holds processed/
EXIT_EMPTY = 5  # nothing published: no PDF found, or none could be read (unless --allow-empty)


def run_with_progress(raw: Path, processed: Path, task_runner: str = "thread", dask_address: str | None = None,
                      checks: list[str] | None = None, timeout_s: float = 600.0, memory_mb: int = 1536,
                      allow_empty: bool = False) -> int:
    from mrs_etl.prefect_api import set_defaults

    # Prefect's INFO lines would tear the progress bar apart; warnings and errors still show.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    set_defaults()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from mrs_etl.pipeline.lock import ProcessedLocked
    from mrs_etl.prefect_api import LocalApiUnavailable
    from mrs_etl.review.overrides import OverridesUnreadable
    from pipelines.flows import reporting, run_pipeline

    console = Console(stderr=True, soft_wrap=True)  # an error stays one line, whatever the width
    if not raw.is_dir():
        console.print(f"[red]error:[/] raw directory {raw} does not exist")
        return EXIT_FAILED
    progress = Progress(TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TextColumn("{task.description}"), console=console, transient=True)
    bar = progress.add_task("", total=None)

    def advance(record: dict, total: int) -> None:
        status = "cached" if record.get("cached") else record["status"]
        progress.update(bar, total=total, advance=1, description=f"{record['relpath']} ({status})")

    try:
        with progress, reporting(advance):
            summary = run_pipeline(raw, processed, task_runner=task_runner, dask_address=dask_address,
                                   checks=checks, timeout_s=timeout_s, memory_mb=memory_mb, allow_empty=allow_empty)
    except ProcessedLocked as exc:
        console.print(f"[red]error:[/] {exc}")
        return EXIT_LOCKED
    except (LocalApiUnavailable, OverridesUnreadable) as exc:
        console.print(f"[red]error:[/] {exc}; nothing was published")
        return EXIT_FAILED
    except Exception as exc:  # the run as a whole failed (one bad document never gets here)
        console.print(f"[red]error:[/] the run failed and published nothing: {type(exc).__name__}: {exc}")
        return EXIT_FAILED

    out = Console()
    if summary.refused:
        console.print(f"[red]error:[/] published nothing: {summary.refused}; {processed}/current is unchanged "
                      "(--allow-empty publishes it anyway)")
        return EXIT_EMPTY
    out.print(f"[bold]{summary.documents}[/] documents: [green]{summary.ok} ok[/], "
              f"[{'yellow' if summary.quarantined else 'green'}]{len(summary.quarantined)} quarantined[/]; "
              f"{summary.extracted} extracted, {summary.cached} from cache; {summary.seconds:.1f} s")
    out.print(f"published: {processed}/current -> versions/{summary.version} "
              f"({'new version' if summary.published else 'unchanged'})")
    rows = Table("table", "rows")
    for name, n in summary.rows.items():
        rows.add_row(name, str(n))
    out.print(rows)
    if summary.quarantined:
        quarantine = Table("path", "stage", "reason", "detail", title="quarantined")
        for r in summary.quarantined:
            quarantine.add_row(r["path"], r["stage"], r["reason"], (r["detail"] or "")[:120])
        out.print(quarantine)
    if summary.override_conflicts:
        conflicts = Table("table", "row", "kind", "detail",
                          title="stewards' overrides that did not apply (resolve them in `mrs-etl review`)")
        for c in summary.override_conflicts:
            conflicts.add_row(c["table"], c["row_key"], c["kind"], (c["detail"] or "")[:120])
        out.print(conflicts)
    for name, text in summary.checks.items():
        out.print(f"[bold]check {name}:[/] {text}")
    return EXIT_QUARANTINED if summary.quarantined else EXIT_OK
