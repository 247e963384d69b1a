"""A late or reopened complaint climbs the area tree one step at a time, as a late need does:
the staff in charge of its community, after ``complaint_escalation_step_days`` the street's,
then the bureau; areas with nobody in charge are passed over; each reopening climbs again;
an answer stops the climb. The complaint page, the bureau's view and the API show where it is."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.complaints import escalation, overview, services
from app.complaints.models import Complaint
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.orgs.models import OrgArea
from app.residents.models import ResidentProfile
from app.tenancy import services as tenancy
from tests.factories import AreaFactory, build_tenant_world, user_with
from workers.complaints import escalate_due


@pytest.fixture
def w(db):
    """A district with 东街道 → 阳光社区 → 第一网格, one officer in charge of the community and
    one of the street, and another district."""
    a, b = build_tenant_world("A"), build_tenant_world("B")
    street = AreaFactory(tenant=a.tenant, name="东街道", level="街道")
    community = AreaFactory(tenant=a.tenant, name="阳光社区", level="社区", parent=street)
    grid = AreaFactory(tenant=a.tenant, name="第一网格", level="网格", parent=community)
    keeper = user_with(a.tenant, Role.BUREAU_OFFICER, name="社区干部小李")
    streetman = user_with(a.tenant, Role.BUREAU_OFFICER, name="街道干部老王")
    tenancy.put_in_charge(a.tenant, community, keeper)
    tenancy.put_in_charge(a.tenant, street, streetman)
    return SimpleNamespace(a=a, b=b, tenant=a.tenant, users=a.users, orgs=a.orgs, street=street,
                           community=community, grid=grid, keeper=keeper, streetman=streetman)


def complain(w, days_ago: int = 12, **kw) -> Complaint:
    kw.setdefault("area", w.grid)
    return services.file(w.tenant, w.users.resident, kind="organization", org=w.orgs[0],
                         body="上门服务迟到一个小时，也没有提前打电话",
                         now=utcnow() - timedelta(days=days_ago), **kw)


def told(complaint: Complaint) -> list[int]:
    return list(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "complaint.escalated", Notification.subject_id == complaint.id)
        .order_by(Notification.id)))


def steps(complaint: Complaint) -> list[tuple[int, int, int | None]]:
    return [(e.round, e.step, e.area_id) for e in complaint.escalations]


def test_a_late_complaint_climbs_community_street_bureau_one_step_each(client, login, w):
    complaint, on_time = complain(w), complain(w, days_ago=0)
    now = utcnow()
    assert escalate_due(w.tenant.id, now.isoformat()) == 1
    assert told(complaint) == [w.keeper.id] and told(on_time) == []
    assert escalate_due(w.tenant.id, (now + timedelta(hours=5)).isoformat()) == 0  # once
    assert escalate_due(w.tenant.id, (now + timedelta(days=1)).isoformat()) == 0  # 2 days a step
    assert not complaint.escalated  # the bureau does not have it yet

    assert services.escalate_due(w.tenant, now + timedelta(days=2)) == 1
    assert told(complaint) == [w.keeper.id, w.streetman.id]
    assert services.escalate_due(w.tenant, now + timedelta(days=4)) == 1
    assert told(complaint)[2:] == [w.users.officer.id]  # the bureau's office, not the
    # community's and the street's staff again (they are bureau officers too)
    assert complaint.escalated_at == now + timedelta(days=4)
    assert services.may_handle(w.users.officer, complaint)  # 督办
    assert services.escalate_due(w.tenant, now + timedelta(days=30)) == 1  # on_time, late now
    assert steps(on_time) == [(0, 1, w.community.id)]
    assert steps(complaint) == [(0, 1, w.community.id), (0, 2, w.street.id), (0, 3, None)]
    assert complaint.escalations[0].told_names == "社区干部小李"
    resident_told = db.session.scalars(select(Notification.title).where(
        Notification.user_id == w.users.resident.id, Notification.link.contains(
            f"/complaints/{complaint.id}"))).all()
    assert sum("民政局" in str(t) for t in resident_told) == 1  # told once, at the bureau
    db.session.flush()

    login(w.users.officer)
    page = client.get(f"/t/{w.tenant.slug}/complaints/{complaint.id}").get_data(as_text=True)
    assert all(f"已上报{where}" in page for where in ("阳光社区", "东街道", "民政局"))
    assert "已通知：社区干部小李" in page and "已通知：街道干部老王" in page
    view = client.get(f"/t/{w.tenant.slug}/complaints/overview?state=escalated")
    assert f"/complaints/{complaint.id}" in view.get_data(as_text=True)
    login(w.users.resident)
    mine = client.get(f"/t/{w.tenant.slug}/complaints/{complaint.id}").get_data(as_text=True)
    assert "已上报阳光社区" in mine and "社区干部小李" not in mine  # staff names are for staff


def test_the_bureaus_view_shows_how_far_each_complaint_has_climbed(client, login, w):
    complaint = complain(w)
    services.escalate_due(w.tenant)
    db.session.flush()
    login(w.users.officer)
    view = client.get(f"/t/{w.tenant.slug}/complaints/overview?state=waiting")
    body = view.get_data(as_text=True)
    assert view.status_code == 200 and f"/complaints/{complaint.id}" in body
    assert "已上报阳光社区" in body
    assert complaint.id not in {c.id for c in db.session.scalars(overview.listing(
        w.tenant, overview.Filters(state="escalated"), utcnow()))}  # not the bureau's yet


def test_levels_with_nobody_in_charge_are_passed_over(w):
    quiet = AreaFactory(tenant=w.tenant, name="月亮社区", level="社区", parent=w.street)
    unmanned = AreaFactory(tenant=w.tenant, name="无人街道", level="街道")
    nobody = AreaFactory(tenant=w.tenant, name="无人社区", level="社区", parent=unmanned)
    to_street = complain(w, area=quiet)
    to_bureau = complain(w, area=nobody)
    now = utcnow()
    assert services.escalate_due(w.tenant, now) == 2
    assert steps(to_street) == [(0, 1, w.street.id)] and told(to_street) == [w.streetman.id]
    assert steps(to_bureau) == [(0, 1, None)] and to_bureau.escalated
    assert services.escalate_due(w.tenant, now + timedelta(days=2)) == 1
    assert steps(to_street) == [(0, 1, w.street.id), (0, 2, None)]


def test_a_reopened_complaint_climbs_again_and_an_answer_stops_it(w):
    complaint = complain(w)
    now = utcnow()
    assert services.escalate_due(w.tenant, now) == 1  # the community's staff
    services.answer(complaint, w.users.admin, "已安排志愿者本周四上门", now=now)
    assert services.escalate_due(w.tenant, now + timedelta(days=10)) == 0  # answered: stops
    assert complaint.reached is None and steps(complaint) == [(0, 1, w.community.id)]

    services.reopen(complaint, w.users.resident, "周四也没人来", now=now + timedelta(days=10))
    later = now + timedelta(days=10, hours=1)
    assert services.escalate_due(w.tenant, later) == 1  # a new round: the community again
    assert steps(complaint)[-1] == (1, 1, w.community.id)
    assert told(complaint) == [w.keeper.id, w.keeper.id]
    assert services.escalate_due(w.tenant, later + timedelta(days=2)) == 1
    assert services.escalate_due(w.tenant, later + timedelta(days=4)) == 1
    assert [s for s in steps(complaint) if s[0] == 1] == [
        (1, 1, w.community.id), (1, 2, w.street.id), (1, 3, None)]
    assert complaint.escalated_for == 1
    services.answer(complaint, w.users.officer, "民政局已约谈该组织", now=later + timedelta(days=5))
    services.satisfied(complaint, w.users.resident)
    assert services.escalate_due(w.tenant, later + timedelta(days=30)) == 0


def test_a_complaint_without_an_area_of_its_own_goes_by_the_organization_or_the_resident(w):
    db.session.add(OrgArea(tenant_id=w.tenant.id, org_id=w.orgs[0].id, area_id=w.community.id))
    by_org = complain(w, area=None)
    assert escalation.area_of(by_org) == w.community
    db.session.add(ResidentProfile(tenant_id=w.tenant.id, user_id=w.users.resident.id,
                                   area_id=w.grid.id))
    process = services.file(w.tenant, w.users.resident, kind="process", body="材料太多",
                            now=utcnow() - timedelta(days=12))
    assert escalation.area_of(process) == w.grid
    assert services.escalate_due(w.tenant) == 2
    assert steps(by_org) == [(0, 1, w.community.id)]
    assert steps(process) == [(0, 1, w.community.id)]
    assert escalate_due(w.b.tenant.id) == 0  # the other district has none of it


def test_the_api_shows_how_far_it_has_climbed(client, login, w):
    complaint = complain(w)
    now = utcnow()
    services.escalate_due(w.tenant, now)
    services.escalate_due(w.tenant, now + timedelta(days=2))
    db.session.flush()
    login(w.users.resident)
    mine = client.get(f"/api/v1/t/{w.tenant.slug}/complaints").get_json()
    one = next(c for c in mine if c["id"] == complaint.id)
    assert one["escalation_level"] == "街道" and one["escalated_to"] == "已上报东街道"
    assert not one["escalated"]
    assert [(e["step"], e["area"], e["level"]) for e in one["escalations"]] == [
        (1, "阳光社区", "社区"), (2, "东街道", "街道")]
    services.escalate_due(w.tenant, now + timedelta(days=4))
    db.session.flush()
    one = next(c for c in client.get(f"/api/v1/t/{w.tenant.slug}/complaints").get_json()
               if c["id"] == complaint.id)
    assert one["escalation_level"] == "bureau" and one["escalated"]


def test_the_morning_command_takes_one_step(app, w):
    complaint = complain(w)
    runner = app.test_cli_runner()
    said = runner.invoke(args=["complaints", "escalate", "--tenant", w.tenant.slug])
    assert said.exit_code == 0 and f"{w.tenant.slug}: 1 steps of escalation" in said.output
    db.session.expire_all()
    assert steps(complaint) == [(0, 1, w.community.id)]
    again = runner.invoke(args=["complaints", "escalate", "--tenant", w.tenant.slug])
    assert f"{w.tenant.slug}: 0 steps of escalation" in again.output
