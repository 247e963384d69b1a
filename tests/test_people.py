"""The bureau signs a person out on every device (a lost phone, someone who left their post):
every session of the account ends and every API token stops working, after a confirmation,
recorded in the audit log; no one else can, and no one outside the district."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.auth.services import issue_api_token
from tests.factories import TenantFactory, user_with


def _me(client, **headers) -> int:
    return client.get("/api/v1/me", headers=headers).status_code


def test_the_bureau_finds_a_person_and_signs_them_out_everywhere(app, client, db, login):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER, name="钱科长")
    person = user_with(tenant, Role.VOLUNTEER, name="孙丽娟")
    other = user_with(tenant, Role.VOLUNTEER, name="周建国")
    phone = login(person, c=app.test_client())
    bystander = login(other, c=app.test_client())
    secret = issue_api_token(person, "手机")
    login(officer)

    page = client.get(f"/t/{tenant.slug}/people", query_string={"q": "孙丽"}).get_data(as_text=True)
    assert "孙丽娟" in page and "周建国" not in page
    assert person.phone not in page and person.phone[-4:] in page  # masked
    assert "1 台设备" in page

    url = f"/t/{tenant.slug}/people/{person.id}/sign-out"
    asked = client.post(url).get_data(as_text=True)  # without the yes: the question, nothing done
    assert "孙丽娟 将在所有手机和电脑上退出登录" in asked
    assert _me(phone) == 200

    done = client.post(url, data={"confirmed": "yes"}, follow_redirects=True).get_data(as_text=True)
    assert "孙丽娟 已在所有设备上退出登录（结束 1 处登录，作废 1 个 API 令牌）" in done
    assert _me(phone) == 401
    assert _me(app.test_client(), Authorization=f"Bearer {secret}") == 401
    assert _me(bystander) == 200 and _me(client) == 200
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "user", AuditEntry.object_id == str(person.id))
        .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == officer.id and "signed_out_at" in entry.changes


def test_no_one_but_the_bureau_of_the_district_signs_people_out(app, client, db, login):
    tenant, elsewhere = TenantFactory(), TenantFactory()
    person = user_with(tenant, Role.VOLUNTEER, name="孙丽娟")
    phone = login(person, c=app.test_client())
    url = f"/t/{tenant.slug}/people/{person.id}/sign-out"
    for role in (Role.VOLUNTEER, Role.AUDITOR, Role.OVERSEER):
        login(user_with(tenant, role))
        assert client.post(url, data={"confirmed": "yes"}).status_code == 403
        assert client.get(f"/t/{tenant.slug}/people?q=孙").status_code == 403
    login(user_with(elsewhere, Role.BUREAU_OFFICER))
    assert client.post(url, data={"confirmed": "yes"}).status_code == 403
    # nor through its own district: the person holds no role there
    assert client.post(f"/t/{elsewhere.slug}/people/{person.id}/sign-out",
                       data={"confirmed": "yes"}).status_code == 404
    assert "孙丽娟" not in client.get(f"/t/{elsewhere.slug}/people?q=孙").get_data(as_text=True)
    assert _me(phone) == 200


def test_an_officer_signs_themself_out_from_the_account_page_not_here(app, client, db, login):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    login(officer)
    response = client.post(f"/t/{tenant.slug}/people/{officer.id}/sign-out",
                           data={"confirmed": "yes"}, follow_redirects=True)
    assert "请到“我的账号”页面操作" in response.get_data(as_text=True)
    assert _me(client) == 200
