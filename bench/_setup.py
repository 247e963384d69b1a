"""Throwaway databases for benchmarks: a fresh SQLite file or PostgreSQL database, migrated
to head, dropped afterwards. Not used by the app."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

POSTGRES_ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def throwaway_database(backend: str):
    """Yield the URL of an empty database on ``backend``; drop it afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="gz-bench-"))
    if backend == "sqlite":
        try:
            yield f"sqlite:///{tmp / 'bench.sqlite'}", tmp
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    from bench.common import empty_database

    try:
        with empty_database() as url:
            yield url, tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def make_app(url: str, tmp: Path):
    """The app on ``url``, migrated to head, quiet."""
    os.environ.setdefault("SECRET_KEY", "bench-secret")
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret", "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None, "JOBS_INLINE": True, "RATELIMIT_STORAGE_URI": "memory://",
        "LOGIN_RATE_LIMIT": "100000 per minute", "EXPORT_DIR": str(tmp / "exports"),
        "SERVER_NAME": "localhost"})
    with app.app_context():
        upgrade()
    logging.getLogger().setLevel(logging.WARNING)
    return app


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]
