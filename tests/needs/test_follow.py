"""Needs followed through: a reminder before the deadline (once), escalation up the area tree
step by step on a clock (community staff, street staff, the bureau), a volunteer's own claim
of a wish, a project created from a need and linked to it, and a call for proposals started
from a cluster of needs after a confirmation step."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role, RoleGrant
from app.db import utcnow
from app.extensions import db
from app.funding.models import Call
from app.needs import escalation, services
from app.needs.models import NeedStatus
from app.needs.services import NeedError
from app.notifications.models import Notification
from app.parsing import SHANGHAI
from app.tenancy import services as tenancy
from tests.factories import user_with
from tests.needs.test_needs import areas, post, serve


@pytest.fixture
def tree(world):
    tenant = world.a.tenant
    street, community, grid, other = areas(tenant)
    serve(world.a.orgs[0], community)
    return street, community, grid


def told(kind: str, need) -> list[int]:
    return list(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == kind, Notification.subject_id == need.id)
        .order_by(Notification.id)))


def test_the_organizations_are_reminded_once_when_a_quarter_of_the_time_is_left(world, tree):
    tenant, users = world.a.tenant, world.a.users
    start = utcnow()
    need = post(tenant, users.resident, tree[2], urgency="soon", now=start)  # 7 days
    assert escalation.remind_due(tenant, start + timedelta(days=5)) == 0
    assert escalation.remind_due(tenant, start + timedelta(days=5, hours=6)) == 1
    first = told("need.due", need)
    assert {users.admin.id, users.coordinator.id} <= set(first) and len(first) == len(set(first))
    assert users.admin2.id not in first and users.officer.id not in first
    assert escalation.remind_due(tenant, start + timedelta(days=6)) == 0
    assert told("need.due", need) == first
    # A late need is escalated, not reminded.
    assert escalation.remind_due(tenant, start + timedelta(days=8)) == 0


def test_the_reminder_goes_to_whoever_took_the_need_on(world, tree):
    tenant, users = world.a.tenant, world.a.users
    tenant.settings = {**(tenant.settings or {}), "need_reminder_share": 0.5}
    start = utcnow()
    by_org = post(tenant, users.resident, tree[2], urgency="soon", now=start)
    services.claim(by_org, world.a.orgs[0], users.coordinator)
    in_person = post(tenant, users.resident, tree[2], urgency="soon", now=start)
    services.claim_in_person(in_person, users.volunteer)
    assert escalation.remind_due(tenant, start + timedelta(days=4)) == 2
    assert told("need.due", in_person) == [users.volunteer.id]
    assert {users.admin.id, users.coordinator.id} <= set(told("need.due", by_org))
    assert users.volunteer.id not in told("need.due", by_org)
    note = db.session.scalar(select(Notification).where(Notification.kind == "need.due",
                                                        Notification.user_id == users.volunteer.id))
    assert "需在" in note.title or "due" in note.title.lower()


def test_a_late_need_climbs_the_area_tree_one_step_at_a_time(client, login, world, tree):
    tenant, users = world.a.tenant, world.a.users
    street, community, grid = tree
    keeper = user_with(tenant, Role.BUREAU_OFFICER, name="社区网格员")
    streetman = user_with(tenant, Role.BUREAU_OFFICER, name="街道干部")
    tenancy.put_in_charge(tenant, community, keeper)
    tenancy.put_in_charge(tenant, street, streetman)
    start = utcnow()
    need = post(tenant, users.resident, grid, urgency="urgent", now=start)  # due in 2 days
    due = need.due_at
    assert escalation.escalate_overdue(tenant, due - timedelta(hours=1)) == 0

    assert escalation.escalate_overdue(tenant, due + timedelta(hours=1)) == 1
    assert told("need.overdue", need) == [keeper.id]
    assert escalation.escalate_overdue(tenant, due + timedelta(hours=2)) == 0
    assert escalation.escalate_overdue(tenant, due + timedelta(days=1)) == 0  # step is 2 days

    assert escalation.escalate_overdue(tenant, due + timedelta(days=2, hours=2)) == 1
    assert told("need.overdue", need) == [keeper.id, streetman.id]
    assert need.escalated_at is None

    assert escalation.escalate_overdue(tenant, due + timedelta(days=4, hours=3)) == 1
    bureau = set(told("need.overdue", need)) - {keeper.id, streetman.id}
    assert users.officer.id in bureau
    assert need.escalated_at == due + timedelta(days=4, hours=3)
    assert [(e.step, e.area_id) for e in need.escalations] == [
        (1, community.id), (2, street.id), (3, None)]
    escalation.escalate_overdue(tenant, due + timedelta(days=30))
    assert len(need.escalations) == 3
    db.session.flush()

    login(users.officer)
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    assert "已上报阳光社区" in page and "已上报东街道" in page and "已上报民政局" in page
    queue = client.get(f"/t/{tenant.slug}/needs/queue").get_data(as_text=True)
    assert need.what in queue and "已上报民政局" in queue


def test_an_area_with_nobody_in_charge_is_passed_over(world, tree):
    tenant, users = world.a.tenant, world.a.users
    street, community, grid = tree
    streetman = user_with(tenant, Role.BUREAU_OFFICER)
    tenancy.put_in_charge(tenant, street, streetman)
    keeper = user_with(tenant, Role.BUREAU_OFFICER)
    tenancy.put_in_charge(tenant, community, keeper)
    # The community's keeper left the bureau: their charge no longer counts.
    db.session.execute(RoleGrant.__table__.delete().where(RoleGrant.user_id == keeper.id))
    need = post(tenant, users.resident, grid, urgency="urgent")
    assert escalation.escalate_overdue(tenant, need.due_at + timedelta(hours=1)) == 1
    assert told("need.overdue", need) == [streetman.id]
    assert need.escalations[0].area_id == street.id


def test_only_bureau_staff_are_put_in_charge_of_an_area(client, login, world, tree):
    tenant, users = world.a.tenant, world.a.users
    with pytest.raises(tenancy.TenancyError):
        tenancy.put_in_charge(tenant, tree[1], users.coordinator)
    db.session.flush()
    login(users.officer)
    page = client.get(f"/t/{tenant.slug}/areas").get_data(as_text=True)
    assert "负责" in page
    done = client.post(f"/t/{tenant.slug}/areas/staff",
                       data={"area_id": tree[1].id, "user_id": users.officer.id})
    assert done.status_code == 302
    assert users.officer.name in client.get(f"/t/{tenant.slug}/areas").get_data(as_text=True)
    login(users.coordinator)
    assert client.post(f"/t/{tenant.slug}/areas/staff", data={
        "area_id": tree[1].id, "user_id": users.coordinator.id}).status_code == 403


def test_a_volunteer_takes_a_wish_on_in_person(client, login, world, tree):
    tenant, users = world.a.tenant, world.a.users
    users.volunteer.name = "李志愿"
    wish = post(tenant, users.resident, tree[2], what="想请人帮忙挂窗帘")
    db.session.flush()
    url = f"/t/{tenant.slug}/needs/{wish.id}"
    login(users.volunteer)
    page = client.get(url).get_data(as_text=True)
    assert "我来帮忙" in page
    asked = client.post(f"{url}/take", data={})
    assert asked.status_code == 200 and "请确认" in asked.get_data(as_text=True)
    db.session.refresh(wish)
    assert wish.status == NeedStatus.OPEN
    client.post(f"{url}/take", data={"confirmed": "yes"})
    db.session.refresh(wish)
    assert wish.status == NeedStatus.CLAIMED and wish.claimed_volunteer_id == users.volunteer.id
    assert wish.claimed_org_id is None
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == users.resident.id).order_by(Notification.id.desc()))
    assert "李志愿" in note.title
    # Nobody else takes it: not an organization, not a second volunteer.
    with pytest.raises(NeedError):
        services.claim(wish, world.a.orgs[0], users.coordinator)
    other = user_with(tenant, Role.VOLUNTEER)
    with pytest.raises(NeedError) as beaten:
        services.claim_in_person(wish, other)
    assert beaten.value.status == 409
    mine = client.get(f"/t/{tenant.slug}/needs/mine").get_data(as_text=True)
    assert "我接下的心愿" in mine and "想请人帮忙挂窗帘" in mine
    home = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "我接下的心愿" in home and "想请人帮忙挂窗帘" in home
    # A volunteer meets it in words only, then the resident sees the name and confirms.
    with pytest.raises(NeedError):
        services.meet(wish, users.volunteer, set(), "project", object_id=1)
    client.post(f"{url}/meet", data={"link": "note", "note": "窗帘已挂好"})
    db.session.refresh(wish)
    assert wish.status == NeedStatus.MET
    login(users.resident)
    page = client.get(url).get_data(as_text=True)
    assert "李志愿" in page and "窗帘已挂好" in page
    client.post(f"{url}/confirm", data={"rating": 5})
    db.session.refresh(wish)
    assert wish.status == NeedStatus.CONFIRMED and wish.rating == 5


def test_a_volunteer_takes_on_only_wall_wishes_not_their_own(world, tree):
    tenant, users = world.a.tenant, world.a.users
    private = post(tenant, users.resident, tree[2], on_wall=False)
    with pytest.raises(NeedError) as refused:
        services.claim_in_person(private, users.volunteer)
    assert refused.value.status == 403
    own = post(tenant, users.volunteer, tree[2])
    with pytest.raises(NeedError):
        services.claim_in_person(own, users.volunteer)
    with pytest.raises(NeedError):
        services.claim_in_person(post(tenant, users.resident, tree[2]), users.coordinator)


def test_a_volunteer_gives_a_wish_back(world, tree):
    users = world.a.users
    wish = post(world.a.tenant, users.resident, tree[2])
    services.claim_in_person(wish, users.volunteer)
    services.decline(wish, users.volunteer, "这周要出差", set())
    assert wish.status == NeedStatus.OPEN and wish.claimed_volunteer_id is None
    assert wish.declines[-1].org_id is None and wish.declines[-1].declined_by_id == users.volunteer.id


def test_an_organization_creates_a_project_from_the_need_it_took_on(client, login, world, tree):
    tenant, users, org = world.a.tenant, world.a.users, world.a.orgs[0]
    need = post(tenant, users.resident, tree[2], what="楼里几位老人想学用手机视频通话")
    services.claim(need, org, users.coordinator)
    db.session.flush()
    login(users.coordinator)
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    new = f"/t/{tenant.slug}/orgs/{org.id}/projects/new?need={need.id}"
    assert f"need={need.id}" in page
    form = client.get(new).get_data(as_text=True)
    assert "楼里几位老人想学用手机视频通话" in form
    assert re.search(r'<input checked[^>]*value="独居老人"', form)
    saved = client.post(new, data={"name": "长者手机课堂", "category": "助老服务",
                                   "area_id": tree[2].id, "target_groups": ["独居老人"],
                                   "content": "教老人视频通话", "cancel_deadline_hours": 24})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    db.session.refresh(need)
    assert need.status == NeedStatus.CLAIMED and need.met_kind == "project"
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    assert "长者手机课堂" in page
    # Another organization's coordinator cannot create one for it.
    login(users.admin2)
    assert client.get(f"/t/{tenant.slug}/orgs/{world.a.orgs[1].id}/projects/new"
                      f"?need={need.id}").status_code == 404


def test_the_bureau_starts_a_call_from_a_cluster_of_needs(client, login, world, tree):
    from app.funding import funds
    from app.parsing import local_today

    tenant, users = world.a.tenant, world.a.users
    needs = [post(tenant, users.resident, tree[2], what=f"想有人陪老人聊天{i}") for i in range(3)]
    other = post(tenant, users.resident, tree[2], category="儿童关爱", target_group="留守儿童")
    funds.create_fund(tenant, users.officer, fiscal_year=local_today().year, name="为民服务资金",
                      source="区级财政", amount_fen=50_000_00)
    db.session.flush()
    login(users.officer)
    overview = client.get(f"/t/{tenant.slug}/needs/overview").get_data(as_text=True)
    assert "据此发布申报通知" in overview
    url = (f"/t/{tenant.slug}/needs/call?area_id={tree[1].id}&category=助老服务"
           f"&group=独居老人")
    page = client.get(url).get_data(as_text=True)
    assert all(n.what in page for n in needs) and other.what not in page
    assert "阳光社区" in page and "3" in page
    fund_id = _fund_id(tenant)
    data = {"area_id": tree[1].id, "category": "助老服务", "group": "独居老人",
            "need_ids": [n.id for n in needs[:2]], "fund_id": fund_id,
            "title": "阳光社区独居老人陪伴服务", "description": "陪伴聊天",
            "ceiling": "20000", "deadline": (local_today() + timedelta(days=20)).isoformat()}
    asked = client.post(f"/t/{tenant.slug}/needs/call", data=data)
    body = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "请确认" in body and "不能撤回" in body
    assert db.session.scalar(select(Call).where(Call.title == "阳光社区独居老人陪伴服务")) is None
    done = client.post(f"/t/{tenant.slug}/needs/call", data={**data, "confirmed": "yes"})
    assert done.status_code == 302
    call = db.session.scalar(select(Call).where(Call.title == "阳光社区独居老人陪伴服务"))
    assert call is not None and call.ceiling_fen == 20000_00
    for n in needs:
        db.session.refresh(n)
    assert [n.call_id for n in needs] == [call.id, call.id, None]
    public = client.get(f"/t/{tenant.slug}/funding/open-calls/{call.id}").get_data(as_text=True)
    assert "想有人陪老人聊天0" in public and "2" in public
    shown = client.get(f"/t/{tenant.slug}/needs/{needs[0].id}").get_data(as_text=True)
    assert "阳光社区独居老人陪伴服务" in shown
    login(users.resident)
    assert client.get(url).status_code == 403


def _fund_id(tenant):
    from app.funding.models import Fund

    return db.session.scalar(select(Fund.id).where(Fund.tenant_id == tenant.id)
                             .order_by(Fund.id.desc()))


def test_a_call_drafted_from_needs_quotes_only_the_wishes_on_the_wall(world, tree):
    from app.needs import calls

    tenant, users = world.a.tenant, world.a.users
    shown = post(tenant, users.resident, tree[2], what="想找人教我用智能手机")
    private = post(tenant, users.resident, tree[2], what="家里有人生病需要照护", on_wall=False)
    needs = list(db.session.scalars(calls.cluster(tenant, tree[1], "助老服务", "独居老人")))
    assert {shown.id, private.id} <= {n.id for n in needs}
    draft = calls.draft(tree[1], "助老服务", "独居老人", needs)
    assert shown.what in draft.description and private.what not in draft.description
    assert "阳光社区" in draft.title


def test_taking_on_a_late_wish_promises_help_soon_not_by_a_past_day(world, tree):
    from app.confirm import describe

    users = world.a.users
    late = post(world.a.tenant, users.resident, tree[2], urgency="urgent",
                now=utcnow() - timedelta(days=5))
    on_time = post(world.a.tenant, users.resident, tree[2], urgency="urgent")
    assert "已超期" in describe("need.claim_in_person", late)
    assert "已超期" in describe("need.claim", late)
    assert "已超期" not in describe("need.claim_in_person", on_time)
    assert on_time.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d") in describe(
        "need.claim_in_person", on_time)
