"""Helpers shared by the benchmarks: throwaway PostgreSQL databases, timing, memory."""

from __future__ import annotations

import os
import resource
import statistics
import uuid
from contextlib import contextmanager

import sqlalchemy as sa

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def throwaway_database(label: str):
    """Create an empty PostgreSQL database, yield its URL, drop it afterwards."""
    name = f"gz_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield str(sa.engine.make_url(ADMIN_URL).set(database=name))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def peak_rss_mib(children: bool = False) -> float:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def report(name: str, value, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if abs(value) < 1000 else f"{value:.0f}"
    print(f"{name}: {value} {unit}".rstrip(), flush=True)
