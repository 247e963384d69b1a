"""A resident's attendance at a service slot: scanned on the spot, marked by staff, or confirmed
afterwards by the resident, each tagged with its source, one per booking; no-shows marked by
staff show on the roster and the organization's page; people served count attendance, not
bookings; strangers can neither mark nor confirm."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.attendance import services
from app.attendance.models import SlotAttendance
from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.oversight.service_figures import compute, live
from app.projects.models import ServiceSlot
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import book, make_project, make_slot


@dataclass
class Scene:
    tenant: Tenant
    coordinator: User
    auditor: User
    residents: list[User]
    now_slot: ServiceSlot   # began ten minutes ago: the code can be scanned
    past_slot: ServiceSlot  # ended an hour ago: residents may confirm, staff mark


@pytest.fixture
def s(db) -> Scene:
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    project = make_project(tenant, org, name="上门理发")
    now = utcnow()
    return Scene(tenant, user_with(tenant, Role.ORG_COORDINATOR, org),
                 user_with(tenant, Role.AUDITOR),
                 [user_with(tenant, Role.RESIDENT, name=n) for n in ("周大爷", "吴阿姨", "郑奶奶", "孙先生")],
                 make_slot(project, starts_at=now - timedelta(minutes=10)),
                 make_slot(project, starts_at=now - timedelta(hours=2)))


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_each_way_of_recording_attendance_is_tagged_with_its_source(client, login, s):
    base = f"/t/{s.tenant.slug}/attendance"
    scanned, marked = book(s.now_slot, s.residents[0]), book(s.now_slot, s.residents[1])
    confirmed = book(s.past_slot, s.residents[2])

    # The resident's phone opens the code the staff show: the page sends it by itself.
    login(s.residents[0])
    code = services.make_code(s.now_slot)
    landing = client.get(f"{base}/slots/{s.now_slot.id}/scan?c={code}")
    assert landing.status_code == 200 and "data-autosubmit" in page(landing)
    assert client.post(f"{base}/slots/{s.now_slot.id}/scan", data={"c": code}).status_code == 302
    again = client.post(f"{base}/slots/{s.now_slot.id}/scan", data={"c": code})
    assert again.status_code == 409 and "该二维码已使用过" in page(again)
    assert "已登记到场" in page(client.get(f"{base}/slots/{s.now_slot.id}/scan"))

    # Staff mark the second resident from the roster, where they show the code too.
    login(s.coordinator)
    roster = page(client.get(f"{base}/slots/{s.now_slot.id}"))
    assert "出示居民签到二维码" in roster and "现场扫码" in roster
    client.post(f"{base}/slots/{s.now_slot.id}/mark",
                data={"booking_id": marked.id, "attended": "yes"})
    assert client.get(f"{base}/slots/{s.now_slot.id}/qr.svg").mimetype == "image/svg+xml"

    # The third confirms afterwards under My sign-ups, after saying yes.
    login(s.residents[2])
    mine = page(client.get(f"/t/{s.tenant.slug}/my/signups"))
    assert "我已接受服务" in mine
    url = f"{base}/bookings/{confirmed.id}/confirm"
    asked = page(client.post(url))
    assert "确认后不能撤销" in asked and services.of_booking(confirmed) is None
    client.post(url, data={"confirmed": "yes"})
    assert "已接受服务" in page(client.get(f"/t/{s.tenant.slug}/my/signups"))

    rows = {a.booking_id: a for a in db.session.scalars(db.select(SlotAttendance))}
    assert {b: (rows[b].source, rows[b].attended) for b in rows} == {
        scanned.id: ("qr", True), marked.id: ("staff", True), confirmed.id: ("resident", True)}
    assert rows[scanned.id].code_ref and rows[marked.id].marked_by_id == s.coordinator.id
    login(s.coordinator)
    roster = page(client.get(f"{base}/slots/{s.now_slot.id}"))
    assert "现场扫码" in roster and "工作人员登记" in roster


def test_people_served_count_attendance_and_a_no_show_shows(client, login, s):
    bookings = [book(s.past_slot, r) for r in s.residents]
    came_qr, came_staff, no_show, unmarked = bookings
    services.record(came_qr, s.past_slot, attended=True, source="qr", now=utcnow(), ref="a" * 64)
    base = f"/t/{s.tenant.slug}/attendance/slots/{s.past_slot.id}"
    login(s.coordinator)
    client.post(f"{base}/mark", data={"booking_id": came_staff.id, "attended": "yes"})
    asked = page(client.post(f"{base}/mark", data={"booking_id": no_show.id, "attended": "no"}))
    assert "郑奶奶 未到场" in asked and services.of_booking(no_show) is None
    client.post(f"{base}/mark", data={"booking_id": no_show.id, "attended": "no",
                                      "confirmed": "yes"})
    twice = client.post(f"{base}/mark", data={"booking_id": no_show.id, "attended": "yes"})
    assert services.of_booking(no_show).attended is False  # one attendance per booking
    assert "已经登记过了" in page(client.get(twice.location))

    org_id = s.past_slot.org_id
    figures = live(s.tenant.id, org_id)
    assert (figures.people_served, figures.no_shows) == (2, 1)  # booked: 4
    assert compute(s.tenant.id)[org_id].people_served == 2
    roster = page(client.get(base))
    assert "预约 4 人 · 到场 2 人 · 未到场 1 人" in roster and "未登记" in roster
    home = page(client.get(f"/t/{s.tenant.slug}/attendance/slots"))  # the organization's count
    assert "未到场 1 人" in home and "服务对象人数 2 · 未到场人次 1" in home
    login(s.auditor)  # the organization's page at the bureau counts the no-show
    org_page = page(client.get(f"/t/{s.tenant.slug}/oversight/orgs/{org_id}"))
    assert re.search(r'未到场人次</div><div class="value"><a href="[^"]+/residents">(\d+)<',
                     org_page)[1] == "1"
    assert "孙**" in page(client.get(f"/t/{s.tenant.slug}/attendance/slots/{s.past_slot.id}"))
    assert client.post(f"{base}/mark", data={"booking_id": unmarked.id,
                                             "attended": "yes"}).status_code == 403


def test_strangers_can_neither_mark_nor_confirm(client, login, s):
    booking = book(s.past_slot, s.residents[0])
    other_org = OrgFactory(tenant_id=s.tenant.id)
    slug = s.tenant.slug
    mark = f"/t/{slug}/attendance/slots/{s.past_slot.id}/mark"
    login(user_with(s.tenant, Role.ORG_COORDINATOR, other_org))
    assert client.get(f"/t/{slug}/attendance/slots/{s.past_slot.id}").status_code == 403
    assert client.post(mark, data={"booking_id": booking.id, "attended": "yes"}).status_code == 403
    login(s.residents[1])  # another resident, on someone else's booking
    confirm = f"/t/{slug}/attendance/bookings/{booking.id}/confirm"
    assert client.post(confirm, data={"confirmed": "yes"}).status_code == 403
    scanned = client.post(f"/t/{slug}/attendance/slots/{s.past_slot.id}/scan",
                          data={"c": services.make_code(s.past_slot)})
    assert scanned.status_code == 403 and "上门理发" not in page(scanned)
    elsewhere = TenantFactory()  # a coordinator of another district
    login(user_with(elsewhere, Role.ORG_COORDINATOR, OrgFactory(tenant_id=elsewhere.id)))
    assert client.get(f"/t/{elsewhere.slug}/attendance/slots/{s.past_slot.id}").status_code == 404
    assert client.post(f"/t/{elsewhere.slug}/attendance/slots/{s.past_slot.id}/mark",
                       data={"booking_id": booking.id, "attended": "yes"}).status_code == 404
    assert db.session.scalar(db.select(db.func.count(SlotAttendance.id))) == 0


def test_the_api_reads_the_roster_marks_and_confirms_by_the_same_rules(client, login, s):
    come, confirming = book(s.past_slot, s.residents[0]), book(s.past_slot, s.residents[1])
    api = f"/api/v1/t/{s.tenant.slug}/attendance"
    login(s.residents[1])
    assert client.post(f"{api}/bookings/{come.id}/received").status_code == 403
    assert client.post(f"{api}/slots/{s.past_slot.id}/marks",
                       json={"booking_id": come.id, "attended": True}).status_code == 403
    mine = client.post(f"{api}/bookings/{confirming.id}/received")
    assert mine.status_code == 201 and mine.json["source"] == "resident"
    login(s.coordinator)
    marked = client.post(f"{api}/slots/{s.past_slot.id}/marks",
                         json={"booking_id": come.id, "attended": False})
    assert marked.status_code == 201 and (marked.json["attended"], marked.json["source"]) == (
        False, "staff")
    again = client.post(f"{api}/slots/{s.past_slot.id}/marks",
                        json={"booking_id": come.id, "attended": True})
    assert again.status_code == 409
    roster = client.get(f"{api}/slots/{s.past_slot.id}").json
    assert [(r["resident"], r["attended"], r["source"]) for r in roster] == [
        ("周大爷", False, "staff"), ("吴阿姨", True, "resident")]
    login(s.auditor)  # reads, names masked
    assert [r["resident"] for r in client.get(f"{api}/slots/{s.past_slot.id}").json] == [
        "周**", "吴**"]
