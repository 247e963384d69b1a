"""Test fixtures: the app from the factory, one database per run (migrated to head),
a rolled-back transaction per test, factories, and signed-in clients."""

from __future__ import annotations

import importlib
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app, domain_modules
from app.extensions import db as _db
from app.extensions import limiter
from tests import dbsetup, settings
from tests.factories import PASSWORD  # noqa: F401  (re-exported for tests)

# Every domain's models, as the app loads them, before any test module: a module that builds
# a statement when imported then finds every table its mappers refer to, whichever tests
# were collected first.
for _models in domain_modules("models"):
    importlib.import_module(_models)


def test_config(tmp: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        "REDIS_URL": None,
        "JOBS_INLINE": True,
        "JOBS_INLINE_RAISE": True,
        "LEDGER_DIR": str(tmp / "ledger"),
        "UPLOAD_DIR": str(tmp / "uploads"),
        "EXPORT_DIR": str(tmp / "exports"),
        "SERVER_NAME": "localhost",
        # Tests roll tenants back and create them again under the same slug.
        "TENANT_CACHE_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def tmp_root():
    path = Path(tempfile.mkdtemp(prefix="gz-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (own ``g`` and session), as in production,
    even while the test holds one open for its factories."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        _db.session.expire_all()  # the test's objects see what the request changed
        return response


@pytest.fixture(scope="session")
def app(tmp_root):
    url = dbsetup.create_database(tmp_root)
    application = create_app(test_config(tmp_root, url))
    application.test_client_class = IsolatedClient
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
    dbsetup.drop_database(url)


@pytest.fixture
def db(app):
    """An app context whose work is rolled back after the test (commits become savepoints).

    Tests that need real commits seen by other connections use ``committed`` instead.
    """
    with app.app_context():
        engines = _db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        engines[None] = connection
        try:
            yield _db
        finally:
            _db.session.remove()
            outer.rollback()
            connection.close()
            engines[None] = engine
            limiter.reset()


@pytest.fixture
def committed(app):
    """Real commits (for concurrency tests); every table is emptied afterwards."""
    with app.app_context():
        yield _db
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def login(client):
    """``login(user)`` signs the test client in through the real login form."""

    def _login(user, password: str = PASSWORD, c=None):
        c = c or client
        account = user.phone or user.email
        response = c.post("/login", data={"account": account, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return _login


@pytest.fixture
def redis_url():
    if not settings.redis_available():
        pytest.skip("Redis is not reachable")
    return settings.REDIS_URL


@pytest.fixture
def world(db):
    """Two tenants, each with two verified organizations and one user per role."""
    from tests.factories import build_world

    return build_world()


@pytest.fixture
def committed_redis_app(tmp_root, app, redis_url):
    """A second app on the same database with real Redis queues under a unique prefix."""
    prefix = f"gztest-{settings.RUN_ID}-{uuid.uuid4().hex[:6]}-"
    config = dict(app.config)
    config.update({"REDIS_URL": redis_url, "JOBS_INLINE": False, "RQ_QUEUE_PREFIX": prefix})
    redis_app = create_app(config)
    yield redis_app, prefix
    with redis_app.app_context():
        from redis import Redis

        client = Redis.from_url(redis_url)
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                if table.name not in ("alembic_version",):
                    conn.execute(table.delete())
        _db.engine.dispose()
