"""Organizations under concurrent requests, with real commits (``committed``): a credit code,
an account, a staff invitation or a role is taken once, and the requests that lose the
race get the same refusal as a later duplicate would, never a server error."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, RoleGrant, User
from app.auth.services import issue_api_token
from app.orgs.models import InvitationStatus, Organization, OrgArea, OrgInvitation
from tests.concurrency import outcome, run_together
from tests.factories import AreaFactory, OrgFactory, TenantFactory, UserFactory, user_with
from tests.orgs.files import PDF, upload
from tests.orgs.test_registration import code

TIMES = 6


def bearers(user, n: int = TIMES) -> list[dict]:
    """One token per request: requests with one token would queue behind its last-used
    time, written at once, and never meet."""
    return [{"Authorization": f"Bearer {issue_api_token(user, 'test')}"} for _ in range(n)]


def requests(app, send) -> list:
    """``send(client, i)`` from TIMES threads at once, each with its own test client."""
    return run_together(app, [lambda i=i: send(app.test_client(), i) for i in range(TIMES)])


def count(committed, model, *where) -> int:
    committed.session.expire_all()
    return committed.session.scalar(select(func.count()).select_from(model).where(*where))


def test_one_credit_code_registered_at_once_is_one_organization(app, committed):
    tenant = TenantFactory()
    people = [bearers(user_with(tenant, Role.RESIDENT), 1)[0] for _ in range(TIMES)]
    slug = tenant.slug
    committed.session.commit()
    form = {"name": "邻里守望社", "credit_code": code(7), "kind": "居民互助类",
            "legal_representative": "周一", "contact_name": "周一", "contact_phone": "13711112222"}

    def register(client, i):
        return client.post(f"/api/v1/t/{slug}/organizations", headers=people[i],
                           data={**form, "certificate": upload(PDF, "c.pdf")},
                           content_type="multipart/form-data")

    answers = requests(app, register)
    assert sorted(map(outcome, answers)) == ["201"] + ["422"] * (TIMES - 1)
    assert {a.get_json()["message"] for a in answers if a.status_code == 422} == {
        "该统一社会信用代码已有组织登记。"}
    assert count(committed, Organization) == 1
    assert count(committed, RoleGrant, RoleGrant.role == Role.ORG_ADMIN) == 1


def test_concurrent_edits_of_the_areas_served_all_land_and_leave_one_set(app, committed):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, legal_representative="陈明", contact_name="李华",
                     contact_phone="13712345678")
    areas = [AreaFactory(tenant=tenant).id for _ in range(3)]
    admin = bearers(user_with(tenant, Role.ORG_ADMIN, org))
    choices = [areas[:2], areas[1:]]
    url = f"/api/v1/t/{tenant.slug}/organizations/{org.id}"
    org_id = org.id
    committed.session.commit()

    answers = requests(app, lambda client, i: client.patch(
        url, headers=admin[i], json={"area_ids": choices[i % 2]}))
    assert [outcome(a) for a in answers] == ["200"] * TIMES, [a.get_json() for a in answers]
    committed.session.expire_all()
    served = committed.session.get(Organization, org_id).area_ids
    assert served in choices
    assert count(committed, OrgArea, OrgArea.org_id == org_id) == 2


def test_one_mobile_number_signed_up_at_once_is_one_account(app, committed):
    tenant = TenantFactory()
    slug = tenant.slug
    committed.session.commit()

    def sign_up(client, i):
        return client.post(f"/t/{slug}/register", data={
            "account": "13755550001", "name": f"重复{i}", "password": "abc12345",
            "confirm": "abc12345", "agree": "y"})

    answers = requests(app, sign_up)
    assert sorted(map(outcome, answers)) == ["200"] * (TIMES - 1) + ["302"]
    for answer in answers:
        if answer.status_code == 200:
            assert "该手机号或邮箱的账号已存在，请直接登录。" in answer.get_data(as_text=True)
    assert count(committed, User, User.phone == "13755550001") == 1


def test_one_person_invited_to_one_role_at_once_is_one_invitation(app, committed):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    admin = bearers(user_with(tenant, Role.ORG_ADMIN, org))
    url = f"/api/v1/t/{tenant.slug}/organizations/{org.id}/staff"
    committed.session.commit()

    answers = requests(app, lambda client, i: client.post(
        url, headers=admin[i], json={"account": "13755550002", "role": "org_coordinator"}))
    assert sorted(map(outcome, answers)) == ["201"] + ["422"] * (TIMES - 1)
    assert {a.get_json()["message"] for a in answers if a.status_code == 422} == {
        "已邀请此人担任该角色，正在等待答复。"}
    assert count(committed, OrgInvitation, OrgInvitation.status == InvitationStatus.PENDING) == 1


def test_an_invitation_accepted_at_once_grants_the_role_once(app, committed):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    person = UserFactory(phone="13755550003")
    invitation = OrgInvitation(tenant_id=tenant.id, org_id=org.id, phone=person.phone,
                               role=Role.ORG_BOOKKEEPER.value)
    committed.session.add(invitation)
    committed.session.flush()
    url = f"/api/v1/t/{tenant.slug}/invitations/{invitation.id}/acceptance"
    tokens, person_id = bearers(person), person.id
    committed.session.commit()

    answers = requests(app, lambda client, i: client.post(url, headers=tokens[i]))
    assert sorted(map(outcome, answers)) == ["200"] + ["422"] * (TIMES - 1)
    assert count(committed, RoleGrant, RoleGrant.user_id == person_id) == 1


def test_a_role_granted_at_once_is_one_grant(app, committed):
    from app.auth.services import grant_role
    from app.extensions import db

    tenant = TenantFactory()
    person = UserFactory()
    tenant_id, person_id = tenant.id, person.id
    committed.session.commit()

    def grant():
        return grant_role(db.session.get(User, person_id), tenant_id, Role.VOLUNTEER).id

    granted = run_together(app, [grant] * TIMES)
    assert all(isinstance(g, int) for g in granted), granted
    assert count(committed, RoleGrant, RoleGrant.user_id == person_id) == 1
