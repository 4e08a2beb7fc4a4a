"""Atomic, versioned publishing of the tables and the Frictionless descriptor."""
from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

import mrs_etl.pipeline.publish as publish_mod
from mrs_etl.pipeline.publish import current_version, publish, read_published
from mrs_etl.schema import TABLES, TYPES
from test_validate import _tables


def test_publish_writes_every_format_and_describes_every_table(tmp_path):
    tables = _tables()
    result = publish(tables, tmp_path)
    assert result.changed and current_version(tmp_path) == result.path
    assert (tmp_path / "current").is_symlink()
    package = json.loads((result.path / "datapackage.json").read_text())
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(tables)
    for name in tables:
        spec, res = TABLES[name], resources[name]
        assert (result.path / res["path"]).is_file() and (result.path / res["x-parquet"]).is_file()
        assert [f["name"] for f in res["schema"]["fields"]] == spec.columns
        assert [f["type"] for f in res["schema"]["fields"]] == [TYPES[f.type][1] for f in spec.fields]
        assert all(f["description"] for f in res["schema"]["fields"])
        assert res["schema"]["primaryKey"] == list(spec.primary_key)
        assert len(res["schema"].get("foreignKeys", [])) == len(spec.foreign_keys)
        assert res["rows"] == len(tables[name])
    back = read_published(tmp_path)
    pd.testing.assert_frame_equal(back["performance_criteria"], tables["performance_criteria"])
    with duckdb.connect(str(result.path / "mrs_etl.duckdb"), read_only=True) as con:
        assert con.execute('select count(*) from performance_criteria').fetchone()[0] == 2
        # the keys are declared in the database too: an orphan row is refused
        con.close()
    with duckdb.connect(str(result.path / "mrs_etl.duckdb")) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("insert into elements (element_id, unit_id, document_id, \"order\", confidence) "
                    "values ('x', 'no-such-unit', 'no-such-doc', 1, 1.0)")


def test_unchanged_tables_are_not_published_again(tmp_path):
    first = publish(_tables(), tmp_path)
    second = publish(_tables(), tmp_path)
    assert not second.changed and second.path == first.path


def test_failed_publish_leaves_previous_output_current_and_readable(tmp_path, monkeypatch):
    first = publish(_tables(), tmp_path)
    changed = _tables()
    changed["performance_criteria"].loc[0, "text"] = "Changed"

    def broken(path, tables):  # fails after CSV and Parquet were written
        raise OSError("disk full")
    monkeypatch.setattr(publish_mod, "_write_duckdb", broken)
    with pytest.raises(OSError):
        publish(changed, tmp_path)
    assert current_version(tmp_path) == first.path
    assert read_published(tmp_path)["performance_criteria"].loc[0, "text"] == "Done"
    assert not list(tmp_path.glob(".staging-*"))
    assert len(list((tmp_path / "versions").iterdir())) == 1


def test_old_versions_and_leftover_staging_are_pruned(tmp_path):
    (tmp_path / ".staging-killed").mkdir()
    paths = []
    for n in range(4):
        tables = _tables()
        tables["performance_criteria"].loc[0, "text"] = f"v{n}"
        paths.append(publish(tables, tmp_path, keep=2).path)
    assert sorted((tmp_path / "versions").iterdir()) == paths[-2:]
    assert not (tmp_path / ".staging-killed").exists()
