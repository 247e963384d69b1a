"""The inbox: every message links to its object (also one sent from a job or the demo, with
no request), requests of one kind are merged into a line with a count, identical news is
shown once, a request already settled says who settled it, and the inbox keeps the
tenant's frame."""

from __future__ import annotations

import re

import pytest

from app.auth.models import Role
from app.db import utcnow
from app.funding import spending
from app.notifications import services
from app.notifications.models import Notification
from app.orgs.models import OrgStatus
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.funding.factories import funded_contract, funding_world, spend


@pytest.fixture
def money(app, db):
    """A funded contract; services run in an app context only (as from a job or the demo)."""
    w = funding_world()
    return w, funded_contract(w)


def _notes(user) -> list[Notification]:
    return services.inbox(user.id)


def test_a_message_sent_without_a_request_links_to_its_object(money):
    w, contract = money
    expenditure = spend(w, contract, 10_000)
    (note,) = _notes(w.admin)
    assert note.link == f"/t/{w.tenant.slug}/funding/expenditures/{expenditure.id}"
    assert (note.kind, note.subject_id) == ("expenditure.org_approval", expenditure.id)


def test_waiting_requests_merge_into_one_line_and_settled_ones_say_by_whom(app, money):
    w, contract = money
    waiting = [spend(w, contract, 10_000), spend(w, contract, 20_000)]
    mine, theirs = spend(w, contract, 30_000), spend(w, contract, 40_000)
    spending.approve(mine, w.admin, as_bureau=False)
    spending.approve(theirs, w.admin_b, as_bureau=False)
    with app.test_request_context("/"):
        lines = services.lines(w.admin.id, w.tenant.id)
    assert len(lines) == 2
    pending, done = lines
    assert pending.title == "有 2 笔支出等待您审批" and pending.count == 2
    assert pending.done is None and pending.unread
    assert sorted(i.link for i in pending.items) == sorted(
        f"/t/{w.tenant.slug}/funding/expenditures/{e.id}" for e in waiting)
    assert pending.items[0].label == "惠民出租车公司 ¥200.00：探访交通费"  # the newest first
    assert done.title == "有一笔支出等待您审批" and done.done == "都已处理完毕。"
    assert {i.done for i in done.items} == {"已由您审批", f"已由{w.admin_b.name}审批"}


def test_the_bureau_sees_that_another_officer_approved(app, money):
    w, contract = money
    big = spend(w, contract, 1_050_000, line="物资")
    spending.approve(big, w.admin, as_bureau=False)
    with app.test_request_context("/"):
        (line,) = services.lines(w.officer.id, w.tenant.id)
        assert line.title == "有一笔支出等待民政局审批" and line.done is None
        spending.approve(big, w.officer2, as_bureau=True)
        (line,) = services.lines(w.officer.id, w.tenant.id)
    assert line.done == "已由陈科员审批"
    assert line.link == f"/t/{w.tenant.slug}/funding/expenditures/{big.id}"
    assert line.about == "惠民出租车公司 ¥10,500.00：探访交通费"


def test_a_rejected_request_says_who_returned_it(app, money):
    w, contract = money
    refused = spend(w, contract, 10_000)
    spending.reject(refused, w.admin_b, "发票抬头不对")
    with app.test_request_context("/"):
        (line,) = services.lines(w.admin.id, w.tenant.id)
    assert line.done == f"已由{w.admin_b.name}退回"


def test_identical_news_is_shown_once_with_a_count(app, db):
    tenant = TenantFactory()
    person = user_with(tenant, Role.RESIDENT)
    for _ in range(3):
        services.notify(person, "系统维护通知", "今晚 22:00 起暂停服务一小时", link="/t/x/",
                        tenant_id=tenant.id)
    services.notify(person, "另一条消息", tenant_id=tenant.id)
    with app.test_request_context("/"):
        lines = services.lines(person.id, tenant.id)
    assert [(line.title, line.count) for line in lines] == [("另一条消息", 1), ("系统维护通知", 3)]


def test_an_organization_verified_by_someone_else(app, db):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    colleague = user_with(tenant, Role.BUREAU_OFFICER, name="李科长")
    org = OrgFactory(tenant_id=tenant.id, name="新协会", status=OrgStatus.PENDING)
    services.notify(officer, "新协会等待审核", link=f"/t/{tenant.slug}/orgs/{org.id}/review",
                    tenant_id=tenant.id, kind="org.review", subject_id=org.id)
    org.status, org.reviewed_by_id, org.reviewed_at = OrgStatus.VERIFIED, colleague.id, utcnow()
    with app.test_request_context("/"):
        (line,) = services.lines(officer.id, tenant.id)
    assert line.done == "已由李科长审核通过"


def test_the_inbox_page_keeps_the_tenants_frame(client, db, login, money):
    w, contract = money
    spend(w, contract, 10_000)
    spend(w, contract, 20_000)
    login(w.admin)
    response = client.get("/inbox")  # one tenant: its inbox, in its frame
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/{w.tenant.slug}/inbox"
    body = client.get(f"/t/{w.tenant.slug}/inbox").get_data(as_text=True)
    assert f'class="tenant-name">{w.tenant.name}' in body and "机构工作" in body
    assert "有 2 笔支出等待您审批" in body and "共 2 项" in body
    assert len(re.findall(rf'href="/t/{w.tenant.slug}/funding/expenditures/\d+"', body)) == 2
    assert '<span class="badge"' in body
    client.post(f"/t/{w.tenant.slug}/inbox/read")
    assert '<span class="badge"' not in client.get(f"/t/{w.tenant.slug}/").get_data(
        as_text=True)


def test_another_tenants_inbox_is_not_there(client, db, login):
    tenant, other = TenantFactory(), TenantFactory()
    person = user_with(tenant, Role.RESIDENT)
    login(person)
    assert client.get(f"/t/{other.slug}/inbox").status_code == 404
    assert client.post(f"/t/{other.slug}/inbox/read").status_code == 404
