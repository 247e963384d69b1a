"""A need an organization took on becomes a service slot or a volunteer shift, set up with
the project forms, filled in from the need and linked back to it; the resident is booked onto
the slot only when the need was posted for them and they agreed to be acted for (代办)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.needs import services
from app.needs.models import NeedStatus
from app.parsing import SHANGHAI
from app.projects.models import ServiceSlot, Shift, SlotBooking
from app.residents import services as residents
from tests.factories import user_with
from tests.needs.test_needs import areas, post, serve
from tests.service.factories import make_project


@pytest.fixture
def scene(world):
    tenant, users, org = world.a.tenant, world.a.users, world.a.orgs[0]
    street, community, grid, other = areas(tenant)
    serve(org, community)
    project = make_project(tenant, org, name="上门助老", target_groups=["独居老人"])
    return tenant, users, org, grid, project


def fields(page: str) -> dict[str, str]:
    page = html.unescape(page)
    return dict(re.findall(r'<input[^>]*name="(day|start|end|place|capacity)"[^>]*value="([^"]*)"',
                           page))


def test_a_slot_filled_in_from_the_need_books_the_resident_who_agreed(client, login, world,
                                                                      scene):
    tenant, users, org, grid, project = scene
    officer = users.officer
    elder = residents.register(tenant, officer, name="郑奶奶", id_number="11010519491231002X",
                               area=grid, target_group="独居老人", consent_how="spoken",
                               contact_phone="13900001111")
    wanted = (utcnow() + timedelta(days=5)).astimezone(SHANGHAI).date()
    need = post(tenant, officer, grid, what="想请人上门帮忙剪头发", for_phone="13900001111",
                wanted_on=wanted)
    assert need.resident_id == elder.user_id and need.on_behalf
    services.claim(need, org, users.coordinator)
    db.session.flush()
    login(users.coordinator)
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    new = f"/t/{tenant.slug}/projects/{project.id}/slots/new?need={need.id}"
    assert html.escape(new).replace("&amp;", "&") in page.replace("&amp;", "&")
    form = client.get(new).get_data(as_text=True)
    assert fields(form) == {"day": wanted.isoformat(), "start": "09:00", "end": "10:00",
                            "place": grid.name, "capacity": "1"}
    assert "郑**" in form and "郑奶奶" not in form and 'name="book_resident"' in form
    saved = client.post(new, data={**fields(form), "target_group": "独居老人",
                                   "book_resident": "y"})
    assert saved.status_code == 302 and f"/needs/{need.id}" in saved.location
    slot = db.session.scalar(select(ServiceSlot).where(ServiceSlot.project_id == project.id))
    booking = db.session.scalar(select(SlotBooking).where(SlotBooking.slot_id == slot.id))
    assert booking.user_id == elder.user_id and booking.proxy_id == users.coordinator.id
    db.session.refresh(need)
    assert (need.status, need.met_kind, need.met_object_id) == (
        NeedStatus.CLAIMED, "booking", booking.id)
    assert "上门助老" in client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)


def test_a_resident_who_posted_themselves_is_not_booked_the_slot_is_linked(client, login, world,
                                                                           scene):
    tenant, users, org, grid, project = scene
    need = post(tenant, users.resident, grid, what="家里的灯坏了")
    services.claim(need, org, users.coordinator)
    db.session.flush()
    login(users.coordinator)
    new = f"/t/{tenant.slug}/projects/{project.id}/slots/new?need={need.id}"
    form = client.get(new).get_data(as_text=True)
    assert 'name="book_resident"' not in form
    # Hostile: asking for the booking anyway books nobody.
    assert client.post(new, data={**fields(form), "book_resident": "y"}).status_code == 302
    db.session.refresh(need)
    assert need.met_kind == "slot"
    assert db.session.scalar(select(SlotBooking).join(ServiceSlot).where(
        ServiceSlot.project_id == project.id)) is None
    login(users.resident)
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    assert "上门助老" in page and f"/projects/{project.id}" in page


def test_a_shift_is_set_up_for_the_need_and_shown_on_it(client, login, world, scene):
    tenant, users, org, grid, project = scene
    need = post(tenant, users.resident, grid, what="帮忙搬一个旧柜子")
    services.claim(need, org, users.coordinator)
    db.session.flush()
    login(users.coordinator)
    new = f"/t/{tenant.slug}/projects/{project.id}/shifts/new?need={need.id}"
    form = client.get(new).get_data(as_text=True)
    refused = client.post(new, data={**fields(form), "capacity": "-3"})
    assert refused.status_code == 200  # the place form's own checks still apply
    assert db.session.scalar(select(Shift).where(Shift.project_id == project.id)) is None
    assert client.post(new, data={**fields(form), "capacity": "2"}).status_code == 302
    shift = db.session.scalar(select(Shift).where(Shift.project_id == project.id))
    db.session.refresh(need)
    assert (need.met_kind, need.met_object_id) == ("shift", shift.id)
    page = client.get(f"/t/{tenant.slug}/needs/{need.id}").get_data(as_text=True)
    assert "上门助老" in page


def test_only_the_organization_holding_the_need_sets_a_place_up_for_it(client, login, world,
                                                                      scene):
    tenant, users, org, grid, project = scene
    need = post(tenant, users.resident, grid)
    db.session.flush()
    login(users.coordinator)
    new = f"/t/{tenant.slug}/projects/{project.id}/slots/new?need={need.id}"
    assert client.get(new).status_code == 404  # open, not taken on yet
    services.claim(need, org, users.coordinator)
    other = world.a.orgs[1]
    theirs = make_project(tenant, other, name="别家的项目")
    login(users.admin2)
    assert client.get(f"/t/{tenant.slug}/projects/{theirs.id}/slots/new"
                      f"?need={need.id}").status_code == 404
    assert client.post(f"/t/{tenant.slug}/projects/{theirs.id}/shifts/new?need={need.id}",
                       data={"day": "2030-01-01", "start": "09:00", "end": "10:00",
                             "place": "x", "capacity": "1"}).status_code == 404
    db.session.refresh(need)
    assert need.met_kind is None
    stranger = user_with(tenant, Role.VOLUNTEER)
    login(stranger)
    assert client.get(new).status_code == 403
