"""Irreversible steps outside the money (cancelling a sign-up, publishing or cancelling a
project, verifying an organization, removing staff) say what will happen and wait for a
yes; without it nothing is done."""

from __future__ import annotations

import html

from app.auth.models import Role
from app.orgs.models import OrgStatus
from app.projects.models import ProjectStatus, SignupStatus
from app.projects.signups import book
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.projects.factories import ProjectFactory, shift, slot


def asked(response, *sentences: str) -> None:
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "请确认" in page
    for sentence in sentences:
        assert sentence in page
    assert '<input type="hidden" name="confirmed" value="yes">' in page


def test_cancelling_a_booking_says_the_place_goes_to_the_waitlist(client, db, login):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    place = slot(project, capacity=1)
    resident = user_with(tenant, Role.RESIDENT)
    row = book(resident, place)
    login(resident)
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)
    assert "名额将让给候补的人" in page  # the dialog's sentence, carried by the button
    url = f"/t/{tenant.slug}/slots/{place.id}/withdraw"
    asked(client.post(url), "名额将让给候补的人；如果还想参加，需要重新预约。")
    assert row.status == SignupStatus.CONFIRMED
    client.post(url, data={"confirmed": "yes"})
    assert row.status == SignupStatus.CANCELLED


def test_publishing_and_cancelling_a_project_wait_for_a_yes(client, db, login):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org)
    project = ProjectFactory(org=org, name="周末助老", status=ProjectStatus.DRAFT)
    shift(project)
    login(coordinator)
    publish = f"/t/{tenant.slug}/projects/{project.id}/publish"
    asked(client.post(publish), "发布后居民即可在服务大厅看到“周末助老”并报名。")
    assert project.status == ProjectStatus.DRAFT
    client.post(publish, data={"confirmed": "yes"})
    assert project.status == ProjectStatus.PUBLISHED

    manage = client.get(f"/t/{tenant.slug}/projects/{project.id}/manage").get_data(as_text=True)
    assert '<details class="danger-zone">' in manage  # the cancel form is folded away
    cancel = f"/t/{tenant.slug}/projects/{project.id}/cancel"
    asked(client.post(cancel, data={"reason": "场地维修"}), "所有已报名的人会收到通知")
    assert project.status == ProjectStatus.PUBLISHED
    client.post(cancel, data={"reason": "场地维修", "confirmed": "yes"})
    assert project.status == ProjectStatus.CANCELLED and project.cancel_reason == "场地维修"


def test_verifying_an_organization_and_removing_staff_wait_for_a_yes(client, db, login):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="幸福家园志愿者协会", status=OrgStatus.PENDING)
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    login(officer)
    url = f"/t/{tenant.slug}/orgs/{org.id}/review"
    response = client.post(url, data={"decision": "approve"})
    asked(response, "批准后 幸福家园志愿者协会 即成为已认证组织")
    assert 'name="decision" value="approve"' in response.get_data(as_text=True)
    assert org.status == OrgStatus.PENDING
    client.post(url, data={"decision": "approve", "confirmed": "yes"})
    assert org.status == OrgStatus.VERIFIED

    admin = user_with(tenant, Role.ORG_ADMIN, org)
    colleague = user_with(tenant, Role.ORG_COORDINATOR, org, name="李协调")
    client.post("/logout")
    login(admin)
    remove = f"/t/{tenant.slug}/orgs/{org.id}/staff/{colleague.id}/remove"
    asked(client.post(remove), "李协调 从现在起不能再代表 幸福家园志愿者协会 办理事务。")
    assert colleague.has_role(tenant.id, Role.ORG_COORDINATOR)
    client.post(remove, data={"confirmed": "yes"})
    assert not colleague.has_role(tenant.id, Role.ORG_COORDINATOR)
