"""Test fixtures: the app from the factory, one database per run (migrated to head),
a rolled-back transaction per test, factories, and signed-in clients."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import shutil
import tempfile
import uuid
from pathlib import Path
from types import SimpleNamespace

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


#: Rough seconds a test takes, to share the long ones out (``@pytest.mark.long``: about half
#: a minute; a browser journey: a few seconds, but all of them on one worker, which starts the
#: live server once).
LONG_SECONDS, BROWSER_SECONDS = 30, 5


def pytest_collection_modifyitems(config, items):
    """Order the tests for the workers. xdist (``--dist worksteal``) hands each worker an equal
    slice of this list and lets an idle worker take queued tests from a busy one; so each
    slice starts with its share of the long tests (the browser journeys together), and the
    tests that share the held world follow each other. The workers then end together instead
    of one waiting on a long test the other drew last."""
    workers = max(1, int(getattr(config, "workerinput", {}).get("workercount", 1)))
    browser = [i for i in items if "tests/browser/" in i.nodeid]
    marked = [i for i in items if i.get_closest_marker("long") and i not in browser]
    taken = {id(i) for i in browser + marked}
    order = {kind: n for n, kind in enumerate(HELD_KINDS)}
    rest = sorted((i for i in items if id(i) not in taken),
                  key=lambda i: order.get(_held_kind(getattr(i, "fixturenames", ())), len(order)))
    units = ([(BROWSER_SECONDS * len(browser), browser)] if browser else []) + [
        (LONG_SECONDS, [i]) for i in marked]
    shares: list[tuple[int, list]] = [(0, []) for _ in range(workers)]
    for seconds, unit in sorted(units, key=lambda u: -u[0]):
        k = min(range(workers), key=lambda w: shares[w][0])
        shares[k] = (shares[k][0] + seconds, shares[k][1] + unit)
    ordered, left = [], len(items)
    for w in range(workers):
        size = left // (workers - w)  # what the scheduler hands worker ``w``
        head = shares[w][1]
        ordered += head + rest[:max(0, size - len(head))]
        rest = rest[max(0, size - len(head)):]
        left -= size
    items[:] = ordered + rest


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
        "STORAGE": "local",
        "TEST_ROOT": str(tmp),
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
    _release_world()
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
    dbsetup.drop_database(url)


class _HeldWorld:
    """A world built once and kept in an open transaction while the tests that ask for it run
    one after another (they are collected together): the isolation world (``world``) or the
    demo tenant loaded twice (``demo``). Each of those tests works in a savepoint rolled back
    afterwards and gets its own copies of the world's objects. Any other test first rolls the
    world back, so no test sees it uninvited and no other connection ever waits on it."""

    kind = None
    connection = None
    outer = None
    snapshot = None


_held = _HeldWorld()
#: Fixtures that move the app's file folders before the world is built: the world's files
#: (receipts, certificates) must land in them, so such a test builds a world of its own.
OWN_WORLD = {"folders"}
#: The held worlds, in the order their tests run.
HELD_KINDS = ("world", "demo")


def _held_kind(fixturenames) -> str | None:
    """Which held world a test shares, if any."""
    names = set(fixturenames)
    if "demo" in names:
        return "demo"
    if "world" in names and not OWN_WORLD & names:
        return "world"
    return None


def _shares_world(fixturenames) -> bool:
    return _held_kind(fixturenames) == "world"


def _release_world() -> None:
    if _held.connection is not None:
        connection, outer = _held.connection, _held.outer
        _held.connection = _held.outer = _held.snapshot = _held.kind = None
        with contextlib.suppress(Exception):
            outer.rollback()
        connection.close()


def _hold(kind: str, engine, app) -> None:
    from tests.factories import build_world

    _held.connection = engine.connect()
    _held.outer = _held.connection.begin()
    _held.kind = kind
    _db.engines[None] = _held.connection
    _held.snapshot = build_world() if kind == "world" else _load_demo_twice(app)
    # The session works in a savepoint of its own: releasing it keeps the rows in the held
    # transaction. The objects are then detached, as they were built.
    _db.session.commit()
    _db.session.remove()


def _demo_folders(app) -> dict[str, str]:
    """Where the held demo keeps its files (journal, exports, uploads): its tests read them."""
    root = Path(app.config["TEST_ROOT"]) / "demo"
    return {key: str(root / name) for key, name in (
        ("LEDGER_DIR", "ledger"), ("EXPORT_DIR", "exports"), ("UPLOAD_DIR", "uploads"))}


def _row_counts() -> dict[str, int]:
    from sqlalchemy import func, select

    return {table.name: _db.session.scalar(select(func.count()).select_from(table))
            for table in _db.metadata.sorted_tables}


def _load_demo_twice(app) -> SimpleNamespace:
    """``demo load`` run twice, as an operator would (the second time through the CLI), with
    what each run said and every table's row count after each; the books drained."""
    from unittest import mock

    from app.books.drain import drain
    from app.db_commit import commit
    from app.demo import load
    from app.tenancy.models import Tenant
    from tests.factories import _FAST_HASH

    saved = {key: app.config[key] for key in _demo_folders(app)}
    app.config.update(_demo_folders(app))
    try:
        # The demo's accounts would each cost a production scrypt hash.
        with mock.patch("app.auth.models.generate_password_hash", lambda password: _FAST_HASH):
            with app.test_request_context("/"):
                first = load()
                commit()
            counts = _row_counts()
            second = app.test_cli_runner().invoke(args=["demo", "load"])
            again = _row_counts()
        with app.test_request_context("/"):
            drain(_db.session.scalar(_db.select(Tenant.id).where(Tenant.slug == "demo")))
            commit()
    finally:
        app.config.update(saved)
    _db.session.remove()
    return SimpleNamespace(first=first, second=second.output, second_exit=second.exit_code,
                           counts=counts, counts_again=again)


