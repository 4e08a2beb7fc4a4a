"""Publishing validated tables into processed/, atomically and versioned.

Layout (every path below processed/):

    current -> versions/<id>        symlink, switched with one os.replace: readers see the old
                                    version or the new one, never a mix
    versions/<id>/datapackage.json  Frictionless descriptor of every table (from mrs_etl.schema)
    versions/<id>/csv/<table>.csv
    versions/<id>/parquet/<table>.parquet
    versions/<id>/mrs_etl.duckdb    every table, with primary and foreign keys
    versions/<id>/manifest.json     when, content fingerprint, rows per table, fingerprint of the run's inputs
    .staging-<id>/                  a version being built; a killed run leaves one, the next run removes it

A version is built completely in a staging directory, renamed into versions/ (atomic on one file
system) and only then made current. The last `keep` versions stay on disk so that a reader
holding an older path keeps working while new runs publish.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from mrs_etl import EXTRACTOR_VERSION, __version__
from mrs_etl.schema import TABLES, TYPES, Table
from mrs_etl.storage import write_json_atomic

CURRENT = "current"
VERSIONS = "versions"
STAGING_PREFIX = ".staging-"
DUCKDB_FILE = "mrs_etl.duckdb"
DUCKDB_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
                "datetime": "VARCHAR"}


@dataclass(frozen=True)
class Published:
    path: Path  # the version directory
    changed: bool  # False when the tables equal the current version's and nothing was written
    rows: dict[str, int]


def current_version(processed: str | Path) -> Path | None:
    """The directory `processed/current` points at, or None before the first publish."""
    link = Path(processed) / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def _csv_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    df.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parents_first(names: list[str]) -> list[str]:
    """Tables ordered so that every foreign key's parent is created (and filled) before its child."""
    ordered: list[str] = []

    def visit(name: str, path: tuple[str, ...] = ()) -> None:
        if name in ordered or name in path:
            return
        for fk in TABLES[name].foreign_keys:
            if fk.table in names:
                visit(fk.table, path + (name,))
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


def _write_duckdb(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    con = duckdb.connect(str(path))
    try:
        for name in _parents_first(list(tables)):
            spec = TABLES[name]
            columns = [f"{_quote(f.name)} {DUCKDB_TYPES[f.type]}{' NOT NULL' if f.required else ''}"
                       for f in spec.fields]
            columns.append(f"PRIMARY KEY ({', '.join(map(_quote, spec.primary_key))})")
            columns += [f"FOREIGN KEY ({', '.join(map(_quote, fk.fields))}) REFERENCES {_quote(fk.table)} "
                        f"({', '.join(map(_quote, fk.reference))})"
                        for fk in spec.foreign_keys if fk.table in tables]
            con.execute(f"CREATE TABLE {_quote(name)} ({', '.join(columns)})")
            con.execute(f"COMMENT ON TABLE {_quote(name)} IS $${spec.description}$$")
            con.register("frame_to_load", tables[name])
            con.execute(f"INSERT INTO {_quote(name)} SELECT * FROM frame_to_load")
            con.unregister("frame_to_load")
    finally:
        con.close()


def _resource(spec: Table, csv: bytes, rows: int) -> dict:
    fields = []
    for f in spec.fields:
        field = {"name": f.name, "type": TYPES[f.type][1], "description": f.description}
        if f.required or f.name in spec.primary_key:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": list(spec.primary_key), "missingValues": [""]}
    if spec.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(fk.fields),
                                  "reference": {"resource": fk.table, "fields": list(fk.reference)}}
                                 for fk in spec.foreign_keys]
    return {
        "name": spec.name, "path": f"csv/{spec.name}.csv", "profile": "tabular-data-resource",
        "title": spec.name.replace("_", " ").capitalize(), "description": spec.description,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "bytes": len(csv), "hash": f"sha256:{hashlib.sha256(csv).hexdigest()}", "rows": rows,
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": schema,
        "x-parquet": f"parquet/{spec.name}.parquet",
    }


def datapackage(csvs: dict[str, bytes], rows: dict[str, int]) -> dict:
    """The Frictionless Data Package descriptor of a set of tables (no timestamp: same tables, same file)."""
    return {
        "profile": "tabular-data-package",
        "name": "mrs-etl",
        "title": "ASEAN Mutual Recognition of Skills: competency standards and QA policies",
        "description": "Qualifications, units of competency, elements, performance criteria, range of "
                       "variables, evidence guides and QA policy clauses extracted from national PDFs; every "
                       "content row carries its source page and bounding box. Also in parquet/ (one file per "
                       "table) and mrs_etl.duckdb (all tables, with keys).",
        "version": EXTRACTOR_VERSION,
        "licenses": [{"name": "MIT", "path": "https://opensource.org/licenses/MIT"}],
        "sources": [{"title": "Documents listed in the documents table (raw/)"}],
        "x-mrs-etl-version": __version__,
        "resources": [_resource(TABLES[n], csvs[n], rows[n]) for n in csvs],
    }


