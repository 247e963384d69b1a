"""A visitor who starts an action that needs an account signs in, or registers, and lands
back on the page they were on with that action offered again, never on an error; ``next``
never leads off the site."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from app.auth.models import Role
from app.db import utcnow
from tests.factories import PASSWORD, OrgFactory, TenantFactory, user_with
from tests.funding.factories import funding_world, make_award
from tests.projects.factories import ProjectFactory, shift, slot, volunteer
from tests.service.factories import book, make_slot

SIGNED_IN = "登录成功，请确认报名"
_phones = iter(range(1, 10_000))


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def link_to(page: str, start: str) -> str:
    found = [h for h in links(page) if h.startswith(start)]
    assert found, f"no link to {start}"
    return found[0]


def land(client, response):
    """Follow redirects as a browser does (each by GET); the page it ends on."""
    for _ in range(5):
        if response.status_code not in (301, 302, 303):
            break
        target = response.location
        assert target.startswith("/") and not target.startswith("//"), target
        response = client.get(target)
    assert response.status_code == 200, (response.status_code, response.request.path)
    return response


def sign_in(client, login_href: str, user):
    assert client.get(login_href).status_code == 200
    return land(client, client.post(login_href, data={"account": user.phone,
                                                       "password": PASSWORD}))


def register(client, login_href: str):
    """From the sign-in page a newcomer registers instead."""
    page = client.get(login_href).get_data(as_text=True)
    href = link_to(page, "/t/")
    assert "/register?next=" in href
    assert client.get(href).status_code == 200
    return land(client, client.post(href, data={
        "name": "新居民", "account": f"1371111{next(_phones):04d}", "password": "xin2026abc",
        "confirm": "xin2026abc", "agree": "y"}))


@pytest.fixture
def market(db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    project = ProjectFactory(org=org, name="周末助老")
    return tenant, project, slot(project, capacity=3), shift(project, capacity=3)


def visitor_button(client, tenant, project, kind, place) -> str:
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)
    actions = [h for h in links(page) if h.startswith("/login?next=") and "intent" in h]
    assert "登录后报名" not in page and len(actions) == 2  # one button per place, no other
    return link_to(page, f"/login?next=/t/{tenant.slug}/projects/{project.id}?intent%3D{kind}-{place.id}")


def offered(page: str, kind: str, place, action: str) -> None:
    assert f'id="{kind}-{place.id}" class="intent"' in page
    assert SIGNED_IN in page
    assert f'action="{action}"' in page


@pytest.mark.parametrize("way", ["sign in", "register"])
def test_book_a_slot_after_signing_in_or_registering(client, market, way):
    tenant, project, place, _shift = market
    href = visitor_button(client, tenant, project, "slot", place)
    resident = user_with(tenant, Role.RESIDENT)
    landed = sign_in(client, href, resident) if way == "sign in" else register(client, href)
    assert landed.request.path == f"/t/{tenant.slug}/projects/{project.id}"
    offered(landed.get_data(as_text=True), "slot", place, f"/t/{tenant.slug}/slots/{place.id}/book")


def test_join_a_waitlist_after_signing_in(client, market, db):
    tenant, project, place, _shift = market
    place.confirmed_count = place.capacity
    db.session.flush()
    href = visitor_button(client, tenant, project, "slot", place)
    page = sign_in(client, href, user_with(tenant, Role.RESIDENT)).get_data(as_text=True)
    offered(page, "slot", place, f"/t/{tenant.slug}/slots/{place.id}/book")
    assert "加入候补" in page


def test_sign_up_for_a_shift_after_signing_in(client, market):
    tenant, project, _slot, place = market
    href = visitor_button(client, tenant, project, "shift", place)
    page = sign_in(client, href, volunteer(tenant)).get_data(as_text=True)
    offered(page, "shift", place, f"/t/{tenant.slug}/shifts/{place.id}/signup")


def test_a_newcomer_registers_then_becomes_a_volunteer_then_signs_up(client, market):
    tenant, project, _slot, place = market
    href = visitor_button(client, tenant, project, "shift", place)
    page = register(client, href).get_data(as_text=True)
    assert f'id="shift-{place.id}" class="intent"' in page
    assert "报名志愿岗位前，请先注册为志愿者" in page
    volunteer_href = link_to(page, f"/t/{tenant.slug}/volunteer/register?next=")
    assert client.get(volunteer_href).status_code == 200
    landed = land(client, client.post(volunteer_href, data={
        "real_name": "新居民", "gender": "F", "birth_date": "1990-06-15",
        "id_number": "110102199006150021", "phone": "13722220001", "area_id": "0",
        "consent": "y"}))
    assert landed.request.path == f"/t/{tenant.slug}/projects/{project.id}"
    offered(landed.get_data(as_text=True), "shift", place,
            f"/t/{tenant.slug}/shifts/{place.id}/signup")


@pytest.mark.parametrize("kind", ["slot", "shift"])
def test_the_sign_up_address_itself_after_sign_in_offers_the_action(client, market, kind):
    """The address seen failing: /login?next=<the POST-only sign-up address>."""
    tenant, project, a_slot, a_shift = market
    place, path = (a_slot, "book") if kind == "slot" else (a_shift, "signup")
    person = user_with(tenant, Role.RESIDENT) if kind == "slot" else volunteer(tenant)
    href = f"/login?next=/t/{tenant.slug}/{kind}s/{place.id}/{path}"
    landed = sign_in(client, href, person)
    offered(landed.get_data(as_text=True), kind, place, f"/t/{tenant.slug}/{kind}s/{place.id}/{path}")


def test_a_form_posted_without_a_session_returns_to_its_page(client, market):
    tenant, project, place, _shift = market
    page = f"http://localhost/t/{tenant.slug}/projects/{project.id}"
    response = client.post(f"/t/{tenant.slug}/slots/{place.id}/book", headers={"Referer": page})
    assert response.status_code == 302
    assert response.location == f"/login?next=/t/{tenant.slug}/projects/{project.id}"
    # Without a usable Referer: the district's home page, still never the POST address.
    response = client.post(f"/t/{tenant.slug}/slots/{place.id}/book",
                           headers={"Referer": "https://elsewhere.example/x"})
    assert response.location == f"/login?next=/t/{tenant.slug}/"
    landed = sign_in(client, response.location, user_with(tenant, Role.RESIDENT))
    assert landed.request.path == f"/t/{tenant.slug}/"


def test_rate_a_service_after_signing_in(client, db):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    resident = user_with(tenant, Role.RESIDENT)
    booking = book(make_slot(project, starts_at=utcnow() - timedelta(hours=3)), resident)
    # The link in "please rate" messages, opened without a session.
    response = client.get(f"/t/{tenant.slug}/service/received?intent=rate-{booking.id}")
    assert response.status_code == 302
    page = sign_in(client, response.location, resident).get_data(as_text=True)
    assert f'id="rate-{booking.id}" class="intent"' in page and "登录成功，请给出您的评价" in page
    assert f'action="/t/{tenant.slug}/service/bookings/{booking.id}/rating"' in page


@pytest.mark.parametrize("way", ["sign in", "register"])
def test_complain_and_register_as_volunteer_after_signing_in(client, db, way):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    resident = user_with(tenant, Role.RESIDENT)
    booking = book(make_slot(project, starts_at=utcnow() - timedelta(hours=3)), resident)
    pages = [f"/t/{tenant.slug}/volunteer/register"]
    if way == "sign in":  # a newcomer has no service to complain about
        pages.append(f"/t/{tenant.slug}/service/bookings/{booking.id}/complaint")
    for path in pages:
        response = client.get(path)
        assert response.location == f"/login?next={path}"
        landed = (sign_in(client, response.location, resident) if way == "sign in"
                  else register(client, response.location))
        assert landed.request.path == path and "<form" in landed.get_data(as_text=True)
        client.post("/logout")


def test_object_to_a_notice_needs_no_account(client, db, app):
    with app.test_request_context("/"):
        w = funding_world()
        award = make_award(w, ended=False)
    path = f"/t/{w.tenant.slug}/funding/notices/{award.id}"
    assert 'name="text"' in client.get(path).get_data(as_text=True)  # offered to visitors
    landed = sign_in(client, f"/login?next={path}", user_with(w.tenant, Role.RESIDENT))
    assert landed.request.path == path and 'name="text"' in landed.get_data(as_text=True)


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example/x", "https://evil.example/",
                                    "javascript:alert(1)", "/\r\nLocation: //evil.example"])
def test_next_never_leads_off_the_site(client, db, target):
    tenant = TenantFactory()
    resident = user_with(tenant, Role.RESIDENT)
    response = client.post("/login", query_string={"next": target},
                           data={"account": resident.phone, "password": PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    client.post("/logout")
    response = client.post(f"/t/{tenant.slug}/register", query_string={"next": target}, data={
        "name": "新居民", "account": f"1372222{next(_phones):04d}", "password": "xin2026abc",
        "confirm": "xin2026abc", "agree": "y"})
    assert response.status_code == 302 and response.location == f"/t/{tenant.slug}/"