def _fresh(value, session):
    """The world's namespace copied for one test, each row object merged into its session."""
    if hasattr(value, "_sa_instance_state"):
        return session.merge(value, load=False)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**{k: _fresh(v, session) for k, v in vars(value).items()})
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _fresh(getattr(value, f.name), session)
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, dict):
        return {k: _fresh(v, session) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v, session) for v in value]
    return value


@pytest.fixture
def db(app, request):
    """An app context whose work is rolled back after the test (commits become savepoints).

    Tests that need real commits seen by other connections use ``committed`` instead.
    """
    with app.app_context():
        engines = _db.engines
        engine = engines[None]
        kind = _held_kind(request.fixturenames)
        if kind:
            if _held.kind != kind:
                _release_world()
                _hold(kind, engine, app)
            connection = _held.connection
            scope = connection.begin_nested()
        else:
            _release_world()
            connection = engine.connect()
            scope = connection.begin()
        engines[None] = connection
        try:
            yield _db
        finally:
            _db.session.remove()
            engines[None] = engine
            limiter.reset()
            if connection is _held.connection:
                try:
                    scope.rollback()
                except Exception:  # the test ended the savepoint itself: start afresh
                    _release_world()
            else:
                scope.rollback()
                connection.close()


@pytest.fixture(autouse=True)
def _world_only_where_asked(request):
    """A test that does not ask for a held world (and may use other connections: committed
    data, a live server, a second app) runs with it rolled back."""
    if not _held_kind(request.fixturenames):
        _release_world()


@pytest.fixture
def demo(app, db, monkeypatch):
    """The demo tenant, loaded twice (``_load_demo_twice``), shared by the tests that ask for
    it; each works in a savepoint rolled back afterwards, with the demo's file folders."""
    for key, folder in _demo_folders(app).items():
        monkeypatch.setitem(app.config, key, folder)
    return _held.snapshot


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
def world(db, request):
    """Two tenants, each with two verified organizations and one user per role, and one of
    each object the isolation tests attack (``tests/isolation.py``)."""
    if _shares_world(request.fixturenames):
        return _fresh(_held.snapshot, db.session)
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
