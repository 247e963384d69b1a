"""Accounts: registration, sign-in, throttling, CSRF, sessions, roles, masking."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, User
from tests.factories import PASSWORD, OrgFactory, TenantFactory, UserFactory, user_with


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
        assert session["_user_id"] == str(user.id)


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


# --- The account page: where one is signed in, and one's API tokens. ------------------------

ANDROID_WECHAT = ("Mozilla/5.0 (Linux; Android 13; V2055A) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47")


def test_account_page_lists_the_devices_signed_in(app, client, db, login):
    user = UserFactory()
    login(user)
    phone = app.test_client()
    phone.post("/login", data={"account": user.phone, "password": PASSWORD},
               headers={"User-Agent": ANDROID_WECHAT})
    body = client.get("/account").get_data(as_text=True)
    assert "Android · 微信" in body and "本设备" in body
    assert body.count("退出该设备") == 1  # the phone; this browser signs out with 退出登录
    assert "连续 30 分钟没有操作会自动退出登录" in body and "登录 8 小时后也会退出" in body
    assert 'data-confirm="确定在所有设备（包括本设备）上退出登录吗？"' in body


def test_a_token_is_created_with_its_expiry_and_listed(app, client, db, login):
    from datetime import timedelta

    from app.auth.models import ApiToken
    from app.db import utcnow

    user = user_with(TenantFactory(), Role.AUDITOR)
    login(user)
    client.post("/account/tokens", data={"name": "统计系统", "days": "30", "password": PASSWORD})
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert abs(token.expires_at - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)
    body = client.get("/account").get_data(as_text=True)
    secret = body.split("<code>")[1].split("</code>")[0]
    assert ApiToken.hash(secret) == token.token_hash and secret not in token.token_hash
    assert "统计系统" in body and "到期时间：" in body and "尚未使用" in body
    assert "拥有您账号的全部角色权限" in body
    assert 'data-confirm="确定撤销令牌“统计系统”吗？使用它的系统将立即无法访问。"' in body
    assert secret not in client.get("/account").get_data(as_text=True)  # shown once


def test_a_token_lives_90_days_unless_told_and_at_most_a_year(app, client, db, login):
    from datetime import timedelta

    import pytest

    from app.auth.models import ApiToken
    from app.auth.services import AuthError, issue_api_token
    from app.db import utcnow

    user = user_with(TenantFactory(), Role.AUDITOR)
    issue_api_token(user, "默认")
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert abs(token.expires_at - (utcnow() + timedelta(days=90))) < timedelta(minutes=1)
    with pytest.raises(AuthError):
        issue_api_token(user, "太久", days=366)
    login(user)
    client.post("/account/tokens", data={"name": "太久", "days": "3650", "password": PASSWORD})
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == user.id)) == 1


def test_my_tokens_through_the_api_and_in_its_document(app, client, db):
    from datetime import timedelta

    from sqlalchemy import update

    from app.auth.models import ApiToken
    from app.auth.services import issue_api_token
    from app.db import utcnow

    user = UserFactory()
    old = issue_api_token(user, "旧的")
    db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(days=1)))
    headers = {"Authorization": f"Bearer {issue_api_token(user, '新的')}"}
    listed = client.get("/api/v1/me/tokens", headers=headers).get_json()
    assert [(t["name"], t["status"], t["scope"]) for t in listed] == [
        ("新的", "active", "account"), ("旧的", "expired", "account")]
    assert set(listed[0]) >= {"id", "created_at", "expires_at", "last_used_at"}
    assert old not in str(listed)
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/me/tokens"]
    assert "delete" in paths["/api/v1/me/tokens/{token_id}"]


def test_an_operator_lists_and_revokes_one_token(app, client, db):
    from app.auth.models import ApiToken
    from app.auth.services import issue_api_token

    user = UserFactory()
    keep, drop = issue_api_token(user, "保留"), issue_api_token(user, "撤销")
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["user", "tokens", user.phone])
    assert "保留" in listing.output and "撤销" in listing.output and "active" in listing.output
    dropped = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "撤销"))
    assert runner.invoke(args=["user", "revoke-token", str(dropped)]).exit_code == 0
    assert runner.invoke(args=["user", "revoke-token", str(dropped)]).exit_code != 0
    me = "/api/v1/me"
    assert client.get(me, headers={"Authorization": f"Bearer {drop}"}).status_code == 401
    assert client.get(me, headers={"Authorization": f"Bearer {keep}"}).status_code == 200
    assert runner.invoke(args=["user", "sign-out", "13000000000x"]).exit_code != 0


def test_residents_and_volunteers_hold_no_api_tokens(app, client, db, login):
    """The API serves other systems doing staff work: a resident or volunteer is offered no
    token and cannot mint one; staff can."""
    from app.auth.models import ApiToken

    tenant = TenantFactory()
    for role in (Role.RESIDENT, Role.VOLUNTEER):
        person = user_with(tenant, role)
        login(person)
        assert "API 令牌" not in client.get("/account").get_data(as_text=True)
        minted = client.post("/account/tokens", data={"name": "x", "days": "30", "password": PASSWORD})
        assert minted.status_code == 403
        assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.user_id == person.id)) == 0
    login(user_with(tenant, Role.ORG_BOOKKEEPER, OrgFactory(tenant_id=tenant.id)))
    assert "新建令牌" in client.get("/account").get_data(as_text=True)
