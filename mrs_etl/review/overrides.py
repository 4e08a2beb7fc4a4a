"""Data stewards' corrections, kept outside the published files and re-applied on every run.

Each change is one append-only record in an SQLite file (default `<processed>/../review/overrides.sqlite`,
so re-publishing never touches it): who, when, which table and row key, what (accept / edit / reject /
add), the field changes and why. A withdrawn record stays in the log, marked withdrawn.

`apply_overrides` replays the records in order on freshly extracted tables, by the stable row keys of
`mrs_etl.schema` (unit_id = <sha256>/u001, criterion_id = <element_id>/c01, ...). Keys are positional, so
each record also keeps a snapshot of what the row said when the steward changed it; a record whose row
is gone, or whose key now names a row that says something else, is returned as a conflict for the
steward and not applied. Replaying on tables that already carry the overrides changes nothing.
"""
from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
import uuid
from collections import defaultdict
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd
from rapidfuzz import fuzz, process

from mrs_etl.control_characters import clean
from mrs_etl.review.reviewable import REVIEWABLE, Reviewable
from mrs_etl.schema import TABLES
from mrs_etl.tables import frame

ACTIONS = ("accept", "edit", "reject", "add")
STATUSES = ("unreviewed", "accepted", "edited", "rejected", "added")
# provenance a steward may give an added row (the box they point at); confidence is 1 for a person's row
ADDED_PROVENANCE = ("page", "x0", "top", "x1", "bottom")

_DDL = """
CREATE TABLE IF NOT EXISTS overrides (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    steward TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    document_id TEXT,
    action TEXT NOT NULL CHECK (action IN ('accept', 'edit', 'reject', 'add')),
    changes TEXT NOT NULL DEFAULT '{}',
    original TEXT NOT NULL DEFAULT '{}',
    reason TEXT NOT NULL DEFAULT '',
    withdrawn_at TEXT,
    withdrawn_by TEXT,
    withdrawn_reason TEXT
);
CREATE INDEX IF NOT EXISTS overrides_row ON overrides (table_name, row_key);
"""
_COLUMNS = ("id", "created_at", "steward", "table_name", "row_key", "document_id", "action", "changes",
            "original", "reason", "withdrawn_at", "withdrawn_by", "withdrawn_reason")


class InvalidOverride(ValueError):
    """A change the store refuses (unknown table or field, empty name, a number that is not one...)."""


class OverridesUnreadable(RuntimeError):
    """The overrides file is not a readable store (damaged, not SQLite, wrong tables); the message says what to do."""

    def __init__(self, path: Path, error: Exception):
        super().__init__(f"the stewards' overrides store {path} cannot be read ({error}): restore it from a backup, "
                         "or move it aside to start an empty one (its corrections are then no longer applied)")


@dataclass(frozen=True)
class Override:
    id: int
    created_at: str
    steward: str
    table: str
    row_key: str
    document_id: str | None
    action: str
    changes: dict[str, Any]  # edit: field -> new value; add: every field of the new row
    original: dict[str, Any]  # what the row said before the change (its label fields and edited fields)
    reason: str = ""
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Conflict:
    """An override that could not be applied: its row (or the parent it names) is not in the tables."""
    override: Override
    kind: str  # missing_row | changed_row | missing_parent
    detail: str
    suggested_key: str | None = None  # the row that now says what the override's row said, if one does

    def as_dict(self) -> dict:
        return {"override_id": self.override.id, "table": self.override.table, "row_key": self.override.row_key,
                "action": self.override.action, "steward": self.override.steward, "kind": self.kind,
                "detail": self.detail, "suggested_key": self.suggested_key}


def check_overrides_store(processed: str | Path) -> None:
    """Raise OverridesUnreadable when the store beside `processed` exists but cannot be read."""
    path = default_store_path(processed)
    if path.is_file():
        OverrideStore(path)


def default_store_path(processed: str | Path) -> Path:
    """Beside processed/, never inside it: publishing replaces processed/ contents, not this file."""
    return Path(processed).resolve().parent / "review" / "overrides.sqlite"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _plain(value: Any) -> Any:
    """A JSON-able Python value for one cell (pandas NA and NaN become None)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _coerce(table: str, name: str, value: Any) -> Any:
    """A form or JSON value as the field's declared type (empty text means no value)."""
    spec = {f.name: f for f in TABLES[table].fields}
    if name not in spec:
        raise InvalidOverride(f"{table} has no field {name!r}")
    value = _plain(value)
    if isinstance(value, str):
        value = clean(value.replace("\r\n", "\n")).strip()  # browsers send textarea line breaks as CRLF
        if value == "":
            return None
    if value is None:
        return None
    kind = spec[name].type
    try:
        if kind == "number":
            return float(value)
        if kind == "integer":
            return int(value)
        if kind == "boolean":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
    except (TypeError, ValueError):
        raise InvalidOverride(f"{table}.{name} must be a {kind}, got {value!r}") from None
    return str(value)


