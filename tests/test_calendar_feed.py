"""The personal calendar address: a valid iCalendar feed of the person's own shifts and
confirmed bookings in Beijing time, kept only as a hash, replaced or stopped at will; a
wrong, replaced or someone else's address shows nothing of theirs."""

from __future__ import annotations

import re

import icalendar
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.personal.models import CalendarFeed
from app.projects.signups import book, sign_up, withdraw
from app.templating import SHANGHAI
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.projects.factories import ProjectFactory, shift, slot, volunteer

NAME = "周末助老;第一期,东区\n（试点）"
PLACE = "幸福里社区党群服务中心三楼多功能活动室（请从东门进入，电梯直达）"


def _address(client) -> str:
    page = client.get("/account").get_data(as_text=True)
    return re.search(r'id="calendar-url" type="text" readonly value="http://[^/]+(/calendar/[^"]+)"',
                     page).group(1)


def _events(client, path) -> list[icalendar.Event]:
    """The feed's events, parsed back; every line within 75 octets."""
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def test_feed_holds_my_places_in_beijing_time_and_only_its_hash_is_kept(app, client, db, login):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id, name="阳光社工"), name=NAME)
    mine, full = shift(project, days=2, capacity=1), shift(project, days=4, capacity=1)
    dropped = shift(project, days=6)
    service, full_slot = slot(project, days=3), slot(project, days=5, capacity=1)
    service.place = PLACE
    person, other = volunteer(tenant), volunteer(tenant)
    sign_up(other, full)
    book(other, full_slot)
    sign_up(person, mine)
    sign_up(person, full)  # waitlisted: in the feed, as tentative
    withdraw(sign_up(person, dropped))  # cancelled: not in the feed
    book(person, service)
    book(person, full_slot)  # a waitlisted booking: not in the feed
    login(person)
    assert client.post("/account/calendar").status_code == 302
    path = _address(client)
    secret = path.removeprefix("/calendar/").removesuffix(".ics")

    events = _events(app.test_client(), path)  # read as a calendar app does: no session
    assert sorted(str(e["SUMMARY"]) for e in events) == [NAME, NAME, f"（候补）{NAME}"]
    booked = next(e for e in events if str(e["LOCATION"]) == PLACE)
    assert booked["DTSTART"].dt == service.starts_at.astimezone(SHANGHAI)
    assert str(booked["DTSTART"].dt.tzinfo) == "Asia/Shanghai"
    assert str(booked["DESCRIPTION"]) == "阳光社工"
    waiting = next(e for e in events if str(e["SUMMARY"]).startswith("（候补）"))
    assert waiting["STATUS"] == "TENTATIVE" and waiting["DTSTART"].dt == full.starts_at

    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == person.id))
    assert feed.token_hash != secret and len(feed.token_hash) == 64
    assert not any(secret in str(e.changes) for e in db.session.scalars(select(AuditEntry)))

    # Someone else's address shows their places, never this person's; a made-up one: 404.
    neighbour = app.test_client()
    login(user_with(tenant, Role.RESIDENT), c=neighbour)
    neighbour.post("/account/calendar")
    assert _events(app.test_client(), _address(neighbour)) == []
    assert app.test_client().get(f"/calendar/{secret[:-2]}xy.ics").status_code == 404


def test_a_new_address_replaces_the_old_and_a_stopped_one_is_gone(app, client, db, login):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id), name="读书会")
    person = volunteer(tenant)
    sign_up(person, shift(project, days=1))
    login(person)
    client.post("/account/calendar")
    old = _address(client)
    page = client.get("/account").get_data(as_text=True)
    assert "订阅我的日历" in page and "calendar-url" not in page  # shown once only
    client.post("/account/calendar", data={})
    new = _address(client)
    assert new != old
    reader = app.test_client()
    assert reader.get(old).status_code == 404 and reader.get(new).status_code == 200
    client.post("/account/calendar/stop")
    assert reader.get(new).status_code == 404
    assert db.session.scalar(select(CalendarFeed.id)) is None
