"""Attacks that must fail: forged cross-site form posts on every route, replayed session
cookies, mixed or dead credentials, revoked and expired API tokens."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from app.audit.models import AuditEntry
from app.auth import services, sessions
from app.auth.models import Role
from app.auth.services import issue_api_token
from app.projects.models import ShiftSignup
from tests.factories import PASSWORD, OrgFactory, TenantFactory, UserFactory, user_with
from tests.projects.factories import ProjectFactory, shift, volunteer
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
        url = build(rule, world.a.tenant.slug, world.a.extra[0])
        response = client.post(url, data={"name": "x"})
        assert response.status_code == 400, f"{url} -> {response.status_code}"
        checked.append(url)
    assert "/logout" in checked and "/account/sessions/end-all" in checked and len(checked) >= 5
    assert any(url.startswith("/account/tokens/") for url in checked)
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before


def test_someone_elses_sessions_and_tokens_are_refused_on_every_route(app, client, db, world,
                                                                      login):
    """The world's sessions and tokens belong to its organization admin: anyone else naming
    them gets 404 on every route, and they keep working."""
    from tests.test_isolation import assert_refused

    login(world.a.users.officer)
    checked = 0
    for rule in app.url_map.iter_rules():
        if {"session_id", "token_id"} & set(rule.arguments):
            assert_refused(client, rule, build(rule, world.a.tenant.slug, world.a.extra[0]), [],
                           "officer")
            checked += 1
    assert checked >= 3
    owner = world.a.users.admin
    assert len(sessions.live(owner)) == 2 and len(services.tokens_of(owner)) == 2


def test_session_cookie_flags(app, client, db, world, login):
    response = client.post("/login", data={"account": world.a.users.resident.phone,
                                           "password": "secret123"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- Sessions: a copied cookie stops working when the session ends on the server. ---------

def csrf_of(client) -> str:
    """The CSRF token the pages give this client's session: the sign-in form's (a visitor's
    pages carry none elsewhere; a signed-in person's carry it for the page's script too)."""
    body = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


@pytest.fixture
def target(db):
    """A volunteer and a shift with room: the writes the attacks try."""
    tenant = TenantFactory()
    row = shift(ProjectFactory(org=OrgFactory(tenant_id=tenant.id)), capacity=5)
    return SimpleNamespace(volunteer=volunteer(tenant), shift=row, staff=user_with(tenant, Role.AUDITOR),
                           signup=f"/api/v1/t/{tenant.slug}/shifts/{row.id}/signup")


def signups(db, row) -> int:
    return db.session.scalar(select(func.count(ShiftSignup.id)).where(ShiftSignup.shift_id == row.id))


def test_a_cookie_copied_before_logout_is_signed_out(app, client, db, login, target, monkeypatch):
    login(target.volunteer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    thief = copy_of(app, client)
    token = csrf_of(thief)
    assert thief.get("/api/v1/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert thief.get("/api/v1/me").status_code == 401
    assert thief.get("/account").status_code == 302
    refused = thief.post(target.signup, headers={"X-CSRFToken": token})
    assert refused.status_code == 401 and refused.get_json()["code"] == 401
    assert signups(db, target.shift) == 0


def test_a_cookie_copied_before_a_password_change_is_signed_out(app, client, db, login, target):
    login(target.volunteer)
    thief = copy_of(app, client)
    client.post("/account/password", data={"old": PASSWORD, "new": "newpass123"})
    assert client.get("/api/v1/me").status_code == 200  # the browser that changed it stays in
    assert thief.get("/api/v1/me").status_code == 401
    assert thief.post(target.signup).status_code == 401
    assert signups(db, target.shift) == 0


def test_signing_out_everywhere_ends_every_session_of_the_account(app, client, db, login, target):
    login(target.volunteer)
    phone = login(target.volunteer, c=app.test_client())
    thief = copy_of(app, phone)
    other = login(UserFactory(), c=app.test_client())
    response = client.post("/account/sessions/end-all")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for browser in (client, phone, thief):
        assert browser.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 200  # someone else's session is untouched


def test_signing_out_one_other_device_leaves_this_one(app, client, db, login, target):
    from app.auth.models import LoginSession

    login(target.volunteer)
    phone = login(target.volunteer, c=app.test_client())
    rows = db.session.scalars(select(LoginSession).where(
        LoginSession.user_id == target.volunteer.id).order_by(LoginSession.id)).all()
    assert client.post(f"/account/sessions/{rows[1].id}/end").status_code == 302
    assert phone.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me").status_code == 200
    stranger = login(UserFactory(), c=app.test_client())
    assert stranger.post(f"/account/sessions/{rows[0].id}/end").status_code == 404
    assert client.get("/api/v1/me").status_code == 200


def test_an_operator_signs_an_account_out_everywhere(app, client, db, login, target):
    login(target.volunteer)
    result = app.test_cli_runner().invoke(args=["user", "sign-out", target.volunteer.phone])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/me").status_code == 401


def _age_sessions(db, user, **delta) -> None:
    """Pretend the user's sessions were last used (or started) that long ago."""
    from app.auth.models import LoginSession
    from app.db import utcnow

    column = "created_at" if delta.pop("started", False) else "last_seen_at"
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                       .values({column: utcnow() - timedelta(**delta)}))


