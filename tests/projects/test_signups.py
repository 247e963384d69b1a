"""Sign-ups through the pages: places, waitlist, promotion, overlap, deadline, insurance,
refusals that change nothing, calendar files, my shifts and my sign-ups."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.db import utcnow
from app.notifications.models import Notification
from app.projects.models import ProjectStatus, ShiftSignup, SignupStatus, SlotBooking
from app.templating import SHANGHAI
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.projects.factories import ProjectFactory, shift, slot, volunteer


def world(capacity=2, **kw):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    project = ProjectFactory(org=org, name="周末助老", **kw)
    return tenant, project, shift(project, capacity=capacity)


def go(client, tenant, row, action="signup"):
    # (a withdrawal asks first: the test says yes)
    return client.post(f"/t/{tenant.slug}/shifts/{row.id}/{action}", data={"confirmed": "yes"})


def flashed(client, tenant, project) -> str:
    return client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)


def statuses(db):
    return db.session.execute(select(ShiftSignup.user_id, ShiftSignup.status)
                              .order_by(ShiftSignup.queued_at, ShiftSignup.id)).all()


def test_sign_up_confirms_then_waitlists_in_order(client, db, login):
    tenant, project, row = world(capacity=1)
    people = [volunteer(tenant) for _ in range(3)]
    for person in people:
        login(person)
        assert go(client, tenant, row).status_code == 302
    assert "候补名单第 2 位" in flashed(client, tenant, project)
    assert statuses(db) == [(people[0].id, SignupStatus.CONFIRMED),
                            (people[1].id, SignupStatus.WAITLISTED),
                            (people[2].id, SignupStatus.WAITLISTED)]
    assert row.confirmed_count == 1


def test_each_sign_up_is_in_the_audit_log_with_its_volunteer(client, db, login):
    tenant, project, row = world(capacity=1)
    first, second = volunteer(tenant), volunteer(tenant)
    for person, action in ((first, "signup"), (second, "signup"), (first, "withdraw"),
                           (first, "signup")):
        login(person)
        go(client, tenant, row, action)
    log = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "shift_signup")
                             .order_by(AuditEntry.id)).all()
    ids = dict(db.session.execute(select(ShiftSignup.user_id, ShiftSignup.id)).all())
    mine, theirs = str(ids[first.id]), str(ids[second.id])
    assert [(e.action, e.actor_id, e.object_id, e.tenant_id) for e in log] == [
        ("create", first.id, mine, tenant.id),
        ("create", second.id, theirs, tenant.id),
        ("update", first.id, mine, tenant.id),    # withdrew…
        ("update", first.id, theirs, tenant.id),  # …which promoted the second
        ("update", first.id, mine, tenant.id)]    # back, now on the waitlist
    created = log[1].changes
    assert (created["user_id"], created["shift_id"], created["status"]) == (
        [None, second.id], [None, row.id], [None, "waitlisted"])
    assert created["queued_at"][1] is not None and "confirmed_at" not in created
    assert log[4].changes["status"] == ["cancelled", "waitlisted"]
    assert (log[1].actor_roles, log[1].endpoint) == ("volunteer", "marketplace.sign_up")


def test_withdrawal_promotes_the_first_in_line_and_tells_them(client, db, login):
    tenant, project, row = world(capacity=1)
    first, second, third = (volunteer(tenant) for _ in range(3))
    for person in (first, second, third):
        login(person)
        go(client, tenant, row)
    login(first)
    go(client, tenant, row, "withdraw")
    assert "已取消报名" in flashed(client, tenant, project)
    assert dict(statuses(db)) == {first.id: SignupStatus.CANCELLED, second.id: SignupStatus.CONFIRMED,
                                  third.id: SignupStatus.WAITLISTED}
    note = db.session.scalar(select(Notification).where(Notification.user_id == second.id))
    assert note.title == "候补成功：周末助老"
    login(third)
    assert "候补第 1 位" in client.get(f"/t/{tenant.slug}/my/shifts").get_data(as_text=True)
    login(first)
    go(client, tenant, row)  # signing up again puts them at the end of the line
    assert statuses(db)[-1] == (first.id, SignupStatus.WAITLISTED)


def test_signing_up_twice_is_refused_clearly(client, db, login):
    tenant, project, row = world(capacity=1)
    person = volunteer(tenant)
    login(person)
    go(client, tenant, row)
    go(client, tenant, row)
    assert "您已经报过名了：名额已确认" in flashed(client, tenant, project)
    assert db.session.scalar(select(func.count(ShiftSignup.id))) == 1 and row.confirmed_count == 1


def test_overlapping_shifts_are_refused(client, db, login):
    tenant, project, row = world()
    other_project = ProjectFactory(org=project.org, name="社区义诊")
    overlapping = shift(other_project, days=3, hours=2)
    overlapping.starts_at = row.starts_at + timedelta(hours=1)
    overlapping.ends_at = row.ends_at + timedelta(hours=1)
    after = shift(other_project)
    after.starts_at, after.ends_at = row.ends_at, row.ends_at + timedelta(hours=1)
    db.session.flush()
    person = volunteer(tenant)
    login(person)
    go(client, tenant, row)
    go(client, tenant, overlapping)
    page = flashed(client, tenant, other_project)
    start = row.starts_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    assert f"您在同一时间已有志愿岗位：周末助老，{start}" in page
    go(client, tenant, after)  # back to back is fine
    assert [s for _, s in statuses(db)] == [SignupStatus.CONFIRMED, SignupStatus.CONFIRMED]


def test_cancellation_closes_at_the_projects_deadline(client, db, login):
    tenant, project, row = world(capacity=1, cancel_deadline_hours=48)
    row.starts_at, row.ends_at = utcnow() + timedelta(hours=30), utcnow() + timedelta(hours=32)
    db.session.flush()
    person, waiting = volunteer(tenant), volunteer(tenant)
    for p in (person, waiting):
        login(p)
        go(client, tenant, row)
    login(person)
    go(client, tenant, row, "withdraw")
    assert "开始前 48 小时内不能在线取消报名，请联系组织方" in flashed(client, tenant, project)
    assert statuses(db)[0] == (person.id, SignupStatus.CONFIRMED)
    login(waiting)
    go(client, tenant, row, "withdraw")  # leaving the waitlist is always possible before the start
    assert statuses(db)[1] == (waiting.id, SignupStatus.CANCELLED)


def test_risky_activity_needs_insurance_on_the_day(client, db, login):
    tenant, project, row = world()
    row.insurance_required = True
    db.session.flush()
    day = row.starts_at.astimezone(SHANGHAI).date()
    expired = volunteer(tenant, insured_until=day - timedelta(days=1))
    insured = volunteer(tenant, insured_until=day)
    login(expired)
    go(client, tenant, row)
    assert "该活动有人身风险，须有意外保险" in flashed(client, tenant, project)
    login(insured)
    go(client, tenant, row)
    assert statuses(db) == [(insured.id, SignupStatus.CONFIRMED)]


def test_refusals_change_nothing(client, db, login):
    tenant, project, row = world()
    resident = user_with(tenant, Role.RESIDENT)
    login(resident)
    go(client, tenant, row)
    assert "报名志愿岗位前，请先注册为志愿者" in flashed(client, tenant, project)

    person = volunteer(tenant)
    login(person)
    past = shift(project, days=-1)
    go(client, tenant, past)
    assert "该岗位或名额已经开始或已结束" in flashed(client, tenant, project)

    cancelled = shift(project, days=6)
    cancelled.cancelled_at = utcnow()
    db.session.flush()
    go(client, tenant, cancelled)
    assert "该岗位或名额已取消" in flashed(client, tenant, project)
    assert db.session.scalar(select(func.count(ShiftSignup.id))) == 0
    assert (past.confirmed_count, cancelled.confirmed_count) == (0, 0)


def test_unverified_orgs_staff_cannot_sign_up_to_its_own_draft(client, db, login):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, status="pending")
    draft = ProjectFactory(org=org, status=ProjectStatus.DRAFT, published_at=None)
    row = shift(draft)
    staff = volunteer(tenant)
    user_with(tenant, Role.ORG_ADMIN, org, phone=None, email="x@example.com")
    from app.auth.services import grant_role

    grant_role(staff, tenant.id, Role.ORG_ADMIN, org.id)
    login(staff)
    go(client, tenant, row)
    body = client.get(f"/t/{tenant.slug}/projects/{draft.id}").get_data(as_text=True)
    assert "该项目目前不接受报名" in body
    assert db.session.scalar(select(func.count(ShiftSignup.id))) == 0 and row.confirmed_count == 0


def test_calendar_file_in_shanghai_time(client, db, login):
    tenant, project, row = world()
    person = volunteer(tenant)
    login(person)
    url = f"/t/{tenant.slug}/shifts/{row.id}/calendar.ics"
    assert client.get(url).status_code == 404  # no place, no file
    go(client, tenant, row)
    response = client.get(url)
    assert response.mimetype == "text/calendar"
    text = response.get_data(as_text=True)
    local = row.starts_at.astimezone(SHANGHAI).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=Asia/Shanghai:{local}\r\n" in text
    assert "TZOFFSETTO:+0800" in text and "SUMMARY:周末助老" in text and "LOCATION:社区活动室" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_my_shifts_lists_places_and_waitlist(client, db, login):
    tenant, project, row = world(capacity=1)
    other = shift(project, days=5)
    first, person = volunteer(tenant), volunteer(tenant)
    login(first)
    go(client, tenant, row)
    login(person)
    go(client, tenant, row)
    go(client, tenant, other)
    page = client.get(f"/t/{tenant.slug}/my/shifts").get_data(as_text=True)
    assert page.count("周末助老") == 2 and "候补第 1 位" in page and "加入日历" in page


def test_slot_booking_with_target_group_declaration(client, db, login):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id), target_groups=["独居老人"],
                             name="上门理发")
    row = slot(project, capacity=1, target_group="独居老人")
    resident, second = user_with(tenant, Role.RESIDENT), user_with(tenant, Role.RESIDENT)
    login(resident)
    url = f"/t/{tenant.slug}/slots/{row.id}/book"
    client.post(url)
    assert "该名额仅限独居老人" in flashed(client, tenant, project)
    assert db.session.scalar(select(func.count(SlotBooking.id))) == 0
    client.post(url, data={"declared_group": "独居老人"})
    login(second)
    client.post(url, data={"declared_group": "独居老人"})
    rows = db.session.execute(select(SlotBooking.user_id, SlotBooking.status, SlotBooking.declared_group)
                              .order_by(SlotBooking.id)).all()
    assert rows == [(resident.id, SignupStatus.CONFIRMED, "独居老人"),
                    (second.id, SignupStatus.WAITLISTED, "独居老人")]
    page = client.get(f"/t/{tenant.slug}/my/signups").get_data(as_text=True)
    assert "上门理发" in page and "候补第 1 位" in page
    login(resident)
    client.post(f"/t/{tenant.slug}/slots/{row.id}/withdraw", data={"confirmed": "yes"})
    assert db.session.scalar(select(SlotBooking.status).where(SlotBooking.user_id == second.id)) == "confirmed"
