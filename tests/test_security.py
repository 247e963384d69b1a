"""Attacks that must fail on every route: forged cross-site form posts, open redirects."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from tests.test_isolation import build


def post_routes(app):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.rule.startswith("/api/") and rule.endpoint != "static":
            yield rule


def test_every_form_post_without_csrf_token_is_refused(app, client, db, world, login, monkeypatch):
    """Signed in as the bureau officer, a post without the token changes nothing anywhere."""
    login(world.a.users.officer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    checked = []
    for rule in post_routes(app):
        url = build(rule, world.a.tenant.slug, world.a.extra[0]) if "tenant" in rule.arguments \
            else rule.rule
        if "<" in url:
            continue  # non-tenant routes with arguments: none today
        response = client.post(url, data={"name": "x"})
        assert response.status_code == 400, f"{url} -> {response.status_code}"
        checked.append(url)
    assert "/logout" in checked and len(checked) >= 5
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before


def test_session_cookie_flags(app, client, db, world, login):
    response = client.post("/login", data={"account": world.a.users.resident.phone,
                                           "password": "secret123"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
