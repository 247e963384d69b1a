"""Residents' needs: posting (for oneself and on a resident's behalf), routing by area and
category, one claimant under concurrency, declining, meeting, confirming, escalation when
late, the masked wish wall and the bureau's grouping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.needs import overview, services
from app.needs.models import Need, NeedStatus
from app.needs.services import NeedError
from app.notifications.models import Notification
from app.orgs.models import Organization, OrgArea
from tests.concurrency import run_together
from tests.factories import CREDIT_CODES, AreaFactory, OrgFactory, TenantFactory, user_with


def areas(tenant):
    street = AreaFactory(tenant=tenant, name="东街道", level="街道")
    community = AreaFactory(tenant=tenant, name="阳光社区", level="社区", parent=street)
    grid = AreaFactory(tenant=tenant, name="第一网格", level="网格", parent=community)
    other = AreaFactory(tenant=tenant, name="月亮社区", level="社区", parent=street)
    return street, community, grid, other


def serve(org, *served):
    for area in served:
        db.session.add(OrgArea(tenant_id=org.tenant_id, org_id=org.id, area_id=area.id))
    db.session.flush()


def post(tenant, poster, area, **kw):
    values = dict(what="帮忙换一个灯泡", category="助老服务", target_group="独居老人",
                  area=area, urgency="soon", on_wall=True)
    values.update(kw)
    return services.post(tenant, poster, **values)


@pytest.fixture
def place(world):
    tenant = world.a.tenant
    street, community, grid, other = areas(tenant)
    serve(world.a.orgs[0], community)   # serves the grid below it
    serve(world.a.orgs[1], other)       # serves another community only
    return community, grid, other


def test_a_resident_posts_a_need_with_a_deadline_by_urgency(world, place):
    tenant, resident = world.a.tenant, world.a.users.resident
    need = post(tenant, resident, place[1], urgency="urgent")
    assert need.status == NeedStatus.OPEN and need.resident_id == resident.id
    assert not need.on_behalf and need.posted_by_id == resident.id
    assert need.due_at - need.created_at == timedelta(days=2)
    tenant.settings = {**(tenant.settings or {}), "need_deadline_days": {"urgent": 1, "soon": 5,
                                                                          "routine": 20}}
    assert (post(tenant, resident, place[1], urgency="routine").due_at - utcnow()).days == 19


def test_a_need_is_refused_without_words_or_with_an_unknown_category(world, place):
    resident = world.a.users.resident
    with pytest.raises(NeedError):
        post(world.a.tenant, resident, place[1], what="   ")
    with pytest.raises(NeedError):
        post(world.a.tenant, resident, place[1], category="修电脑")
    with pytest.raises(NeedError):
        post(world.a.tenant, resident, place[1], what="字" * 501)


def test_a_volunteer_posts_on_behalf_of_a_resident_named_by_phone(world, place):
    tenant, volunteer = world.a.tenant, world.a.users.volunteer
    elder = world.a.users.resident
    need = post(tenant, volunteer, place[1], for_phone=elder.phone)
    assert need.on_behalf and need.posted_by_id == volunteer.id
    assert need.resident_id == elder.id and need.resident_name == elder.name
    offline = post(tenant, volunteer, place[1], for_name="李奶奶")
    assert offline.resident_id is None and offline.resident_name == "李奶奶"
    assert services.may_confirm(offline, volunteer)


def test_a_resident_may_not_post_for_someone_else(world, place):
    with pytest.raises(NeedError) as refused:
        post(world.a.tenant, world.a.users.resident, place[1], for_name="张三")
    assert refused.value.status == 403


def test_only_organizations_serving_the_area_see_the_need(world, place):
    from app.needs.routing import open_for, routed_org_ids

    org0, org1 = world.a.orgs
    need = post(world.a.tenant, world.a.users.resident, place[1])
    assert routed_org_ids(need) == {org0.id}
    seen0 = list(db.session.scalars(open_for(world.a.tenant.id, {org0.id})))
    seen1 = list(db.session.scalars(open_for(world.a.tenant.id, {org1.id})))
    assert need in seen0 and need not in seen1
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "need.open", Notification.subject_id == need.id)))
    assert {world.a.users.admin.id, world.a.users.coordinator.id} <= told
    assert world.a.users.admin2.id not in told and world.a.users.resident.id not in told
    with pytest.raises(NeedError):
        services.claim(need, org1, world.a.users.admin2)


def test_an_organization_in_another_category_does_not_see_the_need(world, place):
    from app.needs.routing import routed_org_ids
    from tests.projects.factories import ProjectFactory

    # The test world's organizations run projects in 助老服务 only.
    need = post(world.a.tenant, world.a.users.resident, place[1], category="儿童关爱")
    assert routed_org_ids(need) == set()
    ProjectFactory(org=world.a.orgs[0], category="儿童关爱")
    assert routed_org_ids(need) == {world.a.orgs[0].id}


def test_declining_returns_the_need_to_open_with_the_reason(world, place):
    org = world.a.orgs[0]
    need = post(world.a.tenant, world.a.users.resident, place[1])
    services.claim(need, org, world.a.users.coordinator)
    assert need.status == NeedStatus.CLAIMED and need.claimed_org_id == org.id
    with pytest.raises(NeedError):
        services.decline(need, world.a.users.coordinator, "", {org.id})
    services.decline(need, world.a.users.coordinator, "人手不够", {org.id})
    assert need.status == NeedStatus.OPEN and need.claimed_org_id is None
    assert [d.reason for d in need.declines] == ["人手不够"]
    services.claim(need, org, world.a.users.coordinator)
    assert need.status == NeedStatus.CLAIMED


def test_met_then_confirmed_and_rated_by_the_resident_only(world, place):
    org, resident = world.a.orgs[0], world.a.users.resident
    need = post(world.a.tenant, resident, place[1])
    with pytest.raises(NeedError):
        services.meet(need, world.a.users.coordinator, {org.id}, "note", note="已换好")
    services.claim(need, org, world.a.users.coordinator)
    with pytest.raises(NeedError):
        services.meet(need, world.a.users.coordinator, {org.id}, "project", object_id=999999)
    services.meet(need, world.a.users.coordinator, {org.id}, "note", note="已换好灯泡")
    with pytest.raises(NeedError):
        services.confirm(need, world.a.users.volunteer, 5)
    with pytest.raises(NeedError):
        services.confirm(need, resident, 6)
    services.confirm(need, resident, 4, "很及时")
    assert (need.status, need.rating, need.rating_comment) == (NeedStatus.CONFIRMED, 4, "很及时")


def test_an_overdue_need_is_escalated_to_the_bureau_once(world, place):
    need = post(world.a.tenant, world.a.users.resident, place[1], urgency="urgent")
    later = utcnow() + timedelta(days=3)
    assert not need.is_overdue(utcnow()) and need.is_overdue(later)
    from workers.needs import escalate_overdue

    assert services.escalate_overdue(world.a.tenant, utcnow()) == 0
    assert escalate_overdue(world.a.tenant.id, later.isoformat()) == 1
    assert services.escalate_overdue(world.a.tenant, later) == 0
    told = list(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "need.overdue", Notification.subject_id == need.id)))
    assert world.a.users.officer.id in told and len(told) == len(set(told))
    assert all(db.session.get(User, i).has_role(world.a.tenant.id, Role.BUREAU_OFFICER)
               for i in told)


def test_the_wish_wall_is_public_and_masked(client, world, place):
    tenant, resident = world.a.tenant, world.a.users.resident
    resident.name = "王秀英"
    shown = post(tenant, resident, place[1], what="想学用智能手机")
    hidden = post(tenant, resident, place[1], what="家里水管漏水", on_wall=False)
    db.session.flush()
    page = client.get(f"/t/{tenant.slug}/needs/wall/{place[0].id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert shown.what in body and hidden.what not in body
    assert "王**" in body and "王秀英" not in body and resident.phone not in body
    assert client.get(f"/t/{tenant.slug}/needs/wall/{place[2].id}").get_data(
        as_text=True).count(shown.what) == 0


def test_the_bureau_sees_unmet_needs_grouped(client, world, place, login):
    tenant, resident = world.a.tenant, world.a.users.resident
    for _ in range(3):
        post(tenant, resident, place[1])
    post(tenant, resident, place[2], category="儿童关爱", target_group="留守儿童")
    done = post(tenant, resident, place[1])
    services.claim(done, world.a.orgs[0], world.a.users.coordinator)
    services.meet(done, world.a.users.coordinator, {world.a.orgs[0].id}, "note", note="好了")
    groups = overview.unmet(tenant)
    mine = {place[1].id, place[2].id}  # the test world holds needs of its own elsewhere
    assert {(g.area, g.category, g.group, g.count) for g in groups if g.area_id in mine} == {
        ("第一网格", "助老服务", "独居老人", 3), ("月亮社区", "儿童关爱", "留守儿童", 1)}
    login(world.a.users.officer)
    body = client.get(f"/t/{tenant.slug}/needs/overview").get_data(as_text=True)
    assert "第一网格" in body and "月亮社区" in body
    login(world.a.users.resident)
    assert client.get(f"/t/{tenant.slug}/needs/overview").status_code == 403


def test_two_organizations_claiming_at_once_one_wins(app, committed):
    tenant = TenantFactory()
    street, community, grid, _other = areas(tenant)
    orgs = [OrgFactory(tenant_id=tenant.id, name=f"组织{i}", credit_code=code)
            for i, code in enumerate(CREDIT_CODES[2:4])]
    for org in orgs:
        serve(org, street)
    people = [user_with(tenant, Role.ORG_COORDINATOR, org) for org in orgs]
    resident = user_with(tenant, Role.RESIDENT)
    need = post(tenant, resident, grid)
    ids = (need.id, tenant.id, [o.id for o in orgs], [p.id for p in people])
    committed.session.commit()

    def job(i):
        def run():
            n = db.session.get(Need, ids[0])
            return services.claim(n, db.session.get(Organization, ids[2][i]),
                                  db.session.get(User, ids[3][i])).claimed_org_id
        return run

    results = run_together(app, [job(0), job(1)])
    wins = [r for r in results if isinstance(r, int)]
    losses = [r for r in results if isinstance(r, NeedError)]
    assert len(wins) == 1 and len(losses) == 1, results
    committed.session.expire_all()
    assert committed.session.get(Need, ids[0]).claimed_org_id == wins[0]


def test_the_api_posts_claims_meets_and_confirms(app, client, world, place, login):
    tenant = world.a.tenant
    base = f"/api/v1/t/{tenant.slug}/needs"
    login(world.a.users.volunteer)
    posted = client.post(base, json={"what": "帮李奶奶买药", "category": "助老服务",
                                     "target_group": "独居老人", "area_id": place[1].id,
                                     "urgency": "urgent", "for_name": "李奶奶"})
    assert posted.status_code == 201, posted.get_json()
    need = posted.get_json()
    assert need["on_behalf"] and need["resident"] == "李**" and need["status"] == "open"
    login(world.a.users.admin2)  # serves another community: neither sees nor claims it
    assert client.get(f"{base}/{need['id']}").status_code == 403
    assert need["id"] not in [n["id"] for n in client.get(f"{base}/queue").get_json()]
    login(world.a.users.coordinator)
    assert need["id"] in [n["id"] for n in client.get(f"{base}/queue").get_json()]
    claimed = client.post(f"{base}/{need['id']}/claim", json={"org_id": world.a.orgs[0].id})
    assert claimed.status_code == 200 and claimed.get_json()["claimed_org"] == world.a.orgs[0].name
    met = client.post(f"{base}/{need['id']}/meet", json={"kind": "note", "note": "药已送到"})
    assert met.get_json()["status"] == "met"
    assert client.post(f"{base}/{need['id']}/confirm", json={"rating": 5}).status_code == 403
    login(world.a.users.volunteer)  # the poster confirms for a resident without an account
    done = client.post(f"{base}/{need['id']}/confirm", json={"rating": 5})
    assert done.get_json()["status"] == "confirmed" and done.get_json()["rating"] == 5


def test_a_claim_and_a_decline_ask_first_on_the_pages(client, world, place, login):
    need = post(world.a.tenant, world.a.users.resident, place[1])
    db.session.flush()
    login(world.a.users.coordinator)
    url = f"/t/{world.a.tenant.slug}/needs/{need.id}"
    page = client.get(url).get_data(as_text=True)
    assert "承接" in page and need.what in page
    asked = client.post(f"{url}/claim", data={"org_id": world.a.orgs[0].id})
    assert asked.status_code == 200 and need.status == NeedStatus.OPEN
    client.post(f"{url}/claim", data={"org_id": world.a.orgs[0].id, "confirmed": "yes"})
    db.session.refresh(need)
    assert need.status == NeedStatus.CLAIMED
    client.post(f"{url}/decline", data={"reason": "人手不够", "confirmed": "yes"})
    db.session.refresh(need)
    assert need.status == NeedStatus.OPEN and need.declines[0].reason == "人手不够"


def test_my_needs_on_a_phone_say_where_each_stands(client, world, place, login):
    need = post(world.a.tenant, world.a.users.resident, place[1], what="想找人陪同去医院")
    services.claim(need, world.a.orgs[0], world.a.users.coordinator)
    db.session.flush()
    login(world.a.users.resident)
    body = client.get(f"/t/{world.a.tenant.slug}/needs/mine").get_data(as_text=True)
    assert "想找人陪同去医院" in body and "正在办理" in body


def test_the_workbench_shows_needs_to_each_hat(client, world, place, login):
    need = post(world.a.tenant, world.a.users.resident, place[1], what="需要轮椅借用两周",
                urgency="urgent", now=utcnow() - timedelta(days=3))
    db.session.flush()
    home = f"/t/{world.a.tenant.slug}/"
    login(world.a.users.coordinator)
    assert need.what in client.get(home).get_data(as_text=True)
    login(world.a.users.admin2)  # another community's organization
    assert need.what not in client.get(home).get_data(as_text=True)
    login(world.a.users.officer)
    page = client.get(home).get_data(as_text=True)
    assert "超期的需求" in page and need.what in page
    login(world.a.users.resident)
    assert need.what in client.get(home).get_data(as_text=True)


def test_an_organization_sees_the_open_needs_below_its_areas_in_its_categories(world, place):
    from app.needs.routing import open_for, routed_org_ids

    tenant, resident = world.a.tenant, world.a.users.resident
    community, grid, other = place
    street = db.session.get(type(community), community.parent_id)
    newcomer = OrgFactory(tenant_id=tenant.id, name="新成立的社工站",
                          credit_code=CREDIT_CODES[2])  # no project yet: every category
    serve(newcomer, street)
    elders = post(tenant, resident, grid)
    children = post(tenant, resident, grid, category="儿童关爱")
    elsewhere = post(tenant, resident, other)

    def seen(*orgs) -> set[int]:
        return {n.id for n in db.session.scalars(open_for(tenant.id, {o.id for o in orgs}))}

    org0, org1 = world.a.orgs
    mine = {elders.id, children.id, elsewhere.id}
    assert seen(newcomer) & mine == mine  # a street's organization: every community below
    assert seen(org0) & mine == {elders.id}  # its community, its category
    assert seen(org1) & mine == {elsewhere.id}
    assert seen(org0, org1) & mine == {elders.id, elsewhere.id}
    assert routed_org_ids(children) == {newcomer.id}
    assert routed_org_ids(elders) == {org0.id, newcomer.id}
    assert list(db.session.scalars(open_for(tenant.id, set()))) == []
