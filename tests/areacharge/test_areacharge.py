"""我负责的片区: an officer in charge of a community sees, for it and the grids under it, the
needs late or escalated to them, coming due and not taken on, the complaints escalated, and
the residents on the roll with no service lately, names masked; nothing of other areas, and
nobody else opens the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.auth.models import Role
from app.complaints import services as complaints
from app.db import utcnow
from app.needs import escalation, services
from app.residents import services as residents
from app.tenancy import services as tenancy
from app.workbench import services as workbench
from tests.factories import user_with
from tests.needs.test_needs import areas, post, serve


@pytest.fixture
def scene(world):
    tenant, users = world.a.tenant, world.a.users
    street, community, grid, other = areas(tenant)
    serve(world.a.orgs[0], community, other)
    keeper = user_with(tenant, Role.BUREAU_OFFICER, name="社区干部王芳")
    tenancy.put_in_charge(tenant, community, keeper)
    return tenant, users, keeper, community, grid, other


def counts(page: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-list="(\w+)" data-count="(\d+)"', page)}


def test_the_officer_sees_what_waits_in_their_community_and_under_it(client, login, world, scene):
    tenant, users, keeper, community, grid, other = scene
    now = utcnow()
    late = post(tenant, users.resident, grid, what="修理漏水的水龙头", urgency="urgent",
                now=now - timedelta(days=3))
    escalation.escalate_overdue(tenant, now)
    soon = post(tenant, users.resident, community, what="陪同去医院复查", urgency="urgent",
                now=now - timedelta(hours=1))
    waiting = post(tenant, users.resident, grid, what="教我用手机挂号", urgency="routine")
    services.claim(soon, world.a.orgs[0], users.coordinator)
    elsewhere = post(tenant, users.resident, other, what="月亮社区的需求", urgency="urgent",
                     now=now - timedelta(days=3))
    complaint = complaints.file(tenant, users.resident, kind="process", body="办事窗口总是没人",
                                area=grid, now=now - timedelta(days=20))
    complaints.escalate_due(tenant, now)
    assert complaint.steps and complaint.steps[0].area_id == community.id  # told first
    login(keeper)
    page = client.get(f"/t/{tenant.slug}/my-areas").get_data(as_text=True)
    assert counts(page) == {"late": 1, "coming_due": 1, "unclaimed": 1, "complaints": 1,
                            "quiet": 0}
    for need in (late, soon, waiting):
        assert f"/needs/{need.id}" in page
    assert f"/complaints/{complaint.id}" in page
    assert "已上报阳光社区" in page  # the late need was escalated to this officer
    assert elsewhere.what not in page and "月亮社区" not in page
    name = users.resident.name
    assert name not in page and name[0] + "*" * (len(name) - 1) in page


def test_residents_on_the_roll_without_service_lately_are_listed_masked(client, login, world,
                                                                        scene):
    tenant, users, keeper, community, grid, other = scene
    elder = residents.register(tenant, keeper, name="李秀兰", id_number="11010519491231002X",
                               area=grid, target_group="独居老人", consent_how="spoken")
    far = residents.register(tenant, keeper, name="赵大山", id_number="110105194912310003",
                             area=other, target_group="独居老人", consent_how="spoken")
    login(keeper)
    page = client.get(f"/t/{tenant.slug}/my-areas").get_data(as_text=True)
    assert counts(page)["quiet"] == 1
    assert "李**" in page and "李秀兰" not in page and "赵*" not in page
    assert f"/residents/offline/{elder.id}" in page and f"/offline/{far.id}" not in page


def test_only_officers_in_charge_of_an_area_open_the_page(client, login, world, scene):
    tenant, users, keeper, *_rest = scene
    for who in (users.officer, users.coordinator, users.volunteer, users.resident,
                users.auditor):
        login(who)
        assert client.get(f"/t/{tenant.slug}/my-areas").status_code == 403, who.name
    login(keeper)
    assert client.get(f"/t/{world.b.tenant.slug}/my-areas").status_code in (403, 404)
    home = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert f"/t/{tenant.slug}/my-areas" in home


def test_the_workbench_names_each_area_with_what_waits(world, scene):
    tenant, users, keeper, community, grid, other = scene
    now = utcnow()
    post(tenant, users.resident, grid, urgency="urgent", now=now - timedelta(days=3))
    post(tenant, users.resident, grid, urgency="routine")
    bench = workbench.build(keeper, tenant, now)
    mine = next(s for s in bench.sections if s.key == "areas.mine")
    assert mine.count == 2 and mine.items[0].label == "阳光社区" and mine.items[0].urgent
    assert all(s.key != "areas.mine" for s in workbench.build(users.officer, tenant, now).sections)


def test_the_api_gives_the_same_lists_masked_to_the_officer_only(client, login, world, scene):
    tenant, users, keeper, community, grid, other = scene
    now = utcnow()
    late = post(tenant, users.resident, grid, what="修理漏水的水龙头", urgency="urgent",
                now=now - timedelta(days=3))
    url = f"/api/v1/t/{tenant.slug}/my-areas"
    login(keeper)
    found = client.get(url).get_json()
    assert [a["area"] for a in found] == ["阳光社区"]
    assert found[0]["late"]["count"] == 1 and found[0]["late"]["lines"][0]["id"] == late.id
    assert users.resident.name not in str(found)
    for who in (users.officer, users.coordinator, users.resident):
        login(who)
        assert client.get(url).status_code == 403
