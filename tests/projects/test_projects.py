"""Projects: drafts from the template, publishing, shifts and slots, cancellation, closing."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import func, select

from app.auth.models import Role
from app.db import utcnow
from app.notifications.models import Notification
from app.orgs.models import OrgStatus
from app.projects.models import (
    Project,
    ProjectStatus,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
)
from app.projects.signups import sign_up
from app.templating import SHANGHAI
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.orgs.files import png, upload
from tests.projects.factories import ProjectFactory, shift, volunteer


def setup(status=OrgStatus.VERIFIED):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, status=status, name="阳光社工")
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org)
    return tenant, org, coordinator


PROJECT = {"name": "幸福社区独居老人陪伴", "category": "助老服务", "area_id": "0",
           "target_groups": ["独居老人"], "theme": "陪伴长者", "highlights": "每周上门",
           "content": "志愿者上门陪伴聊天、读报", "schedule": "每周六上午",
           "expected_outcomes": "服务 30 位老人", "team_roles": "协调员 1 名",
           "budget": "交通 300\n材料：120.50", "safety_plan": "两人一组", "cancel_deadline_hours": "12"}


def future_day(days=5) -> str:
    return (utcnow().astimezone(SHANGHAI) + timedelta(days=days)).date().isoformat()


def create(client, tenant, org, **changes):
    return client.post(f"/t/{tenant.slug}/orgs/{org.id}/projects/new", data={**PROJECT, **changes})


def test_coordinator_drafts_a_project_from_the_template(client, db, login):
    tenant, org, coordinator = setup()
    login(coordinator)
    assert create(client, tenant, org).status_code == 302
    project = db.session.scalar(select(Project))
    assert (project.status, project.target_groups, project.cancel_deadline_hours) == (
        ProjectStatus.DRAFT, ["独居老人"], 12)
    assert project.budget_lines == [{"line": "交通", "amount_fen": 30000},
                                    {"line": "材料", "amount_fen": 12050}]
    assert "独居老人陪伴" in project.search_text and "读报" in project.search_text


def test_a_bad_budget_line_is_explained(client, db, login):
    tenant, org, coordinator = setup()
    login(coordinator)
    body = create(client, tenant, org, budget="交通 3百").get_data(as_text=True)
    assert "预算第 1 行" in body
    assert db.session.scalar(select(func.count(Project.id))) == 0


def test_bookkeepers_and_other_orgs_cannot_create(client, db, login):
    tenant, org, _ = setup()
    login(user_with(tenant, Role.ORG_BOOKKEEPER, org))
    assert create(client, tenant, org).status_code == 403
    login(user_with(tenant, Role.ORG_ADMIN, OrgFactory(tenant_id=tenant.id)))
    assert create(client, tenant, org).status_code == 403


def test_drafts_are_internal(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org, status=ProjectStatus.DRAFT)
    url = f"/t/{tenant.slug}/projects/{project.id}"
    assert client.get(url).status_code == 404
    login(user_with(tenant, Role.RESIDENT))
    assert client.get(url).status_code == 404
    for who in (coordinator, user_with(tenant, Role.AUDITOR)):
        login(who)
        assert client.get(url).status_code == 200


def add_shift(client, tenant, project, **changes):
    data = {"day": future_day(), "start": "09:00", "end": "11:30", "place": "幸福社区活动室",
            "capacity": "4", "required_skills": "", **changes}
    return client.post(f"/t/{tenant.slug}/projects/{project.id}/shifts/new", data=data)


def test_publishing_needs_a_place_and_a_verified_org(client, db, login):
    tenant, org, coordinator = setup(status=OrgStatus.PENDING)
    project = ProjectFactory(org=org, status=ProjectStatus.DRAFT)
    login(coordinator)
    publish = f"/t/{tenant.slug}/projects/{project.id}/publish"
    client.post(publish, data={"confirmed": "yes"})
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}/manage").get_data(as_text=True)
    assert "只有经民政局审核的组织才能发布项目" in page
    org.status = OrgStatus.VERIFIED
    db.session.flush()
    client.post(publish, data={"confirmed": "yes"})
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}/manage").get_data(as_text=True)
    assert "发布前请至少添加一个志愿岗位或服务名额" in page
    assert add_shift(client, tenant, project).status_code == 302
    client.post(publish, data={"confirmed": "yes"})
    assert project.status == ProjectStatus.PUBLISHED and project.published_at is not None
    shift_row = db.session.scalar(select(Shift))
    local_start = shift_row.starts_at.astimezone(SHANGHAI)
    assert (local_start.hour, local_start.minute, shift_row.capacity) == (9, 0, 4)
    client.post("/logout")
    assert "幸福社区活动室" in client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)


def test_shift_ending_before_it_starts_or_in_the_past_is_refused(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org)
    login(coordinator)
    body = add_shift(client, tenant, project, start="10:00", end="09:00").get_data(as_text=True)
    assert "结束时间必须晚于开始时间" in body
    body = add_shift(client, tenant, project, day=future_day(-2)).get_data(as_text=True)
    assert "新的岗位或名额必须在将来开始" in body
    assert db.session.scalar(select(func.count(Shift.id))) == 0


def test_capacity_never_below_confirmed(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org)
    row = shift(project, capacity=3, at=time(9))
    for _ in range(2):
        sign_up(volunteer(tenant), row)
    login(coordinator)
    start = row.starts_at.astimezone(SHANGHAI)
    data = {"day": start.date().isoformat(), "start": start.strftime("%H:%M"),
            "end": row.ends_at.astimezone(SHANGHAI).strftime("%H:%M"), "place": row.place,
            "capacity": "1"}
    body = client.post(f"/t/{tenant.slug}/shifts/{row.id}/edit", data=data).get_data(as_text=True)
    assert "名额不能少于已确认的 2 人" in body
    assert row.capacity == 3


def test_raising_capacity_promotes_the_waitlist(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org)
    row = shift(project, capacity=1, at=time(9))
    first, second = volunteer(tenant), volunteer(tenant)
    sign_up(first, row)
    waiting = sign_up(second, row)
    assert waiting.status == SignupStatus.WAITLISTED
    login(coordinator)
    start = row.starts_at.astimezone(SHANGHAI)
    client.post(f"/t/{tenant.slug}/shifts/{row.id}/edit", data={
        "day": start.date().isoformat(), "start": start.strftime("%H:%M"),
        "end": row.ends_at.astimezone(SHANGHAI).strftime("%H:%M"), "place": row.place, "capacity": "2"})
    db.session.refresh(waiting)
    assert (waiting.status, row.confirmed_count) == (SignupStatus.CONFIRMED, 2)


def test_cancelling_a_project_tells_everyone_signed_up(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org, name="重阳敬老活动")
    row = shift(project, capacity=1)
    confirmed, waiting = volunteer(tenant), volunteer(tenant)
    sign_up(confirmed, row)
    sign_up(waiting, row)
    login(coordinator)
    url = f"/t/{tenant.slug}/projects/{project.id}/cancel"
    client.post(url, data={"reason": "", "confirmed": "yes"})
    assert project.status == ProjectStatus.PUBLISHED
    client.post(url, data={"reason": "场地维修", "confirmed": "yes"})
    assert project.status == ProjectStatus.CANCELLED and row.confirmed_count == 0
    statuses = db.session.scalars(select(ShiftSignup.status)).all()
    assert statuses == [SignupStatus.CANCELLED, SignupStatus.CANCELLED]
    for person in (confirmed, waiting):
        note = db.session.scalar(select(Notification).where(Notification.user_id == person.id))
        assert (note.title, note.body) == ("已取消：重阳敬老活动", "原因：场地维修")
    assert add_shift(client, tenant, project).status_code == 200  # refused, form shown again
    assert db.session.scalar(select(func.count(Shift.id))) == 1


def test_closing_needs_a_report_and_photos_which_only_insiders_see(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org)
    login(coordinator)
    url = f"/t/{tenant.slug}/projects/{project.id}/close"
    body = client.post(url, data={"report": "服务了 30 位老人"}).get_data(as_text=True)
    assert "请至少添加一张照片" in body
    wrong = {"report": "服务了 30 位老人", "photos": [upload(b"%PDF-1.4 %%EOF", "a.png")]}
    assert "只接受 PNG 或 JPEG 图片" in client.post(
        url, data=wrong, content_type="multipart/form-data").get_data(as_text=True)
    assert project.status == ProjectStatus.PUBLISHED
    good = {"report": "服务了 30 位老人", "photos": [upload(png(), "1.png"), upload(png(), "2.png")]}
    assert client.post(url, data=good, content_type="multipart/form-data").status_code == 302
    assert project.status == ProjectStatus.CLOSED and len(project.evidence) == 2
    photo = f"/t/{tenant.slug}/projects/{project.id}/evidence/{project.evidence[0].id}"
    assert client.get(photo).mimetype == "image/png"
    login(user_with(tenant, Role.RESIDENT))
    assert client.get(photo).status_code == 403
    public = client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)
    assert "服务了 30 位老人" in public


def test_slot_reserved_to_a_group_of_the_project(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org, target_groups=["独居老人"])
    login(coordinator)
    base = {"day": future_day(), "start": "14:00", "end": "15:00", "place": "居委会", "capacity": "10"}
    url = f"/t/{tenant.slug}/projects/{project.id}/slots/new"
    client.post(url, data={**base, "target_group": "独居老人"})
    assert db.session.scalar(select(ServiceSlot.target_group)) == "独居老人"


def test_manage_page_lists_who_is_on_each_place_with_masked_phones(client, db, login):
    tenant, org, coordinator = setup()
    project = ProjectFactory(org=org)
    row = shift(project, capacity=1)
    first = volunteer(tenant, name="张一", phone="13812340001")
    second = volunteer(tenant, name="李二", phone="13812340002")
    sign_up(first, row)
    sign_up(second, row)
    login(coordinator)
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}/manage").get_data(as_text=True)
    assert page.index("张一") < page.index("李二") and "138****0002" in page
    assert "13812340002" not in page
