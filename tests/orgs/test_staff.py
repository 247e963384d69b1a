"""Staff: invitations by phone or email, acceptance, several organizations, removal."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role
from app.notifications.models import Notification
from app.orgs.models import InvitationStatus, OrgInvitation
from tests.factories import OrgFactory, TenantFactory, UserFactory, user_with


def setup():
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    admin = user_with(tenant, Role.ORG_ADMIN, org)
    return tenant, org, admin


def invite(client, tenant, org, account, role="org_coordinator"):
    return client.post(f"/t/{tenant.slug}/orgs/{org.id}/staff/invite",
                       data={"account": account, "role": role})


def test_invite_existing_person_who_accepts(client, db, login):
    tenant, org, admin = setup()
    person = UserFactory(phone="13712340000")
    login(admin)
    assert invite(client, tenant, org, "13712340000").status_code == 302
    invitation = db.session.scalar(select(OrgInvitation))
    assert (invitation.phone, invitation.role, invitation.status) == (
        "13712340000", "org_coordinator", InvitationStatus.PENDING)
    note = db.session.scalar(select(Notification).where(Notification.user_id == person.id))
    assert note.title == "阳光社工 邀请您担任协调员"
    assert not person.has_role(tenant.id, Role.ORG_COORDINATOR, org_id=org.id)
    login(person)
    assert "阳光社工 邀请您担任协调员" in client.get(f"/t/{tenant.slug}/orgs/mine").get_data(as_text=True)
    client.post(f"/t/{tenant.slug}/orgs/invitations/{invitation.id}/accept")
    assert person.has_role(tenant.id, Role.ORG_COORDINATOR, org_id=org.id)
    assert invitation.status == InvitationStatus.ACCEPTED


def test_invitation_waits_for_someone_who_registers_later(client, db, login):
    tenant, org, admin = setup()
    login(admin)
    invite(client, tenant, org, "Zhao@Example.com", role="org_bookkeeper")
    invitation = db.session.scalar(select(OrgInvitation))
    assert invitation.email == "zhao@example.com"
    client.post("/logout")
    client.post(f"/t/{tenant.slug}/register", data={
        "name": "赵会计", "account": "zhao@example.com", "password": "abc12345", "confirm": "abc12345",
        "agree": "y"})
    client.post(f"/t/{tenant.slug}/orgs/invitations/{invitation.id}/accept")
    db.session.refresh(invitation)
    assert invitation.status == InvitationStatus.ACCEPTED


def test_a_person_serves_several_organizations(client, db, login):
    tenant, org, admin = setup()
    other = OrgFactory(tenant_id=tenant.id, name="彩虹协会")
    admin2 = user_with(tenant, Role.ORG_ADMIN, other)
    person = UserFactory(phone="13712340001")
    for a, o in ((admin, org), (admin2, other)):
        login(a)
        invite(client, tenant, o, person.phone)
    login(person)
    for inv in db.session.scalars(select(OrgInvitation)).all():
        client.post(f"/t/{tenant.slug}/orgs/invitations/{inv.id}/accept")
    assert person.org_ids(tenant.id) == {org.id, other.id}
    page = client.get(f"/t/{tenant.slug}/orgs/mine").get_data(as_text=True)
    assert "阳光社工" in page and "彩虹协会" in page


def test_someone_else_cannot_accept_an_invitation(client, db, login):
    tenant, org, admin = setup()
    login(admin)
    invite(client, tenant, org, "13712340002", role="org_admin")
    invitation = db.session.scalar(select(OrgInvitation))
    intruder = user_with(tenant, Role.RESIDENT)
    login(intruder)
    assert client.post(f"/t/{tenant.slug}/orgs/invitations/{invitation.id}/accept").status_code == 403
    assert not intruder.has_role(tenant.id, Role.ORG_ADMIN, org_id=org.id)


def test_bad_account_and_duplicate_invitations_are_explained(client, db, login):
    tenant, org, admin = setup()
    login(admin)
    invite(client, tenant, org, "12345")
    assert "11 位" in client.get(f"/t/{tenant.slug}/orgs/{org.id}/staff").get_data(as_text=True)
    invite(client, tenant, org, "13712340003")
    invite(client, tenant, org, "13712340003")
    body = client.get(f"/t/{tenant.slug}/orgs/{org.id}/staff").get_data(as_text=True)
    assert "已邀请此人担任该角色" in body
    assert len(db.session.scalars(select(OrgInvitation)).all()) == 1


def test_remove_staff_but_never_the_last_admin(client, db, login):
    tenant, org, admin = setup()
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org)
    login(admin)
    client.post(f"/t/{tenant.slug}/orgs/{org.id}/staff/{coordinator.id}/remove", data={"confirmed": "yes"})
    assert coordinator.org_ids(tenant.id) == set()
    client.post(f"/t/{tenant.slug}/orgs/{org.id}/staff/{admin.id}/remove", data={"confirmed": "yes"})
    body = client.get(f"/t/{tenant.slug}/orgs/{org.id}/staff").get_data(as_text=True)
    assert "组织至少需要一名管理员" in body
    assert admin.has_role(tenant.id, Role.ORG_ADMIN, org_id=org.id)


def test_only_the_org_admin_manages_staff(client, db, login):
    tenant, org, admin = setup()
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org)
    login(coordinator)
    assert invite(client, tenant, org, "13712340004").status_code == 403
    assert client.post(f"/t/{tenant.slug}/orgs/{org.id}/staff/{admin.id}/remove", data={"confirmed": "yes"}).status_code == 403
    assert client.get(f"/t/{tenant.slug}/orgs/{org.id}/staff").status_code == 200
    assert db.session.scalar(select(OrgInvitation)) is None
