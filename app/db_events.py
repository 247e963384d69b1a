"""Engine-level settings: make SQLite behave (foreign keys, real transactions, savepoints)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine


def install(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin, so that
        # SAVEPOINT and BEGIN IMMEDIATE work (SQLAlchemy pysqlite docs).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # IMMEDIATE takes the write lock up front: two writers never both read
        # the same capacity and then both insert.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
