"""Accounts: registration, sign-in, throttling, CSRF, sessions, roles, masking."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, User
from tests.factories import PASSWORD, TenantFactory, UserFactory, user_with


def register(client, slug, **data):
    form = {"name": "张三", "account": "13911112222", "password": "abc12345", "confirm": "abc12345",
            "agree": "y"}
    form.update(data)
    return client.post(f"/t/{slug}/register", data=form)


def test_register_with_phone_signs_in_and_grants_resident(client, db):
    tenant = TenantFactory()
    response = register(client, tenant.slug)
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.phone == "13911112222"))
    assert user.roles_in(tenant.id) == {Role.RESIDENT}
    assert user.password_hash.startswith("scrypt:")
    assert client.get("/account").status_code == 200


def test_register_with_email(client, db):
    tenant = TenantFactory()
    assert register(client, tenant.slug, account="Li.Si@Example.com").status_code == 302
    assert db.session.scalar(select(User.email).where(User.name == "张三")) == "li.si@example.com"


def test_duplicate_account_is_refused_and_nothing_created(client, db):
    tenant = TenantFactory()
    UserFactory(phone="13911112222")
    response = register(client, tenant.slug)
    assert response.status_code == 200
    assert "已存在" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id)).where(User.phone == "13911112222")) == 1


def test_malformed_phone_and_weak_password_are_explained(client, db):
    tenant = TenantFactory()
    body = register(client, tenant.slug, account="12345").get_data(as_text=True)
    assert "11 位" in body
    body = register(client, tenant.slug, password="abcdefgh", confirm="abcdefgh").get_data(as_text=True)
    assert "字母和数字" in body
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_wrong_password_gives_one_message(client, db):
    UserFactory(phone="13911112222")
    for account in ("13911112222", "13900000000"):
        body = client.post("/login", data={"account": account, "password": "nope1234"}).get_data(as_text=True)
        assert "账号或密码错误" in body


def test_login_is_throttled(app, client, db, monkeypatch):
    UserFactory(phone="13911112222")
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    codes = [client.post("/login", data={"account": "13911112222", "password": "bad"}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]


def test_throttled_page_is_friendly(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    for _ in range(10):
        client.post("/login", data={"account": "13911112222", "password": "bad"})
    response = client.post("/login", data={"account": "13911112222", "password": "bad"})
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)


def test_form_without_csrf_token_is_refused(client, db, csrf_enabled):
    tenant = TenantFactory()
    response = register(client, tenant.slug)
    assert response.status_code == 400
    assert "表单已过期" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_starts_a_fresh_session(client, db, login):
    user = UserFactory()
    with client.session_transaction() as session:
        session["planted"] = "by-attacker"
    login(user)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"] == f"{user.id}:{user.session_version}"


def test_password_change_ends_other_sessions(app, client, db, login):
    user = UserFactory()
    login(user)
    other = login(user, c=app.test_client())
    response = client.post("/account/password", data={"old": PASSWORD, "new": "newpass123"})
    assert response.status_code == 302
    assert other.get("/account").status_code == 302  # back to the login page
    assert client.get("/account").status_code == 200


def test_logout_needs_post(client, db, login):
    login(UserFactory())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_open_redirect_is_refused(client, db):
    user = UserFactory()
    response = client.post("/login?next=//evil.example/x",
                           data={"account": user.phone, "password": PASSWORD})
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_roles_are_per_tenant(db):
    a, b = TenantFactory(), TenantFactory()
    officer = user_with(a, Role.BUREAU_OFFICER)
    assert officer.has_role(a.id, Role.BUREAU_OFFICER)
    assert not officer.has_role(b.id, Role.BUREAU_OFFICER)


def test_expired_session_asks_to_sign_in_again(app, client, db, login, monkeypatch):
    from datetime import timedelta

    login(UserFactory())
    monkeypatch.setattr(app, "permanent_session_lifetime", timedelta(seconds=-1))
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