def fingerprint(csvs: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(csvs):
        digest.update(name.encode() + b"\0" + hashlib.sha256(csvs[name]).digest())
    return digest.hexdigest()


def _build(staging: Path, tables: dict[str, pd.DataFrame], csvs: dict[str, bytes], stamp: str, digest: str,
           inputs: str | None) -> None:
    (staging / "csv").mkdir(parents=True)
    (staging / "parquet").mkdir()
    for name, df in tables.items():
        (staging / "csv" / f"{name}.csv").write_bytes(csvs[name])
        df.to_parquet(staging / "parquet" / f"{name}.parquet", index=False)
    _write_duckdb(staging / DUCKDB_FILE, tables)
    rows = {n: len(df) for n, df in tables.items()}
    (staging / "datapackage.json").write_text(
        json.dumps(datapackage(csvs, rows), ensure_ascii=False, indent=1), encoding="utf-8")
    (staging / "manifest.json").write_text(json.dumps(
        {"published_at": stamp, "fingerprint": digest, "inputs": inputs, "extractor_version": EXTRACTOR_VERSION,
         "rows": rows},
        indent=1), encoding="utf-8")
    for path in staging.rglob("*"):  # data on disk before the rename makes it visible
        if path.is_file():
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())


def _switch_current(processed: Path, version: Path) -> None:
    tmp = processed / f".{CURRENT}-{version.name}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(Path(VERSIONS) / version.name)
    os.replace(tmp, processed / CURRENT)


def prune(processed: str | Path, keep: int = 3) -> list[Path]:
    """Remove staging directories left by killed runs and all but the newest `keep` versions.

    Call only while holding the processed/ lock (a staging directory may be another run's otherwise).
    """
    processed = Path(processed)
    removed = [p for p in processed.glob(f"{STAGING_PREFIX}*") if p.is_dir()]
    current = current_version(processed)
    versions = sorted((p for p in (processed / VERSIONS).glob("*") if p.is_dir()), key=lambda p: p.name)
    removed += [p for p in versions[:-keep] if p != current] if keep > 0 else []
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed


def read_manifest(processed: str | Path) -> dict | None:
    """The current version's manifest.json, or None before the first publish."""
    version = current_version(processed)
    try:
        return json.loads((version / "manifest.json").read_text()) if version else None
    except (OSError, ValueError):
        return None


def publish(tables: dict[str, pd.DataFrame], processed: str | Path, keep: int = 3,
            inputs: str | None = None) -> Published:
    """Write every table as CSV, Parquet and DuckDB plus datapackage.json, then make it current.

    `inputs` is the caller's fingerprint of what produced the tables (recorded in the manifest, so
    that an unchanged re-run can be recognised before any work). Tables identical to the current
    version's are not written again. Call while holding the lock.
    """
    processed = Path(processed)
    processed.mkdir(parents=True, exist_ok=True)
    tables = {n: tables[n] for n in TABLES if n in tables}
    csvs = {n: _csv_bytes(df) for n, df in tables.items()}
    rows = {n: len(df) for n, df in tables.items()}
    digest = fingerprint(csvs)
    current = current_version(processed)
    manifest = read_manifest(processed)
    if manifest is not None and manifest.get("fingerprint") == digest:
        if manifest.get("inputs") != inputs:  # same tables from other inputs: remember the new inputs
            write_json_atomic(current / "manifest.json", {**manifest, "inputs": inputs})
        return Published(current, False, rows)
    now = time.time()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
    version_id = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}.{int(now * 1e6) % 1_000_000:06d}-{digest[:10]}"
    staging = processed / f"{STAGING_PREFIX}{version_id}"
    final = processed / VERSIONS / version_id
    try:
        _build(staging, tables, csvs, stamp, digest, inputs)
        final.parent.mkdir(exist_ok=True)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _switch_current(processed, final)
    prune(processed, keep)
    return Published(final, True, rows)


def read_published(processed: str | Path) -> dict[str, pd.DataFrame]:
    """The current version's tables, read back from Parquet."""
    version = current_version(processed)
    if version is None:
        raise FileNotFoundError(f"nothing published in {processed} yet")
    return {n: pd.read_parquet(version / "parquet" / f"{n}.parquet") for n in TABLES
            if (version / "parquet" / f"{n}.parquet").is_file()}

