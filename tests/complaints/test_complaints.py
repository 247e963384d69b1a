"""Complaints followed through: filed about an organization, a volunteer or the process
without any booking; a handler and a deadline in working days; answered, then the resident
is satisfied or reopens it (new deadline, escalated); unanswered past the deadline, escalated
once by the job; the bureau's view by organization, area and days open; and the attacks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.complaints import overview, services
from app.complaints.models import Complaint, ComplaintStatus
from app.complaints.services import ComplaintError
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.parsing import local_today
from app.service.hours import add_working_days
from tests.factories import AreaFactory, build_tenant_world, user_with
from workers.complaints import escalate_due


@pytest.fixture
def w(db):
    """Two tenants (no other domain's objects), and tenant A's areas."""
    a, b = build_tenant_world("A"), build_tenant_world("B")
    street = AreaFactory(tenant=a.tenant, name="东街道", level="街道")
    community = AreaFactory(tenant=a.tenant, name="阳光社区", level="社区", parent=street)
    other = AreaFactory(tenant=a.tenant, name="月亮社区", level="社区", parent=street)
    a.users.officer2 = user_with(a.tenant, Role.BUREAU_OFFICER)
    return SimpleNamespace(a=a, b=b, tenant=a.tenant, users=a.users, orgs=a.orgs,
                           community=community, other=other)


def complain(w, kind="organization", by=None, **kw):
    kw.setdefault("body", "上门服务迟到一个小时，也没有提前打电话")
    if kind == "organization":
        kw.setdefault("org", w.orgs[0])
    return services.file(w.tenant, by or w.users.resident, kind=kind, **kw)


def told(kind: str, complaint: Complaint) -> list[int]:
    return list(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == kind, Notification.subject_id == complaint.id)
        .order_by(Notification.user_id)))


def test_anyone_signed_in_complains_without_a_booking(w):
    users = w.users
    about_org = complain(w, area=w.community)
    assert (about_org.org_id, about_org.booking_id, about_org.status) == (
        w.orgs[0].id, None, ComplaintStatus.OPEN)
    assert about_org.due_on == add_working_days(local_today(), 5)
    assert told("complaint.answer", about_org) == sorted([users.admin.id, users.coordinator.id])

    volunteer = complain(w, "volunteer", volunteer_name="穿红马甲的王师傅")
    assert volunteer.org_id is None  # no organization named: the bureau handles it
    assert told("complaint.answer", volunteer) == sorted([users.officer.id, users.officer2.id])
    known = complain(w, "volunteer", by=users.volunteer, volunteer_name="李娜", org=w.orgs[1])
    assert known.org_id == w.orgs[1].id
    process = complain(w, "process", body="办证要跑三趟，窗口互相推")
    assert process.org_id is None and process.kind == "process"

    with pytest.raises(ComplaintError):
        complain(w, org=None)  # about an organization, but none named
    with pytest.raises(ComplaintError):
        complain(w, "volunteer")  # which volunteer?
    with pytest.raises(ComplaintError) as refused:
        complain(w, org=w.b.orgs[0])  # another district's organization
    assert refused.value.status == 404


def test_a_handler_is_named_and_the_deadline_counts_working_days(w):
    w.tenant.settings = {**(w.tenant.settings or {}), "complaint_answer_days": 5}
    # Filed on 30 September 2025: the National Day holiday and its 调休 Saturday count right.
    filed = complain(w, now=datetime(2025, 9, 30, 2, 0, tzinfo=UTC))
    assert filed.due_on == date(2025, 10, 14)
    complaint = complain(w)
    assert {u.id for u in services.handlers(complaint)} == {w.users.admin.id,
                                                            w.users.coordinator.id}
    services.assign(complaint, w.users.admin, w.users.coordinator)
    assert complaint.handler_id == w.users.coordinator.id
    assert w.users.coordinator.id in told("complaint.answer", complaint)
    with pytest.raises(ComplaintError):
        services.assign(complaint, w.users.admin, w.users.officer)  # not the org's staff
    with pytest.raises(ComplaintError) as refused:
        services.assign(complaint, w.users.admin2, w.users.admin2)  # another organization
    assert refused.value.status == 403
    process = complain(w, "process")
    services.assign(process, w.users.officer, w.users.officer2)
    assert process.handler_id == w.users.officer2.id


def test_answered_then_the_resident_is_satisfied(client, login, w):
    complaint = complain(w)
    services.answer(complaint, w.users.coordinator, "已向服务队核实，明天重新上门，并当面致歉")
    login(w.users.resident)  # the resident's workbench asks for the verdict
    home = client.get(f"/t/{w.tenant.slug}/").get_data(as_text=True)
    assert "满意吗？" in home and f"/complaints/{complaint.id}" in home
    assert (complaint.status, complaint.handler_id) == ("answered", w.users.coordinator.id)
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == w.users.resident.id))
    assert note.title == "您的投诉已得到答复"
    with pytest.raises(ComplaintError):
        services.answer(complaint, w.users.coordinator, "再答一次")  # answered already
    with pytest.raises(ComplaintError) as refused:
        services.satisfied(complaint, w.users.volunteer)  # not theirs
    assert refused.value.status == 403
    services.satisfied(complaint, w.users.resident)
    assert complaint.status == "satisfied" and complaint.closed_at is not None
    with pytest.raises(ComplaintError):
        services.reopen(complaint, w.users.resident, "还是不行")


def test_reopened_it_gets_a_new_deadline_and_goes_to_the_bureau_each_round(w):
    officers = sorted([w.users.officer.id, w.users.officer2.id])
    complaint = complain(w, now=utcnow() - timedelta(days=4))
    first_due = complaint.due_on
    services.answer(complaint, w.users.coordinator, "已处理")
    with pytest.raises(ComplaintError):
        services.reopen(complaint, w.users.resident, "  ")  # a reason is asked for
    services.reopen(complaint, w.users.resident, "根本没人来过")
    assert (complaint.status, complaint.reopened_count) == ("reopened", 1)
    assert complaint.due_on == add_working_days(local_today(), 5) and complaint.due_on > first_due
    assert escalate_due(w.tenant.id) == 1
    assert escalate_due(w.tenant.id) == 0
    assert told("complaint.escalated", complaint) == officers
    assert complaint.escalated and services.may_handle(w.users.officer, complaint)  # 督办
    services.answer(complaint, w.users.officer, "民政局已约谈该组织，本周内上门")
    services.reopen(complaint, w.users.resident, "还是没人来")
    assert services.escalate_due(w.tenant) == 1  # a new round is told again, once
    assert told("complaint.escalated", complaint) == sorted(officers * 2)


def test_unanswered_past_the_deadline_the_job_escalates_once(client, login, w):
    late = complain(w, now=utcnow() - timedelta(days=12))
    on_time = complain(w)
    assert late.is_overdue(local_today()) and not on_time.is_overdue(local_today())
    assert escalate_due(w.tenant.id) == 1
    assert escalate_due(w.tenant.id) == 0  # the job runs twice: one notice each
    assert told("complaint.escalated", late) == sorted([w.users.officer.id, w.users.officer2.id])
    assert told("complaint.escalated", on_time) == []
    assert late.escalated and not on_time.escalated
    assert escalate_due(w.b.tenant.id) == 0  # the other district has nothing of it
    login(w.users.officer)  # the bureau's workbench lists it
    home = client.get(f"/t/{w.tenant.slug}/").get_data(as_text=True)
    assert "已上报民政局" in home and f"/complaints/{late.id}" in home
    assert f"/complaints/{on_time.id}" not in home


def test_the_bureau_sees_complaints_by_organization_area_and_age(client, login, w):
    from app.oversight import service_figures

    old = complain(w, area=w.community, now=utcnow() - timedelta(days=10))
    complain(w, org=w.orgs[1], area=w.other)
    process = complain(w, "process", area=w.community)
    services.answer(process, w.users.officer, "已简化材料")
    services.satisfied(process, w.users.resident)
    now = utcnow()
    lines = {line.name: (line.total, line.waiting, line.overdue)
             for line in overview.by_org(w.tenant, now, "民政局")}
    assert lines == {w.orgs[0].name: (1, 1, 1), w.orgs[1].name: (1, 1, 0), "民政局": (1, 0, 0)}
    areas = {line.name: line.total for line in overview.by_area(w.tenant, now, "—")}
    assert areas == {"阳光社区": 2, "月亮社区": 1}
    assert [n for low, _high, n in overview.by_age(w.tenant, now) if low == 7] == [1]

    def listed(**filters) -> set[int]:
        return {c.id for c in db.session.scalars(
            overview.listing(w.tenant, overview.Filters(**filters), now))}

    street = w.community.parent_id
    assert listed(org=-1) == {process.id}
    assert len(listed(area_id=street)) == 3 and listed(min_days=7) == {old.id}
    assert listed(state="overdue") == {old.id}
    figures = service_figures.compute(w.tenant.id)  # the dashboard counts every kind
    assert figures[w.orgs[0].id].complaints == 1 and figures[None].complaints == 3

    login(w.users.officer)
    base = f"/t/{w.tenant.slug}/complaints/overview"
    page = client.get(f"{base}?org={w.orgs[0].id}&min_days=7").get_data(as_text=True)
    assert old.body in page and "超期" in page and "月亮社区" in page
    login(w.users.resident)
    assert client.get(base).status_code == 403


def test_strangers_can_neither_see_nor_answer_nor_judge(client, login, w):
    complaint = complain(w)
    db.session.flush()
    url = f"/t/{w.tenant.slug}/complaints/{complaint.id}"
    api = f"/api/v1/t/{w.tenant.slug}/complaints/{complaint.id}"
    login(w.users.admin2)  # staff of the other organization
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/answer", data={"answer": "x", "confirmed": "yes"}).status_code == 403
    assert client.post(f"{api}/answer", json={"answer": "x"}).status_code == 403
    assert complaint.body not in client.get(f"/t/{w.tenant.slug}/complaints/queue").get_data(
        as_text=True)
    services.answer(complaint, w.users.coordinator, "已处理")
    db.session.flush()
    neighbour = user_with(w.tenant, Role.RESIDENT)
    login(neighbour)  # another resident
    assert client.post(f"{url}/satisfied", data={"confirmed": "yes"}).status_code == 403
    assert client.post(f"{api}/verdict", json={"satisfied": False, "reason": "x"}
                       ).status_code == 403
    login(w.b.users.officer)  # another district: its own address, then ours
    assert client.get(f"/t/{w.b.tenant.slug}/complaints/{complaint.id}").status_code == 404
    assert client.get(f"/api/v1/t/{w.b.tenant.slug}/complaints/{complaint.id}").status_code == 404
    assert complaint.status == "answered"


def test_a_resident_follows_a_complaint_on_the_pages(app, client, login, w):
    login(w.users.resident)
    base = f"/t/{w.tenant.slug}/complaints"
    client.post(f"{base}/new", data={"kind": "organization", "org_id": w.orgs[0].id,
                                      "area_id": w.community.id, "body": "活动室空调一直没修"})
    complaint = db.session.scalar(select(Complaint).where(Complaint.body == "活动室空调一直没修"))
    mine = client.get(f"{base}/mine").get_data(as_text=True)
    assert "待处理" in mine and complaint.due_on.isoformat() in mine

    staff = login(w.users.coordinator, c=app.test_client())
    asked = staff.post(f"{base}/{complaint.id}/answer", data={"answer": "已报修，周五前修好"})
    assert asked.status_code == 200 and "请确认" in asked.get_data(as_text=True)
    assert complaint.status == "open"  # nothing done without the yes
    staff.post(f"{base}/{complaint.id}/answer", data={"answer": "已报修，周五前修好",
                                                       "confirmed": "yes"})
    mine = client.get(f"{base}/mine").get_data(as_text=True)
    assert "已报修，周五前修好" in mine and "不满意，重新处理" in mine
    client.post(f"{base}/{complaint.id}/reopen", data={"reason": "周五过了还没修",
                                                        "confirmed": "yes"})
    db.session.refresh(complaint)
    assert complaint.status == "reopened" and complaint.escalated  # the job ran after commit
    assert "待重新处理" in client.get(f"{base}/mine").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.kind == "complaint.escalated")) == 2


def test_the_api_lists_mine_answers_and_takes_the_verdict(client, login, w):
    base = f"/api/v1/t/{w.tenant.slug}/complaints"
    login(w.users.resident)
    filed = client.post(base, json={"kind": "process", "body": "窗口只在工作日上午开"})
    assert filed.status_code == 201, filed.get_json()
    one = filed.get_json()
    assert one["handled_by"] == "民政局" and one["status_label"] == "待处理"
    assert [c["id"] for c in client.get(base).get_json()] == [one["id"]]
    assert client.post(base, json={"kind": "organization", "body": "x"}).status_code == 422
    named = client.post(base, json={"kind": "volunteer", "body": "x",
                                    "volunteer_id": w.users.admin2.id})  # not one who served her
    assert named.status_code == 422 and w.users.admin2.name not in named.get_data(as_text=True)
    login(w.users.officer)
    assert one["id"] in [c["id"] for c in client.get(f"{base}/queue").get_json()]
    answered = client.post(f"{base}/{one['id']}/answer", json={"answer": "下月起周六也开"})
    assert answered.get_json()["status"] == "answered"
    login(w.users.resident)
    assert client.post(f"{base}/{one['id']}/verdict", json={"satisfied": False}
                       ).status_code == 422  # no reason given
    done = client.post(f"{base}/{one['id']}/verdict", json={"satisfied": True})
    assert done.get_json()["status"] == "satisfied"
