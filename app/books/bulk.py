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


def _text(value) -> str:
    return "\\N" if value is None else value.translate(_ESCAPES)


def _number(value) -> str:
    return "\\N" if value is None else str(int(value))


def _date(value) -> str:
    return "\\N" if value is None else value.isoformat()


def _moment(value) -> str:
    if value is None:
        return "\\N"
    if value.tzinfo is None:
        raise ValueError("naive datetime given; use an aware datetime")
    return value.isoformat()


def _formatter(values):
    """The text-format writer for one column, chosen from its first non-null value."""
    sample = next((v for v in values if v is not None), None)
    if sample is None or isinstance(sample, str):
        return _text
    if isinstance(sample, bool):
        return lambda v: "\\N" if v is None else ("t" if v else "f")
    if isinstance(sample, int):
        return _number
    if isinstance(sample, datetime.datetime):
        return _moment
    if isinstance(sample, datetime.date):
        return _date
    raise TypeError(f"cannot COPY a {type(sample).__name__}")


def copy_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    """``COPY table (columns) FROM STDIN`` in the text format."""
    if not rows:
        return
    formats = [_formatter(row[i] for row in rows) for i in range(len(columns))]
    data = "".join("\t".join([f(v) for f, v in zip(formats, row, strict=True)]) + "\n"
                   for row in rows)
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