def _check_choices(spec: Reviewable, values: Mapping[str, Any]) -> None:
    for name, choices in spec.choices.items():
        if values.get(name) is not None and values[name] not in choices:
            raise InvalidOverride(f"{spec.table}.{name} must be one of {', '.join(choices)}")


def _inert(value: Any) -> Any:
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class OverrideStore:
    """The append-only log of stewards' changes, in one SQLite file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with closing(self._connect()) as con, con:
                con.execute("PRAGMA journal_mode=WAL")  # the app and a pipeline run may use the file at once
                con.executescript(_DDL)
                con.execute(f"SELECT {', '.join(_COLUMNS)} FROM overrides LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise OverridesUnreadable(self.path, exc) from None

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        return con

    def record(self, steward: str, table: str, row_key: str, action: str, *, reason: str = "",
               changes: Mapping[str, Any] | None = None, row: Mapping[str, Any] | None = None) -> Override:
        """Store one accept / edit / reject of an existing row; `row` is the row as the steward saw it."""
        if action not in ("accept", "edit", "reject"):
            raise InvalidOverride(f"unknown action {action!r} (add rows with add())")
        spec = self._reviewable(table)
        changes = {name: _coerce(table, name, value) for name, value in (changes or {}).items()}
        for name in changes:
            if name not in spec.editable:
                raise InvalidOverride(f"{table}.{name} cannot be edited (editable: {', '.join(spec.editable)})")
        row = {k: _plain(v) for k, v in (row or {}).items()}
        if action == "edit":
            changes = {k: v for k, v in changes.items() if k not in row or v != _coerce(table, k, row[k])}
            if not changes:
                raise InvalidOverride("the edit changes nothing")
            _check_choices(spec, changes)
        elif changes:
            raise InvalidOverride(f"{action} takes no field changes")
        original = {name: row.get(name) for name in (*spec.label, *changes) if name in row}
        return self._insert(steward, table, row_key, row.get("document_id"), action, changes, original, reason)

    def add(self, steward: str, table: str, parent_key: str, fields: Mapping[str, Any], *,
            reason: str = "", document_id: str | None = None) -> Override:
        """Store a row the extraction missed, under `parent_key`, with a new key of its own."""
        spec = self._reviewable(table)
        if spec.key_prefix is None:
            raise InvalidOverride(f"rows cannot be added to {table}")
        allowed = set(spec.editable) | set(ADDED_PROVENANCE)
        values = {}
        for name, value in fields.items():
            if name not in allowed:
                raise InvalidOverride(f"{table}.{name} cannot be set on an added row")
            values[name] = _coerce(table, name, value)
        if not parent_key:
            raise InvalidOverride(f"an added {table} row needs its parent ({spec.parent_column})")
        values[spec.parent_column] = parent_key
        for f in TABLES[table].fields:
            if f.required and f.name in spec.editable and values.get(f.name) is None:
                raise InvalidOverride(f"{table}.{f.name} is required")
        _check_choices(spec, values)
        row_key = f"{parent_key}/{spec.key_prefix}new-{uuid.uuid4().hex[:8]}"
        return self._insert(steward, table, row_key, document_id or parent_key.split("/")[0], "add", values, {},
                            reason)

    def withdraw(self, override_id: int, steward: str, reason: str = "") -> None:
        """Stop applying one override; it stays in the log, marked withdrawn by whom and why."""
        if not steward.strip():
            raise InvalidOverride("the steward's name is required")
        with closing(self._connect()) as con, con:
            done = con.execute("UPDATE overrides SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? "
                               "WHERE id = ? AND withdrawn_at IS NULL",
                               (_now(), steward.strip(), reason.strip(), override_id)).rowcount
        if not done:
            raise InvalidOverride(f"no active override {override_id}")

    def overrides(self, *, include_withdrawn: bool = False) -> list[Override]:
        """Every override, oldest first (the order they are applied in)."""
        where = "" if include_withdrawn else " WHERE withdrawn_at IS NULL"
        with closing(self._connect()) as con:
            rows = con.execute(f"SELECT {', '.join(_COLUMNS)} FROM overrides{where} ORDER BY id").fetchall()
        return [Override(id=r["id"], created_at=r["created_at"], steward=r["steward"], table=r["table_name"],
                         row_key=r["row_key"], document_id=r["document_id"], action=r["action"],
                         changes=json.loads(r["changes"]), original=json.loads(r["original"]), reason=r["reason"],
                         withdrawn_at=r["withdrawn_at"], withdrawn_by=r["withdrawn_by"],
                         withdrawn_reason=r["withdrawn_reason"]) for r in rows]

    def revision(self) -> tuple[int, int]:
        """Changes whenever the log does (a cheap cache key for readers)."""
        with closing(self._connect()) as con:
            count, withdrawn = con.execute("SELECT COUNT(*), COUNT(withdrawn_at) FROM overrides").fetchone()
        return count, withdrawn

    def export_csv(self) -> str:
        """The whole log (withdrawn records included) as CSV, changes and snapshots as JSON text.

        A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) starts with an apostrophe:
        a steward's name or reason is data, never a HYPERLINK() to open.
        """
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(Override.__dataclass_fields__), lineterminator="\n")
        writer.writeheader()
        for o in self.overrides(include_withdrawn=True):
            row = o.as_dict()
            row["changes"] = json.dumps(o.changes, ensure_ascii=False, sort_keys=True)
            row["original"] = json.dumps(o.original, ensure_ascii=False, sort_keys=True)
            writer.writerow({k: _inert(v) for k, v in row.items()})
        return buffer.getvalue()

    def export_json(self) -> str:
        return json.dumps([o.as_dict() for o in self.overrides(include_withdrawn=True)], ensure_ascii=False,
                          indent=1)

    @staticmethod
    def _reviewable(table: str) -> Reviewable:
        if table not in REVIEWABLE:
            raise InvalidOverride(f"{table!r} is not a reviewed table")
        return REVIEWABLE[table]

    def _insert(self, steward: str, table: str, row_key: str, document_id: str | None, action: str,
                changes: dict, original: dict, reason: str) -> Override:
        if not steward or not steward.strip():
            raise InvalidOverride("the steward's name is required")
        if not row_key:
            raise InvalidOverride("the row key is required")
        record = (_now(), steward.strip(), table, row_key, document_id, action,
                  json.dumps(changes, ensure_ascii=False), json.dumps(original, ensure_ascii=False), reason.strip())
        with closing(self._connect()) as con, con:
            cursor = con.execute("INSERT INTO overrides (created_at, steward, table_name, row_key, document_id, "
                                 "action, changes, original, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", record)
            new_id = cursor.lastrowid
        return next(o for o in self.overrides() if o.id == new_id)


def _same(value: Any) -> Any:
    """A cell reduced to what matters when comparing what a row says (spacing and float noise ignored)."""
    value = _plain(value)
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, float):
        return round(value, 6)
    return value


@dataclass
class _Working:
    """The reviewed tables as mutable rows, addressable by key while overrides are replayed."""
    rows: dict[str, list[dict]]
    index: dict[str, dict[str, int]] = field(default_factory=dict)

    def __post_init__(self):
        for name, rows in self.rows.items():
            key = TABLES[name].primary_key[0]
            self.index[name] = {row[key]: i for i, row in enumerate(rows)}

    def get(self, table: str, key: str) -> dict | None:
        i = self.index.get(table, {}).get(key)
        return None if i is None else self.rows[table][i]

    def append(self, table: str, row: dict) -> None:
        self.index[table][row[TABLES[table].primary_key[0]]] = len(self.rows[table])
        self.rows[table].append(row)


def _suggest(work: _Working, o: Override) -> str | None:
    """The row of the same document whose text is closest to what the override's row said (if close)."""
    spec = REVIEWABLE[o.table]
    text_field = spec.label[-1]
    wanted = _same(o.original.get(text_field))
    if not wanted:
        return None
    candidates = {row[spec.key]: _same(row.get(text_field)) or "" for row in work.rows[o.table]
                  if row[spec.key] != o.row_key and row.get("document_id") == o.document_id}
    best = process.extractOne(wanted, candidates, scorer=fuzz.ratio, score_cutoff=90)
    return best[2] if best else None


