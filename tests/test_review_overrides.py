"""The overrides store: stewards' changes re-applied by stable key, conflicts reported, log exported."""
from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from mrs_etl.models import Box, Criterion, DocumentInfo, Element, Extraction, Unit
from mrs_etl.review.overrides import InvalidOverride, OverrideStore, apply_overrides, default_store_path
from mrs_etl.tables import extraction_frames, frame
from mrs_etl.pipeline.validate import table_problems

DOC = "a" * 64
UNIT = f"{DOC}/u001"
E1, E2 = f"{UNIT}/e01", f"{UNIT}/e02"


def extracted(criteria_e1=("Plan the work", "Check the tools", "Clean the area")) -> dict[str, pd.DataFrame]:
    """The tables a (re-)extraction of one small standard publishes."""
    info = DocumentInfo("std.pdf", "std.pdf", DOC, "tesda-tr", "PH", "en", 2, "v")
    unit = Unit(box=Box(1, 50, 60, 500, 80), code="U1", title="Prepare the site", category="core", elements=[
        Element(number="1", title="Plan", box=Box(1, 50, 100, 200, 120), criteria=[
            Criterion(number=f"1.{n}", text=t, box=Box(1, 200, 100 + 20 * n, 500, 115 + 20 * n))
            for n, t in enumerate(criteria_e1, 1)]),
        Element(number="2", title="Finish", box=Box(2, 50, 100, 200, 120), criteria=[
            Criterion(number="2.1", text="Report to the supervisor", box=Box(2, 200, 100, 500, 115))]),
    ])
    tables = extraction_frames(Extraction(info, None, [unit]))
    tables["documents"] = frame("documents", [{"document_id": DOC, "path": "std.pdf", "file_name": "std.pdf",
                                               "status": "ok"}])
    return tables


def row(tables, table, key):
    df = tables[table]
    return df[df.iloc[:, 0] == key].iloc[0].to_dict()


@pytest.fixture
def store(tmp_path):
    return OverrideStore(tmp_path / "review" / "overrides.sqlite")


def review(store, tables):
    """A steward's session: edit, reject, accept, move and add, each seen on the current rows."""
    c = lambda n: f"{E1}/c{n:02d}"
    store.record("ana", "performance_criteria", c(1), "edit", changes={"text": "Plan the work safely"},
                 reason="word missing", row=row(tables, "performance_criteria", c(1)))
    store.record("ana", "performance_criteria", c(2), "reject", reason="header, not a criterion",
                 row=row(tables, "performance_criteria", c(2)))
    store.record("ben", "units", UNIT, "accept", row=row(tables, "units", UNIT))
    store.record("ben", "performance_criteria", c(3), "edit", changes={"element_id": E2},
                 reason="belongs to Finish", row=row(tables, "performance_criteria", c(3)))
    return store.add("ana", "performance_criteria", E2, {"number": "2.2", "text": "Store the tools"},
                     reason="missed at a page break")


def test_overrides_apply_by_key_and_survive_re_extraction(store):
    added = review(store, extracted())
    for tables in (extracted(), extracted()):  # a fresh extraction each time: same keys, same result
        result, conflicts = apply_overrides(tables, store)
        assert conflicts == []
        pc = result["performance_criteria"].set_index("criterion_id")
        assert pc.loc[f"{E1}/c01", "text"] == "Plan the work safely"
        assert pc.loc[f"{E1}/c01", "review_status"] == "edited"
        assert pc.loc[f"{E1}/c02", "review_status"] == "rejected"
        assert pc.loc[f"{E1}/c03", ["element_id", "review_status"]].tolist() == [E2, "edited"]
        assert pc.loc[f"{E2}/c01", "review_status"] == "unreviewed"
        new = pc.loc[added.row_key]
        assert added.row_key.startswith(f"{E2}/cnew-")
        assert (new["text"], new["unit_id"], new["document_id"], new["order"], new["review_status"]) == (
            "Store the tools", UNIT, DOC, 3, "added")
        assert result["units"]["review_status"].tolist() == ["accepted"]
        assert table_problems(result) == []  # still valid against the declared schema
    assert (tables["performance_criteria"]["text"] == "Plan the work").any()  # inputs untouched


def test_replaying_on_reviewed_tables_changes_nothing(store):
    review(store, extracted())
    once, _ = apply_overrides(extracted(), store)
    twice, conflicts = apply_overrides(once, store)
    assert conflicts == []
    for name in once:
        pd.testing.assert_frame_equal(once[name], twice[name])


def test_overrides_whose_row_is_gone_or_changed_are_conflicts(store):
    review(store, extracted())
    # the extractor now misses "Check the tools" (c02 gone) and reads a new first criterion (keys shift)
    tables = extracted(criteria_e1=("Wear protective equipment", "Plan the work", "Clean the area"))
    result, conflicts = apply_overrides(tables, store)
    by_key = {(c.override.row_key, c.override.action): c for c in conflicts}
    edit = by_key[f"{E1}/c01", "edit"]
    assert edit.kind == "changed_row" and "Plan the work" in edit.detail
    assert edit.suggested_key == f"{E1}/c02"  # where "Plan the work" is now
    assert by_key[f"{E1}/c02", "reject"].kind == "changed_row"  # c02 is "Plan the work" now: not rejected
    pc = result["performance_criteria"].set_index("criterion_id")
    assert pc.loc[f"{E1}/c01", ["text", "review_status"]].tolist() == ["Wear protective equipment", "unreviewed"]
    assert pc.loc[f"{E1}/c02", "review_status"] == "unreviewed"

    shorter = extracted(criteria_e1=("Plan the work",))
    _, conflicts = apply_overrides(shorter, store)
    kinds = {(c.override.row_key, c.kind) for c in conflicts}
    assert (f"{E1}/c02", "missing_row") in kinds and (f"{E1}/c03", "missing_row") in kinds


