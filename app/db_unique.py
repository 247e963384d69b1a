"""Uniqueness held by the database: a write that a concurrent request beat to the same key
is refused with the domain's own message, never answered with a server error.

A check in Python ("is this code taken?") cannot stop two requests that both look before
either has committed; a unique constraint can. ``claim`` runs the writes in a savepoint: on
PostgreSQL the second insert waits for the first transaction, then fails on the constraint,
and the refusal named for that constraint is raised instead. On SQLite transactions do not
overlap (they begin IMMEDIATE, ``app.db_events``), so there the constraint meets only
plain duplicates, with the same refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Index, PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError

from app.extensions import db

#: PostgreSQL's SQLSTATE for a unique violation.
UNIQUE_VIOLATION = "23505"
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")


def violated_unique(exc: IntegrityError) -> str | None:
    """The name of the unique constraint, unique index or primary key that ``exc`` broke;
    None when it is another kind of integrity error (a foreign key, a check)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) is not None:  # PostgreSQL (psycopg)
        return orig.diag.constraint_name if orig.sqlstate == UNIQUE_VIOLATION else None
    match = _SQLITE_UNIQUE.search(str(orig))
    if match is None:
        return None
    named = match.group(1).strip()
    if named.startswith("index '"):  # an index on expressions: SQLite names it
        return named.removeprefix("index '").removesuffix("'")
    # Otherwise SQLite lists the columns ("org_area.org_id, org_area.area_id"): find the
    # constraint or unique index of that table over exactly those columns.
    pairs = [part.strip().split(".", 1) for part in named.split(",")]
    table = db.metadata.tables.get(pairs[0][0])
    columns = [column for _, column in pairs]
    if table is None:
        return None
    for candidate in (table.primary_key, *table.constraints, *table.indexes):
        unique = (candidate.unique if isinstance(candidate, Index)
                  else isinstance(candidate, PrimaryKeyConstraint | UniqueConstraint))
        if unique and [c.name for c in candidate.columns] == columns and candidate.name:
            return str(candidate.name)
    return None


@contextmanager
def claim(refusals: Mapping[str, Exception]) -> Iterator[None]:
    """Make the block's writes, flushed, in a savepoint. If they duplicate a row on one of
    the constraints named in ``refusals`` (``uq_…``, ``pk_…``: the names of the naming
    convention), they are rolled back and that constraint's refusal is raised."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as exc:
        refusal = refusals.get(violated_unique(exc) or "")
        if refusal is None:
            raise
        raise refusal from exc


def hold(row) -> None:
    """Lock ``row`` until the transaction ends and read it afresh, relationships too:
    concurrent changes of one row (and of the rows that hang on it) then happen one after
    the other, each on what the one before left (on SQLite, transactions never overlap)."""
    db.session.refresh(row, with_for_update=True)
