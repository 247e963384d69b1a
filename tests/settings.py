"""Where the suite's databases and Redis live. One run = one database and one key prefix.

``GZ_TEST_DB=sqlite`` (default) or ``postgresql``; ``TEST_POSTGRES_URL`` and
``TEST_REDIS_URL`` point at the servers (defaults: the local ones).
"""

from __future__ import annotations

import os
import uuid

BACKEND = os.environ.get("GZ_TEST_DB", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
RUN_ID = uuid.uuid4().hex[:10]


def redis_available() -> bool:
    try:
        from redis import Redis

        return bool(Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def postgres_available() -> bool:
    try:
        import sqlalchemy as sa

        engine = sa.create_engine(POSTGRES_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False
