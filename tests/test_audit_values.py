"""No stored value can stop the audit log's hash chain: hostile values planted in every text
and JSON column of every model (through the ORM, as a rogue writer or an old row would, past
the request checks), and rows written straight into the log itself, are sealed and verified
by ``flask audit seal`` and ``flask audit verify``; the chain still catches an edit."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, CheckConstraint, String, Text, select, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import SQLAlchemyError

from app.audit import chain
from app.audit.models import AuditEntry
from app.extensions import db as _db
from tests import payloads

#: Text no request can bring in any more, but a row may hold.
TEXTS = {"lone surrogate": "a\udfffb", "U+FFFF": "\uffff", "very long": "长" * 20_000,
         "NUL": "a\x00b", "emoji": "😀👩‍👩‍👧", "astral CJK": "\U00020000",
         "right-to-left": "\u200f\u202eabc\u202c"}


def nested(depth: int, leaf="\ud800"):
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


#: Values for JSON columns: texts, and what only JSON can hold.
VALUES = {**TEXTS, "nested 500 deep": nested(500), "huge number": 10**4000,
          "surrogate key": {"\ud800": ["\uffff", {"a": "\ud83d"}]}, "not finite": [float("nan")]}
#: What a rogue writer can put straight into the log's JSON column, as stored text.
RAW_CHANGES = {"nested 10,000 deep": "[" * 10_000 + "]" * 10_000,
               "objects 10,000 deep": '{"a":' * 10_000 + "1" + "}" * 10_000,
               "lone surrogate": '{"x": ["\\ud800", "\\udfff"]}',
               "huge number": '{"x": ' + "9" * 5000 + "}", "not JSON": "{not json",
               "NaN": '{"x": NaN}', "string": '"\\uffff"'}


def kind(column):
    """The column's type on this backend (``search_grams`` is JSON on SQLite, an array on
    PostgreSQL)."""
    return column.type.dialect_impl(_db.engine.dialect)


def columns(model, kinds) -> list:
    return [prop for prop in model.__mapper__.column_attrs
            if isinstance(kind(prop.columns[0]), kinds) and not prop.columns[0].primary_key]


def plant(cells: list[tuple[object, str, str]], value) -> Exception | None:
    """Write ``value`` into every (row, attribute) of ``cells`` through the ORM, so the audit
    log records it; the error when the backend or a column's type refuses it."""
    try:
        with _db.session.begin_nested():
            for row, attr, _key in cells:
                setattr(row, attr, value)
            _db.session.flush()
        return None
    except (SQLAlchemyError, ValueError, LookupError, RecursionError, TypeError) as exc:
        return exc


def fits(column, value) -> bool:
    """Whether the backend can store ``value`` in ``column`` at all: not past a text column's
    length, nor NUL in PostgreSQL's text."""
    if not isinstance(value, str) or isinstance(kind(column), JSON):
        return True
    if (length := kind(column).length) is not None and len(value) > length:
        return False
    return not ("\x00" in value and _db.engine.dialect.name == "postgresql")


def plant_everywhere(cells: list[tuple[object, str, str]], value) -> set[str]:
    """The columns that took ``value``: all at once, else each half on its own, down to
    single columns (few savepoints: each one kept holds a lock until the test ends)."""
    if not cells:
        return set()
    error = plant(cells, value)
    if error is None:
        return {key for _row, _attr, key in cells}
    if len(cells) == 1 or unsendable(error):
        return set()
    half = len(cells) // 2
    return plant_everywhere(cells[:half], value) | plant_everywhere(cells[half:], value)


def unsendable(error: Exception) -> bool:
    """The database driver cannot encode the value at all (a lone surrogate as text)."""
    return isinstance(getattr(error, "orig", error), UnicodeEncodeError)


def first_row(model):
    return _db.session.scalars(select(model).execution_options(all_tenants=True).limit(1)).first()


def write_into_the_log(raw: str, **texts) -> int | None:
    """An unsealed entry inserted with SQL, its ``changes`` the stored text ``raw``."""
    row = {"at": datetime(2026, 1, 1, tzinfo=UTC), "action": "update", "object_type": "x",
           "object_id": "1", "actor_roles": "", **texts}
    try:
        with _db.session.begin_nested():
            entry_id = _db.session.execute(AuditEntry.__table__.insert().values(**row)
                                           .returning(AuditEntry.id)).scalar_one()
            cast = "CAST(:raw AS json)" if _db.engine.dialect.name == "postgresql" else ":raw"
            _db.session.execute(text(f"UPDATE audit_entry SET changes = {cast} WHERE id = :id"),
                                {"raw": raw, "id": entry_id})
        return entry_id
    except (SQLAlchemyError, UnicodeError):  # what the backend cannot hold
        return None


