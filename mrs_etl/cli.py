"""The `mrs-etl` command line.

Each command's function lives with the code it drives (heavy imports stay inside the function
bodies so that `mrs-etl --help` is instant); this module only assembles them.
"""
from __future__ import annotations

import json
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
def families() -> None:
    """List the document family profiles this build knows."""
    from extractors import PROFILES

    for p in PROFILES:
        typer.echo(f"{p.name}\t{p.kind}\t{p.country or '-'}\t{p.language or '-'}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
