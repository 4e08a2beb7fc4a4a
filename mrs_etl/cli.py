"""The `mrs-etl` command line.

Each command's function lives with the code it drives (heavy imports stay inside the function
bodies so that `mrs-etl --help` is instant); this module only assembles them.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="ASEAN MRS evidence from national PDFs into validated, traceable tables.")


@app.command()
def extract(
    pdfs: List[Path] = typer.Argument(..., help="PDF files to extract"),
    json_dir: Path = typer.Option(..., "--json-dir", help="Write DIR/<pdf stem>.json for each input"),
    family: Optional[str] = typer.Option(None, help="Force a family profile instead of detecting it"),
) -> None:
    """Extract competency standards (or QA policies) from PDFs into standard JSON files."""
    from mrs_etl.errors import DocumentRejected
    from mrs_etl.extract import extract_pdf
    from mrs_etl.standard_json import to_standard_json
    from mrs_etl.storage import write_json_atomic

    json_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for pdf in pdfs:
        if pdf.is_dir():
            failed += 1
            typer.echo(f"error: {pdf}: is_a_directory: give PDF files (`mrs-etl run --raw {pdf}` reads a "
                       "whole directory)", err=True)
            continue
        try:
            extraction = extract_pdf(pdf, family=family)
        except DocumentRejected as exc:
            failed += 1
            typer.echo(f"error: {pdf}: {exc.reason}: {exc.detail}", err=True)
            continue
        except FileNotFoundError:
            failed += 1
            typer.echo(f"error: {pdf}: not_found: no such file", err=True)
            continue
        except Exception as exc:  # one bad file must not stop the others
            failed += 1
            typer.echo(f"error: {pdf}: extraction_failed: {type(exc).__name__}: {exc}", err=True)
            continue
        out = json_dir / f"{pdf.stem}.json"
        write_json_atomic(out, to_standard_json(extraction))
        n_pc = sum(len(e.criteria) for u in extraction.units for e in u.elements)
        typer.echo(f"{pdf.name}: {extraction.document.family}, {len(extraction.units)} units, "
                   f"{n_pc} criteria, {len(extraction.qa_policies)} QA clauses -> {out}")
    raise typer.Exit(code=1 if failed else 0)


@app.command()
def compare(
    a: Path = typer.Argument(..., help="Standard A (rows; e.g. the sending country's): PDF or standard JSON"),
    b: Path = typer.Argument(..., help="Standard B (columns; e.g. the receiving country's): PDF or standard JSON"),
    out: Path = typer.Option(..., "--out", help="Directory for comparability.xlsx, .html and tables/"),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file of thresholds and weights ([compare])"),
    method: Optional[str] = typer.Option(None, "--method", help="lexical (default) | semantic | multilingual (optional extras)"),
) -> None:
    """Comparability matrix of two competency standards: units aligned one to one, criteria evidence, gaps."""
    from mrs_etl.compare.cli import run_compare

    raise typer.Exit(run_compare(a, b, out, config, method))


@app.command()
def families() -> None:
    """List the document family profiles this build knows."""
    from mrs_etl.registry import profiles

    for p in profiles():
        typer.echo(f"{p.name}\t{p.kind}\t{p.country or '-'}\t{p.language or '-'}")


@app.command()
def run(
    raw: Path = typer.Option(Path("raw"), "--raw", help="Directory of input PDFs (searched at any depth)"),
    processed: Path = typer.Option(Path("processed"), "--processed", help="Where versions are published"),
    task_runner: str = typer.Option("thread", "--task-runner", help="thread | dask"),
    dask_address: Optional[str] = typer.Option(None, "--dask-address", help="Existing Dask scheduler, e.g. tcp://10.0.0.5:8786"),
    check: List[str] = typer.Option([], "--check", help="Run a check after publishing: comparability | compliance"),
    timeout: float = typer.Option(600.0, help="Seconds one document may take before it is quarantined"),
    memory_mb: int = typer.Option(1536, help="Resident memory one document's extraction may use"),
    allow_empty: bool = typer.Option(False, "--allow-empty", help="Publish even when no PDF is found or none "
                                     "can be read (by default the current version is kept and the exit status is 5)"),
) -> None:
    """Run the pipeline: raw/ -> validated tables in processed/current (exit 3 when some were quarantined)."""
    from mrs_etl.pipeline.report import run_with_progress

    raise typer.Exit(run_with_progress(raw, processed, task_runner, dask_address, check or None, timeout, memory_mb,
                                       allow_empty))


@app.command()
def serve(
    cron: str = typer.Option("0 2 * * *", help="When to run, cron syntax (server time zone)"),
    interval: Optional[float] = typer.Option(None, help="Run every SECONDS instead of on the cron schedule"),
    raw: Path = typer.Option(Path("raw"), "--raw"),
    processed: Path = typer.Option(Path("processed"), "--processed"),
    name: str = typer.Option("mrs-etl-scheduled", help="Deployment name shown in the Prefect UI"),
) -> None:
    """Serve the pipeline on a schedule (needs a Prefect API: set PREFECT_API_URL, see README)."""
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():  # a temporary server runs no scheduler: nothing would ever run
        typer.echo("error: serving a schedule needs a Prefect server: run `prefect server start` in another shell "
                   "and export PREFECT_API_URL=http://127.0.0.1:4200/api", err=True)
        raise typer.Exit(2)
    from pipelines.flows import mrs_etl_pipeline

    when = {"interval": interval} if interval else {"cron": cron}
    # limit=1: a run that starts while the previous one still works would only be refused by processed/.lock
    mrs_etl_pipeline.serve(name=name, **when, limit=1, parameters={
        "raw_dir": str(raw.resolve()), "processed_dir": str(processed.resolve())})


@app.command("make-sample")
def make_sample(
    out: Path = typer.Option(Path("raw"), "--out", help="Directory to write the sample PDFs into"),
) -> None:
    """Render the bundled sample documents (a TESDA-like TR, an SKKNI-like standard, a QA policy)."""
    from mrs_etl.generated_documents.sample import write_sample

    for path in write_sample(out):
        typer.echo(path)


@app.command()
def review(
    processed: Path = typer.Option(Path("processed"), "--processed", help="Published tables (processed/current)"),
    raw: Path = typer.Option(Path("raw"), "--raw", help="The PDFs the documents table's paths are relative to"),
    host: str = typer.Option("127.0.0.1", help="Address to listen on; anything but loopback needs --token"),
    port: int = typer.Option(8765, help="Port to listen on"),
    token: Optional[str] = typer.Option(None, envvar="MRS_ETL_REVIEW_TOKEN", help="Required on every request"),
    overrides: Optional[Path] = typer.Option(None, help="Overrides store (default: ../review/overrides.sqlite "
                                             "beside processed/)"),
) -> None:
    """Start the data stewards' review app: rows on their PDF page, corrections kept across re-runs."""
    from mrs_etl.review.app import serve as serve_review
    from mrs_etl.review.overrides import OverridesUnreadable

    try:
        serve_review(processed, raw, host=host, port=port, token=token, overrides=overrides)
    except (ValueError, OverridesUnreadable) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def comply(
    pdfs: List[Path] = typer.Argument(..., help="QA documents: circulars, manuals, handbooks, forms"),
    system: str = typer.Option(..., "--system", help="Name of the QA system checked, e.g. PH-TESDA"),
    out: Path = typer.Option(..., "--out", help="Directory for compliance.xlsx/.html and the tables"),
    rulebook: Optional[Path] = typer.Option(None, help="Rulebook TOML (default: the bundled one)"),
) -> None:
    """Guiding-Principles compliance check: a verdict and cited evidence per rulebook question."""
    from mrs_etl.qa.comply import NothingToCheck
    from mrs_etl.qa.comply import comply as run_comply
    from mrs_etl.qa.rulebook import RulebookError

    try:
        result = run_comply(pdfs, system, out, rulebook)
    except RulebookError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2)
    except NothingToCheck as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1)
    for name, reason, detail in result.rejected:
        typer.echo(f"error: {name}: {reason}: {detail}", err=True)
    for name, doubt in result.warnings:
        typer.echo(f"warning: {name}: {doubt}", err=True)
    verdicts = result.tables["compliance_verdicts"]
    for verdict, n in verdicts["verdict"].value_counts().items():
        typer.echo(f"{verdict}: {n}")
    typer.echo(f"rulebook {verdicts['rulebook_version'].iloc[0]}; wrote {len(result.written)} files to {out}")
    raise typer.Exit(code=1 if result.rejected else 0)


@app.command()
def portfolio(
    corridors: List[str] = typer.Argument(..., help="Corridor names (corridors/<name>.toml) or TOML files"),
    out: Path = typer.Option(..., "--out", help="Directory; each corridor gets its own folder in it"),
    processed: Path = typer.Option(Path("processed"), "--processed", help="Published tables (processed/current)"),
    raw: Path = typer.Option(Path("raw"), "--raw", help="The PDFs, to copy as sources and check quoted facts"),
) -> None:
    """MRS portfolio of a corridor (steps 1-7b): HTML, PDF, workbooks, manifest (exit 3 when a section is missing)."""
    from mrs_etl.portfolio.cli import run_portfolio

    raise typer.Exit(run_portfolio(corridors, out, processed, raw))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