@pytest.fixture
def planted(app, db, world):
    """``{table.column: names of the values it took}`` for every text and JSON column of a
    row of every model (the log's own aside)."""
    payloads.complete(world.a)
    rows = [(mapper, first_row(mapper.class_)) for mapper in _db.Model.registry.mappers
            if mapper.class_ is not AuditEntry]
    done: dict[str, set[str]] = {}
    for kinds, values in (((String, Text), TEXTS), (JSON, VALUES)):
        cells = [(row, prop, f"{mapper.local_table.name}.{prop.columns[0].name}")
                 for mapper, row in rows if row is not None
                 for prop in columns(mapper.class_, kinds)]
        for _row, _prop, key in cells:
            done[key] = set()
        for name, value in values.items():
            fitting = [(row, prop.key, key) for row, prop, key in cells
                       if fits(prop.columns[0], value)]
            for key in plant_everywhere(fitting, value):
                done[key].add(name)
    return done


def test_no_stored_value_stops_the_chain(app, db, planted, monkeypatch):
    # As in production, a job the commit runs inline that fails is logged, not raised: the
    # ledger's drain refuses the outbox row planted with garbage (and keeps it, failing).
    monkeypatch.setitem(app.config, "JOBS_INLINE_RAISE", False)
    log_texts = [prop.key for prop in columns(AuditEntry, (String, Text))]
    rogue = {name: write_into_the_log(raw) for name, raw in RAW_CHANGES.items()}
    rogue |= {f"{attr}: {name}": write_into_the_log("{}", **{attr: value})
              for attr in log_texts for name, value in TEXTS.items()}
    runner = app.test_cli_runner()

    seal = runner.invoke(args=["audit", "seal"])
    assert seal.exit_code == 0, seal.output
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and ", 0 awaiting seal" in verify.output, verify.output

    # Every text and JSON column of every model with a row took what its backend can hold:
    # each JSON column a lone surrogate, each text column an astral character (unless the
    # database checks its values: PostgreSQL's jsonb holds no lone surrogate, as its text).
    kinds = {f"{t.name}.{c.name}": isinstance(kind(c), JSON) and not isinstance(kind(c), JSONB)
             for t in _db.metadata.sorted_tables
             for c in t.columns if isinstance(kind(c), String | Text | JSON) and not c.primary_key
             and t.name != "audit_entry"}
    assert not {key for key in kinds if key not in planted and has_rows(key)}
    assert len(planted) >= 200
    assert not {key for key, done in planted.items() if not checked(key)
                and ("lone surrogate" if kinds[key] else "astral CJK") not in done}
    assert rogue["nested 10,000 deep"] and rogue["objects 10,000 deep"] and rogue["huge number"]
    sealed = db.session.scalars(select(AuditEntry.changes).where(AuditEntry.seq.is_not(None)))
    assert any("\\udfff" in json.dumps(changes) for changes in sealed)


def checked(key: str) -> bool:
    """Whether a CHECK constraint of its table names the column."""
    table, column = key.split(".")
    return any(re.search(rf"\b{column}\b", str(c.sqltext))
               for c in _db.metadata.tables[table].constraints if isinstance(c, CheckConstraint))


def has_rows(key: str) -> bool:
    table = key.split(".")[0]
    return _db.session.execute(text(f'SELECT 1 FROM "{table}" LIMIT 1')).first() is not None


def test_an_edit_to_an_unreadable_entry_is_still_caught(app, db):
    """A value the sealer cannot read as JSON is chained by its stored text: changing it
    breaks the chain like any other edit."""
    entry_id = write_into_the_log(RAW_CHANGES["nested 10,000 deep"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "seal"]).exit_code == 0
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    cast = "CAST(:raw AS json)" if db.engine.dialect.name == "postgresql" else ":raw"
    db.session.execute(text(f"UPDATE audit_entry SET changes = {cast} WHERE id = :id"),
                       {"raw": "[" * 10_001 + "]" * 10_001, "id": entry_id})
    db.session.expire_all()
    verify = runner.invoke(args=["audit", "verify"])
    assert verify.exit_code == 1 and "was changed" in verify.output


def test_a_deep_value_is_logged_cut_at_a_readable_depth(db, world):
    """The log keeps the first levels of a deeply nested value, and says where it was cut."""
    tenant = world.a.tenant
    tenant.settings = {"deep": nested(500, "底")}
    db.session.flush()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "tenant")
                               .order_by(AuditEntry.id.desc())).first()
    logged = entry.changes["settings"][1]["deep"]
    depth = 0
    while isinstance(logged, list):
        logged, depth = logged[0], depth + 1
    assert 10 <= depth < 30 and "…" in logged


def test_entries_sealed_before_keep_their_hashes(db):
    """For text that is valid Unicode, the canonical form and its bytes are what they always
    were: a chain sealed by an earlier version still verifies."""
    entry = AuditEntry(id=7, at=datetime(2026, 3, 1, 8, 30, tzinfo=UTC), tenant_id=1, actor_id=2,
                       actor_roles="org_admin", action="update", object_type="project",
                       object_id="3", changes={"name": ["助老", "助老服务😀"], "n": [1, 2.5]},
                       ip="127.0.0.1", endpoint="projects.edit")
    data = {name: getattr(entry, name) for name in chain.FIELDS}
    data["at"], data["seq"] = entry.at.isoformat(timespec="microseconds"), 5
    before = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert chain.entry_hash("ab" * 32, entry, 5) == hashlib.sha256(
        ("ab" * 32 + before).encode()).hexdigest()
