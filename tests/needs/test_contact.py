"""The resident and the volunteer of a wish taken on in person reach each other: each lets the
other see their mobile number after saying yes, for this claim only. Tested as an attack:
another volunteer, the organizations, the bureau, another district and anyone after the wish
is given back see no number and cannot share or stop on their behalf."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.needs import contact, services
from app.needs.services import NeedError
from app.notifications.models import Notification
from tests.factories import user_with
from tests.needs.test_needs import areas, post, serve

RESIDENT_PHONE, VOLUNTEER_PHONE = "13811112222", "13933334444"


@pytest.fixture
def wish(world):
    tenant, users = world.a.tenant, world.a.users
    street, community, grid, other = areas(tenant)
    serve(world.a.orgs[0], community)
    users.resident.phone, users.volunteer.phone = RESIDENT_PHONE, VOLUNTEER_PHONE
    need = post(tenant, users.resident, grid, what="想请人帮忙贴春联")
    services.claim_in_person(need, users.volunteer)
    db.session.flush()
    return need



def test_the_resident_lets_the_volunteer_see_their_number_after_saying_yes(client, login, world,
                                                                          wish):
    tenant, users = world.a.tenant, world.a.users
    base = f"/t/{tenant.slug}/needs/{wish.id}"
    login(users.volunteer)
    page = client.get(base).get_data(as_text=True)
    assert "联系居民" in page and RESIDENT_PHONE not in page
    name = users.resident.name
    assert name[0] + "*" * (len(name) - 1) in page
    login(users.resident)
    page = client.get(base).get_data(as_text=True)
    assert "让志愿者看到您的手机号" in page and "让对方看到我的手机号" in page
    asked = client.post(f"{base}/contact/share", data={})
    assert asked.status_code == 200 and "请确认" in asked.get_data(as_text=True)
    db.session.refresh(wish)
    assert wish.resident_shares_phone_at is None
    assert client.post(f"{base}/contact/share", data={"confirmed": "yes"}).status_code == 302
    db.session.refresh(wish)
    assert wish.resident_shares_phone_at is not None
    told = db.session.scalar(select(Notification).where(
        Notification.user_id == users.volunteer.id).order_by(Notification.id.desc()))
    assert "手机号" in told.title and RESIDENT_PHONE not in told.title + told.body
    login(users.volunteer)
    page = client.get(base).get_data(as_text=True)
    assert f"tel:{RESIDENT_PHONE}" in page
    # The volunteer shows theirs too; the resident sees it.
    client.post(f"{base}/contact/share", data={"confirmed": "yes"})
    login(users.resident)
    assert f"tel:{VOLUNTEER_PHONE}" in client.get(base).get_data(as_text=True)
    # The resident stops: the volunteer no longer sees it.
    assert client.post(f"{base}/contact/stop", data={}).status_code == 302
    login(users.volunteer)
    assert RESIDENT_PHONE not in client.get(base).get_data(as_text=True)


def test_nobody_else_sees_or_shares_the_numbers(client, login, world, wish):
    tenant, users = world.a.tenant, world.a.users
    contact.share(wish, users.resident)
    contact.share(wish, users.volunteer)
    db.session.flush()
    base = f"/t/{tenant.slug}/needs/{wish.id}"
    other = user_with(tenant, Role.VOLUNTEER, phone="13700000001")
    outsiders = [other, users.coordinator, users.admin, users.officer, users.auditor,
                 users.overseer, world.b.users.volunteer, world.b.users.officer]
    for who in outsiders:
        login(who)
        page = client.get(base)
        body = page.get_data(as_text=True)
        assert RESIDENT_PHONE not in body and VOLUNTEER_PHONE not in body, who.name
        for action in ("share", "stop"):
            done = client.post(f"{base}/contact/{action}", data={"confirmed": "yes"})
            assert done.status_code in (403, 404), (who.name, action)
        assert contact.shown_to(wish, who) is None
        with pytest.raises(NeedError):
            contact.share(wish, who)
    db.session.refresh(wish)
    assert wish.resident_shares_phone_at is not None and wish.volunteer_shares_phone_at


def test_a_wish_given_back_forgets_what_was_shown(world, wish):
    users = world.a.users
    contact.share(wish, users.resident)
    services.decline(wish, users.volunteer, "临时有事", set())
    assert wish.resident_shares_phone_at is None and wish.volunteer_shares_phone_at is None
    assert contact.shown_to(wish, users.volunteer) is None
    nextone = user_with(world.a.tenant, Role.VOLUNTEER)
    services.claim_in_person(wish, nextone)
    assert contact.shown_to(wish, nextone) is None  # the resident agreed for someone else


def test_an_organization_claim_has_no_wish_contact(world, wish):
    users = world.a.users
    services.decline(wish, users.volunteer, "临时有事", set())
    services.claim(wish, world.a.orgs[0], users.coordinator)
    assert contact.side(wish, users.resident) is None
    with pytest.raises(NeedError):
        contact.share(wish, users.resident)


def test_the_api_shows_and_stops_for_the_two_sides_only(client, login, world, wish):
    tenant, users = world.a.tenant, world.a.users
    url = f"/api/v1/t/{tenant.slug}/needs/{wish.id}/contact"
    login(users.volunteer)
    assert client.get(url).get_json() == {"side": "volunteer", "showing_mine": False,
                                          "other_phone": None}
    login(users.resident)
    assert client.post(url, json={"show": "maybe"}).status_code == 422
    shown = client.post(url, json={"show": True})
    assert shown.status_code == 200 and shown.get_json()["showing_mine"] is True
    login(users.volunteer)
    assert client.get(url).get_json()["other_phone"] == RESIDENT_PHONE
    for who in (users.coordinator, users.officer, users.auditor, world.b.users.volunteer,
                user_with(tenant, Role.VOLUNTEER)):
        login(who)
        assert client.get(url).status_code in (403, 404), who.name
        assert client.post(url, json={"show": False}).status_code in (403, 404), who.name
    login(users.resident)
    assert client.post(url, json={"show": False}).get_json()["showing_mine"] is False