def _next_order(work: _Working, spec: Reviewable, parent_key: str) -> int:
    return max((r.get("order") or 0 for r in work.rows[spec.table] if r.get(spec.parent_column) == parent_key),
               default=0) + 1


def _move_to_parent(work: _Working, spec: Reviewable, row: dict, parent_key: str) -> str | None:
    """Hang `row` under `parent_key`, copying the parent's ancestor keys; the problem, if it cannot."""
    parent = work.get(spec.parent_table, parent_key)
    if parent is None:
        return f"{spec.parent_table} row {parent_key} does not exist"
    if row.get("document_id") is not None and parent.get("document_id") not in (None, row["document_id"]):
        return f"{spec.parent_table} row {parent_key} belongs to another document"
    row["order"] = _next_order(work, spec, parent_key)
    row[spec.parent_column] = parent_key
    for column in spec.ancestors:
        row[column] = parent.get(column)
    return None


def apply_overrides(tables: dict[str, pd.DataFrame],
                    store: OverrideStore | Iterable[Override]) -> tuple[dict[str, pd.DataFrame], list[Conflict]]:
    """Replay the stewards' overrides on `tables`; returns new tables and the overrides that did not apply.

    Every reviewed table in the result has a `review_status` (unreviewed / accepted / edited / rejected /
    added). Rejected rows stay, marked, so that the log and the data keep agreeing; filter them out
    downstream. Overrides of tables absent from `tables` are not considered; the inputs are not modified.
    """
    overrides = store.overrides() if isinstance(store, OverrideStore) else [o for o in store if not o.withdrawn_at]
    reviewed = [name for name in tables if name in REVIEWABLE]
    work = _Working({name: [{k: _plain(v) for k, v in row.items()} for row in tables[name].to_dict("records")]
                     for name in reviewed})
    if "documents" in tables:
        work.rows["documents"] = tables["documents"][["document_id"]].to_dict("records")
        work.index["documents"] = {r["document_id"]: i for i, r in enumerate(work.rows["documents"])}
    for name in reviewed:
        for row in work.rows[name]:
            row["review_status"] = "unreviewed"

    # every value a field has had along a row's overrides: a row showing any of them is still that row
    # (this is what makes replaying on already-reviewed tables a no-op rather than a conflict)
    seen: dict[tuple[str, str], dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for o in overrides:
        for values in (o.original, o.changes):
            for name, value in values.items():
                seen[o.table, o.row_key][name].add(_same(value))

    conflicts: list[Conflict] = []
    for o in overrides:
        if o.table not in work.rows:
            continue
        spec = REVIEWABLE[o.table]
        row = work.get(o.table, o.row_key)
        if o.action == "add":
            added = row or {f.name: None for f in TABLES[o.table].fields}
            parent_key = o.changes[spec.parent_column]
            if added.get(spec.parent_column) != parent_key:  # equal when replayed on reviewed tables
                problem = _move_to_parent(work, spec, added, parent_key)
                if problem:
                    conflicts.append(Conflict(o, "missing_parent", f"cannot add the row: {problem}"))
                    continue
            added.update({k: v for k, v in o.changes.items() if k != spec.parent_column})
            added.update({spec.key: o.row_key, "review_status": "added"})
            if row is None:
                added["confidence"] = 1.0
                added["document_id"] = added.get("document_id") or o.document_id
                work.append(o.table, added)
            continue
        if row is None:
            conflicts.append(Conflict(o, "missing_row", f"{o.table} row {o.row_key} is not in the extraction "
                                      f"any more", _suggest(work, o)))
            continue
        differs = [name for name in o.original
                   if _same(row.get(name)) not in seen[o.table, o.row_key][name]]
        if differs:
            detail = "; ".join(f"{name} was {o.original[name]!r}, now {_plain(row.get(name))!r}" for name in differs)
            conflicts.append(Conflict(o, "changed_row", f"{o.table} row {o.row_key} now says something else: "
                                      f"{detail}", _suggest(work, o)))
            continue
        if o.action == "edit":
            target = o.changes.get(spec.parent_column)
            if target is not None and target != row.get(spec.parent_column):
                problem = _move_to_parent(work, spec, row, target)
                if problem:
                    conflicts.append(Conflict(o, "missing_parent", f"cannot move the row: {problem}"))
                    continue
            row.update({k: v for k, v in o.changes.items() if k != spec.parent_column})
            if row["review_status"] != "added":
                row["review_status"] = "edited"
        elif o.action == "reject":
            row["review_status"] = "rejected"
        elif row["review_status"] not in ("edited", "added"):  # accept: an edited row is a reviewed row
            row["review_status"] = "accepted"

    result = dict(tables)
    for name in reviewed:
        result[name] = frame(name, work.rows[name])
    return result, conflicts
