"""Health, languages, error pages, API shape and tokens."""

from __future__ import annotations

from app.auth.models import Role
from app.auth.services import issue_api_token
from tests.factories import TenantFactory, UserFactory, grant


def test_healthz_reports_database(client):
    data = client.get("/healthz").get_json()
    assert data["database"] == "ok"
    assert data["status"] == "ok"
    assert "not configured" in data["redis"]


def test_healthz_reports_redis_when_configured(app, client, redis_url):
    app.config["REDIS_URL"] = redis_url
    app.extensions.pop("gz_redis", None)
    try:
        assert client.get("/healthz").get_json()["redis"] == "ok"
        app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
        app.extensions.pop("gz_redis", None)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.get_json()["redis"].startswith("error")
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("gz_redis", None)


def test_chinese_by_default_english_on_request(client, db):
    tenant = TenantFactory()
    assert "登录" in client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    client.get(f"/lang/en?next=/t/{tenant.slug}/")
    body = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "Sign in" in body and "登录" not in body


def test_404_page_in_both_languages(client, db):
    response = client.get("/t/nope/")
    assert response.status_code == 404
    assert "不存在" in response.get_data(as_text=True)
    client.get("/lang/en")
    assert "does not exist" in client.get("/t/nope/").get_data(as_text=True)


def test_403_page(client, db, login):
    tenant = TenantFactory()
    login(grant(UserFactory(), tenant, Role.RESIDENT))
    response = client.get(f"/t/{tenant.slug}/areas")
    assert response.status_code == 403
    assert "没有权限" in response.get_data(as_text=True)


def test_500_page_is_friendly(app, client, db, monkeypatch):
    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.view_functions, "core.healthz", boom)
    monkeypatch.setitem(app.config, "SHOW_500_IN_TESTS", True)
    response = client.get("/healthz", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert "出错" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_api_errors_have_one_shape(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.get_json()) >= {"code", "status", "message"}
    assert response.get_json()["code"] == 401
    response = client.get("/api/v1/t/nope/areas")
    assert response.status_code == 404 and response.get_json()["status"] == "Not Found"


def test_api_token_auth_and_masking(client, db):
    tenant = TenantFactory()
    user = grant(UserFactory(phone="13912345678"), tenant, Role.BUREAU_OFFICER)
    token = issue_api_token(user, "integration")
    data = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert data["phone"] == "139****5678"
    assert data["roles"] == [{"tenant": tenant.slug, "role": "bureau_officer", "org_id": None}]
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer gz_wrong"})
    assert bad.status_code == 401


def test_api_token_use_is_recorded_once_a_minute_even_by_read_only_calls(app, committed):
    from datetime import timedelta

    from sqlalchemy import select

    from app.auth.models import ApiToken
    from app.db import utcnow

    tenant = TenantFactory()
    user = grant(UserFactory(), tenant, Role.VOLUNTEER)
    token = issue_api_token(user, "integration")
    committed.session.commit()
    client = app.test_client()  # its requests commit for real: the test reads what they kept

    def last_used():
        """Fresh from the database, the test's transaction closed again at once."""
        value = committed.session.scalar(select(ApiToken.last_used_at)
                                         .where(ApiToken.user_id == user.id))
        committed.session.rollback()
        return value

    assert last_used() is None
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    first = last_used()
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert last_used() == first  # within the minute: not written again
    committed.session.execute(ApiToken.__table__.update().values(
        last_used_at=first - timedelta(minutes=5)))
    committed.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert last_used() > first - timedelta(minutes=5)
    assert client.get("/account", headers=headers).status_code == 200


def test_session_writes_to_api_need_csrf_header(app, client, db, login, monkeypatch):
    user = UserFactory()
    login(user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    refused = client.post("/api/v1/me", json={})
    assert refused.status_code == 400 and refused.get_json()["code"] == 400
    token = issue_api_token(user, "t")
    # With a token alone the CSRF rule does not apply; the route itself then answers.
    assert app.test_client().post("/api/v1/me", json={},
                                  headers={"Authorization": f"Bearer {token}"}).status_code == 405


def test_database_unavailable_is_a_friendly_503(app, client, db, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def down():
        raise OperationalError("SELECT 1", {}, Exception("the database system is starting up"))

    monkeypatch.setitem(app.view_functions, "core.home", down)
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "服务繁忙" in response.get_data(as_text=True)
    api = client.get("/", headers={"Accept": "application/json"})
    assert api.get_json()["code"] == 503


def test_tenant_row_cached_briefly_and_forgotten_on_change(app, client, db):
    """A tenant's slug is resolved from its row at most every few seconds per process; a
    change made in the process is seen at once."""
    from sqlalchemy import event

    from app.tenancy import scoping

    tenant = TenantFactory(name="甲区民政局")
    db.session.commit()  # the test's savepoint: visible to the client's requests
    page = f"/t/{tenant.slug}/"
    reads = []

    def count(conn, cursor, statement, *args):
        if "FROM tenant" in statement:
            reads.append(statement)

    app.config["TENANT_CACHE_SECONDS"] = 60
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert "甲区民政局" in client.get(page).get_data(as_text=True)
        assert len(reads) == 1
        assert "甲区民政局" in client.get(page).get_data(as_text=True)
        assert len(reads) == 1  # served from the cache

        tenant.name = "乙区民政局"
        db.session.commit()
        reads.clear()
        assert "乙区民政局" in client.get(page).get_data(as_text=True)
        assert len(reads) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        app.config["TENANT_CACHE_SECONDS"] = 0
        scoping._by_slug.clear()


def test_control_characters_are_refused_as_bad_input(client, db):
    """NUL and other control characters cannot be stored (PostgreSQL refuses NUL; Excel and
    XML refuse the rest): a form, a JSON body, a query or a path holding one gets a 400 with
    a message, before anything reads it. Tabs and line breaks are ordinary text."""
    tenant = TenantFactory()
    message = "文本中含有不可见的控制字符"

    page = client.post("/login", data={"account": "1380000\x000000", "password": "x"})
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    api = client.post(f"/api/v1/t/{tenant.slug}/volunteer-profile", json={"real_name": "a\x1bb"})
    assert api.status_code == 400 and message in api.get_json()["message"]
    assert client.get(f"/t/{tenant.slug}/projects?q=%00").status_code == 400
    assert client.get("/t/x%00y/").status_code == 400
    assert client.get(f"/t/{tenant.slug}/projects?q=%E5%8A%A9%09%E8%80%81").status_code == 200
    assert client.post("/login", data={"account": "13800000000\n", "password": "x"}).status_code == 200


def test_login_rate_limit_comes_from_the_environment(monkeypatch):
    from app.config import from_env

    assert from_env()["LOGIN_RATE_LIMIT"] == "10 per minute;50 per hour"
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "5 per minute")
    assert from_env()["LOGIN_RATE_LIMIT"] == "5 per minute"
