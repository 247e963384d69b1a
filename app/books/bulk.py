"""PostgreSQL fast paths for the index writer: COPY, array parameters, one-statement updates.

The ledger worker mirrors thousands of postings a second; row-by-row INSERT and
UPDATE statements (and very long ``IN (…)`` lists) would cost more than the
journal itself. These run on the session's connection, inside its transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from sqlalchemy import text

from app.extensions import db

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _field(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        return value.isoformat()
    if isinstance(value, datetime.date | int):
        return str(value) if isinstance(value, int) else value.isoformat()
    raise TypeError(f"cannot COPY a {type(value).__name__}")


def copy_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """``COPY table (columns) FROM STDIN`` in the text format."""
    if not rows:
        return
    data = "".join("\t".join(_field(v) for v in row) + "\n" for row in rows)
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(data)


def next_ids(table: str, count: int) -> list[int]:
    """Reserve ``count`` ids from a serial column, ascending."""
    return sorted(db.session.scalars(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table, "n": count}))


def account_rows(tenant_id: int, names: list[str]):
    """(id, account, commodity, balance, postings) of the named accounts."""
    return db.session.execute(text(
        "SELECT id, account, commodity, balance, postings FROM ledger_account "
        "WHERE tenant_id = :tenant AND account = ANY(:names)"),
        {"tenant": tenant_id, "names": names})


def update_balances(rows: Sequence[tuple[int, int, int]]) -> None:
    """Set (id, balance, postings) of many accounts in one statement."""
    if not rows:
        return
    ids, balances, postings = zip(*rows, strict=True)
    db.session.execute(text(
        "UPDATE ledger_account AS a SET balance = v.balance, postings = v.postings "
        "FROM (SELECT unnest(CAST(:ids AS integer[])) AS id, "
        "unnest(CAST(:balances AS bigint[])) AS balance, "
        "unnest(CAST(:postings AS integer[])) AS postings) AS v WHERE a.id = v.id"),
        {"ids": list(ids), "balances": list(balances), "postings": list(postings)})
