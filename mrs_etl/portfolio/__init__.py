"""The MRS portfolio of evidence for a corridor (Roadmap steps 1, 6, 7a, 7b, with steps 2-5).

    corridor = load_corridor("ph-id-computer-systems-servicing")   # corridors/<name>.toml or a path
    folder, portfolio = make_portfolio(corridor, "processed", "out/portfolio", raw_dir="raw")

Kept free of heavy imports: the pipeline imports mrs_etl.portfolio.catalogue for the step-1 table.
"""
from __future__ import annotations

from pathlib import Path


def make_portfolio(corridor, processed_dir: str | Path, out_dir: str | Path, raw_dir: str | Path | None = "raw"):
    """Read the current processed version and write the corridor's folder; returns (folder, Portfolio)."""
    from mrs_etl.portfolio.write import write_portfolio
    from mrs_etl.pipeline.publish import current_version, read_published

    tables = read_published(processed_dir)
    raw = Path(raw_dir) if raw_dir is not None and Path(raw_dir).is_dir() else None
    return write_portfolio(corridor, tables, Path(out_dir), raw, current_version(processed_dir).name)