def test_a_session_left_idle_expires(app, client, db, login, target):
    login(target.volunteer)
    thief = copy_of(app, client)
    _age_sessions(db, target.volunteer, minutes=29)
    assert client.get("/api/v1/me").status_code == 200  # still within the idle timeout …
    _age_sessions(db, target.volunteer, minutes=31)
    assert client.get("/api/v1/me").status_code == 401  # … and then not
    assert thief.get("/account").status_code == 302
    assert thief.post(target.signup).status_code == 401


def test_the_idle_timeout_is_configurable(app, client, db, login, target, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 120)
    login(target.volunteer)
    _age_sessions(db, target.volunteer, minutes=90)
    assert client.get("/api/v1/me").status_code == 200


def test_a_session_in_constant_use_still_ends_after_its_lifetime(app, client, db, login, target):
    login(target.volunteer)
    _age_sessions(db, target.volunteer, hours=8, minutes=1, started=True)
    assert client.get("/api/v1/me").status_code == 401


# --- Credentials: the token alone, or the session with its CSRF token; never both. ----------

def test_a_junk_bearer_header_does_not_switch_csrf_off(app, client, db, login, target, monkeypatch):
    login(target.volunteer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    refused = client.post(target.signup, headers={"Authorization": "Bearer junk"})
    assert refused.status_code in (400, 401) and refused.get_json()["code"] == refused.status_code
    assert signups(db, target.shift) == 0
    assert client.post(target.signup).status_code == 400  # the session alone needs its token
    assert client.post(target.signup, headers={"X-CSRFToken": csrf_of(client)}).status_code == 201


def test_another_scheme_in_the_authorization_header_leaves_the_session_rules(app, client, db,
                                                                             login, target,
                                                                             monkeypatch):
    login(target.volunteer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    refused = client.post(target.signup, headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert refused.status_code == 400 and signups(db, target.shift) == 0


def test_a_session_with_someone_elses_token_is_refused(app, client, db, login, target, monkeypatch):
    login(target.volunteer)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    other = volunteer(TenantFactory())
    headers = {"Authorization": f"Bearer {issue_api_token(other, 'b')}"}
    for response in (client.get("/api/v1/me", headers=headers),
                     client.post(target.signup, headers=headers)):
        assert response.status_code == 400
        assert "同时" in response.get_json()["message"]
    assert signups(db, target.shift) == 0


def test_a_token_works_beside_an_anonymous_session_cookie(app, client, db, target, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)  # as in production
    client.get("/lang/en")
    csrf_of(client)  # the session now holds a language and a CSRF secret, and no one
    headers = {"Authorization": f"Bearer {issue_api_token(target.volunteer, 'a')}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["id"] == target.volunteer.id
    assert client.post(target.signup, headers=headers).status_code == 201


def test_a_bad_token_is_401_and_never_falls_back(app, client, db, target):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer gz_nothing"})
    assert response.status_code == 401
    assert set(response.get_json()) >= {"code", "status", "message"}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer"}).status_code == 401


# --- API tokens: revoked or expired, a token is refused. ------------------------------------

def _token_row(db, user):
    from app.auth.models import ApiToken

    return db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                              .order_by(ApiToken.id.desc())).first()


def _refused(client, secret) -> bool:
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    return response.status_code == 401 and response.get_json()["code"] == 401


def test_a_token_revoked_by_its_owner_is_refused(app, client, db, login, target):
    secret = issue_api_token(target.volunteer, "集成")
    row = _token_row(db, target.volunteer)
    stranger = login(UserFactory(), c=app.test_client())
    assert stranger.post(f"/account/tokens/{row.id}/revoke").status_code == 404
    assert not _refused(client, secret)
    login(target.volunteer)
    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert _refused(app.test_client(), secret)
    refused = app.test_client().post(target.signup, headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401 and signups(db, target.shift) == 0


def test_a_token_revokes_itself_through_the_api(app, client, db, target):
    secret = issue_api_token(target.volunteer, "集成")
    headers = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/me/tokens", headers=headers).get_json()
    assert [t["name"] for t in listed] == ["集成"]
    someone = volunteer(TenantFactory())
    others = issue_api_token(someone, "别人的")
    foreign = _token_row(db, someone)
    assert client.delete(f"/api/v1/me/tokens/{foreign.id}", headers=headers).status_code == 404
    assert not _refused(client, others)
    assert client.delete(f"/api/v1/me/tokens/{listed[0]['id']}", headers=headers).status_code == 204
    assert _refused(client, secret)
    assert client.post(target.signup, headers=headers).status_code == 401


def test_an_operator_revokes_a_users_tokens(app, client, db, target):
    secret = issue_api_token(target.volunteer, "集成")
    result = app.test_cli_runner().invoke(args=["user", "sign-out", target.volunteer.phone, "--tokens"])
    assert result.exit_code == 0, result.output
    assert _refused(client, secret)


def test_an_expired_token_is_refused(app, client, db, target):
    from app.auth.models import ApiToken
    from app.db import utcnow

    secret = issue_api_token(target.volunteer, "集成", days=30)
    assert not _refused(client, secret)
    db.session.execute(update(ApiToken).where(ApiToken.user_id == target.volunteer.id)
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert _refused(client, secret)
    assert client.post(target.signup, headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert signups(db, target.shift) == 0


def test_a_password_change_revokes_the_accounts_tokens(app, client, db, login, target):
    secret = issue_api_token(target.volunteer, "集成")
    login(target.volunteer)
    client.post("/account/password", data={"old": PASSWORD, "new": "newpass123"})
    assert _refused(app.test_client(), secret)


# --- A stolen session is not the password. --------------------------------------------------

def test_a_token_is_minted_only_with_the_password(app, client, db, login, target):
    """A session used by someone else cannot turn itself into a credential that outlives it."""
    login(target.staff)
    for password in ("", "guess1234"):
        body = client.post("/account/tokens", data={"name": "后门", "password": password},
                           follow_redirects=True).get_data(as_text=True)
        assert "<code>gz_" not in body
    assert "当前密码不正确" in body
    assert services.tokens_of(target.staff) == []
    client.post("/account/tokens", data={"name": "集成", "password": PASSWORD})
    assert [t.name for t in services.tokens_of(target.staff)] == ["集成"]


def test_guessing_the_password_through_the_account_page_is_throttled(app, client, db, login,
                                                                    target, monkeypatch):
    login(target.staff)
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "3 per minute")
    guesses = [client.post("/account/password", data={"old": "guess1x", "new": "newpass123"}),
               client.post("/account/tokens", data={"name": "x", "password": "guess9x"}),
               client.post("/account/password", data={"old": "guess7x", "new": "newpass123"})]
    assert [r.status_code for r in guesses] == [302, 302, 302]
    assert client.post("/account/password", data={"old": PASSWORD, "new": "newpass123"}).status_code == 429
    assert client.post("/account/tokens", data={"name": "x", "password": PASSWORD}).status_code == 429
    assert target.staff.check_password(PASSWORD)