def test_added_row_under_a_vanished_parent_is_a_conflict(store):
    store.add("ana", "performance_criteria", f"{UNIT}/e09", {"number": "9.1", "text": "Orphan"})
    store.record("ana", "performance_criteria", f"{E1}/c01", "edit", changes={"element_id": f"{UNIT}/e07"},
                 row=row(extracted(), "performance_criteria", f"{E1}/c01"))
    result, conflicts = apply_overrides(extracted(), store)
    assert [c.kind for c in conflicts] == ["missing_parent", "missing_parent"]
    assert not result["performance_criteria"]["text"].eq("Orphan").any()


def test_withdrawn_override_is_not_applied_but_stays_in_the_exported_log(store):
    edit = store.record("ana", "performance_criteria", f"{E1}/c01", "edit", changes={"number": "1.9"},
                        reason="typo", row=row(extracted(), "performance_criteria", f"{E1}/c01"))
    store.withdraw(edit.id, "ben", "the document really says 1.1")
    result, conflicts = apply_overrides(extracted(), store)
    assert conflicts == []
    assert result["performance_criteria"]["number"].iloc[0] == "1.1"
    exported = list(csv.DictReader(io.StringIO(store.export_csv())))
    assert [(r["steward"], r["action"], r["withdrawn_by"], json.loads(r["changes"])) for r in exported] == [
        ("ana", "edit", "ben", {"number": "1.9"})]
    assert json.loads(store.export_json())[0]["original"] == {"number": "1.1", "text": "Plan the work"}


def test_store_refuses_changes_it_could_not_replay(store):
    crit = row(extracted(), "performance_criteria", f"{E1}/c01")
    with pytest.raises(InvalidOverride, match="steward"):
        store.record(" ", "performance_criteria", f"{E1}/c01", "accept", row=crit)
    with pytest.raises(InvalidOverride, match="cannot be edited"):
        store.record("ana", "performance_criteria", f"{E1}/c01", "edit", changes={"page": 3}, row=crit)
    with pytest.raises(InvalidOverride, match="changes nothing"):
        store.record("ana", "performance_criteria", f"{E1}/c01", "edit", changes={"text": " Plan the work\r\n"}, row=crit)
    with pytest.raises(InvalidOverride, match="number"):
        store.record("ana", "units", UNIT, "edit", changes={"nominal_hours": "ten"}, row=row(extracted(), "units", UNIT))
    with pytest.raises(InvalidOverride, match="one of"):
        store.record("ana", "units", UNIT, "edit", changes={"category": "optional"}, row=row(extracted(), "units", UNIT))
    assert store.overrides() == []


def test_default_store_lives_beside_processed(tmp_path):
    assert default_store_path(tmp_path / "processed") == tmp_path / "review" / "overrides.sqlite"


def test_a_stewards_correction_of_the_stated_hours_reaches_the_catalogue(store):
    from mrs_etl.models import Qualification
    from mrs_etl.portfolio.catalogue import catalogue_rows

    def with_hours():
        info = DocumentInfo("std.pdf", "std.pdf", DOC, "tesda-tr", "PH", "en", 2, "v")
        qualification = Qualification(box=Box(1, 50, 40, 500, 55), title="MASONRY NC II", level="NC II",
                                      nominal_hours=258, hours_by_category={"basic": 18, "common": 24, "core": 216},
                                      hours_page=53)
        unit = Unit(box=Box(1, 50, 60, 500, 80), code="U1", title="Prepare the site", category="core")
        tables = extraction_frames(Extraction(info, qualification, [unit]))
        tables["documents"] = frame("documents", [{"document_id": DOC, "path": "std.pdf", "file_name": "std.pdf",
                                                   "status": "ok", "family": "tesda-tr"}])
        return tables

    tables = with_hours()
    assert (catalogue_rows(tables)[0]["nominal_hours"], catalogue_rows(tables)[0]["hours_basis"]) == (258, "stated")
    store.record("ana", "qualifications", DOC, "edit", changes={"core_hours": 226, "nominal_hours": 268},
                 reason="core printed as 226 on p. 53", row=row(tables, "qualifications", DOC))
    with pytest.raises(InvalidOverride):
        store.record("ana", "qualifications", DOC, "edit", changes={"nominal_hours": "many"},
                     row=row(tables, "qualifications", DOC))
    result, conflicts = apply_overrides(with_hours(), store)
    assert conflicts == [] and table_problems(result) == []
    q = result["qualifications"].iloc[0]
    assert (q.nominal_hours, q.core_hours, q.review_status) == (268, 226, "edited")
    assert catalogue_rows(result)[0]["nominal_hours"] == 268
