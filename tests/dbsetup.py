"""Create and drop the per-run test databases on the chosen backend."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from tests import settings


def worker_suffix() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def create_database(tmp_dir: Path, label: str = "test") -> str:
    """A new empty database for this run and worker; ``label`` keeps several apart."""
    if settings.BACKEND == "sqlite":
        return f"sqlite:///{tmp_dir / f'{label}-{worker_suffix()}.sqlite'}"
    name = f"gz_{label}_{settings.RUN_ID}_{worker_suffix()}"
    admin = sa.create_engine(settings.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        # A test database is thrown away after the run: its commits need not wait for the
        # disk (what a commit makes visible to other connections is the same).
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET synchronous_commit TO off')
        # Its tables are small: compiling a query to machine code (JIT) never pays back.
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET jit TO off')
    admin.dispose()
    return str(sa.engine.make_url(settings.POSTGRES_ADMIN_URL).set(database=name))


def drop_database(url: str) -> None:
    if not url.startswith("postgresql"):
        return
    name = sa.engine.make_url(url).database
    admin = sa.create_engine(settings.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def restart_ids(connection) -> None:
    """New rows get the ids that follow the rows present, on PostgreSQL as on SQLite.

    PostgreSQL's sequences are not rolled back with a test, so without this the ids a test
    sees depend on which tests ran before it in the same database.
    """
    if connection.dialect.name != "postgresql":
        return
    serials = connection.exec_driver_sql(
        "SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) "
        "FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL").all()
    for table, column, sequence in serials:
        connection.exec_driver_sql(
            f'SELECT setval(%(seq)s, coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)',
            {"seq": sequence})
