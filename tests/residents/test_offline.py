"""Acting for a resident who is not online (代办): a grid worker registers an elderly resident
without a phone with their consent, books a service for them and passes on their word that
they received it; each act names the staff member, on the row and in the audit log. Staff of
another organization or district cannot act for them, and the organization giving the
service cannot confirm it for the resident."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.attendance.models import SlotAttendance
from app.audit.models import AuditEntry
from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.projects.models import SlotBooking
from app.residents import services
from app.residents.models import ResidentProfile
from app.tenancy.services import add_area
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import book, make_project, make_slot

ID_NUMBER = "110105195205070025"  # a valid test number: born 1952-05-07


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def s(db):
    tenant = TenantFactory()
    grid = add_area(tenant, "幸福社区第1网格", "网格")
    org = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    other_org = OrgFactory(tenant_id=tenant.id, name="彩虹文体协会")
    project = make_project(tenant, org, name="上门理发")
    now = utcnow()

    class S:
        pass

    s = S()
    s.tenant, s.grid, s.org, s.other_org = tenant, grid, org, other_org
    s.officer = user_with(tenant, Role.BUREAU_OFFICER, name="刘网格员")
    s.coordinator = user_with(tenant, Role.ORG_COORDINATOR, org, name="阳光协调员")
    s.other_coordinator = user_with(tenant, Role.ORG_COORDINATOR, other_org)
    s.future = make_slot(project, starts_at=now + timedelta(days=2))
    s.past = make_slot(project, starts_at=now - timedelta(hours=3))
    return s


def register(s, staff=None, org=None, **kw):
    data = dict(name="郑奶奶", id_number=ID_NUMBER, area=s.grid, target_group="独居老人",
                consent_how="spoken", consent_given_by="女儿 郑红")
    return services.register(s.tenant, staff or s.officer, org=org, **(data | kw))


def test_a_grid_worker_registers_books_and_confirms_for_a_resident_without_a_phone(
        client, login, s):
    login(s.officer)
    base = f"/t/{s.tenant.slug}/residents/offline"
    form = {"name": "郑奶奶", "id_number": "110105195205070026", "area_id": s.grid.id,
            "target_group": "独居老人", "consent_how": "spoken", "consent_given_by": "女儿 郑红",
            "org_id": 0, "contact_phone": ""}
    refused = client.post(f"{base}/new", data=form)
    assert "身份证号码无效" in page(refused)
    assert db.session.scalar(select(ResidentProfile.id)) is None

    made = client.post(f"{base}/new", data=form | {"id_number": ID_NUMBER})
    assert made.status_code == 302, page(made)[-3000:]
    profile = db.session.scalars(select(ResidentProfile)).one()
    assert made.headers["Location"].endswith(f"{base}/{profile.id}")
    person = db.session.get(User, profile.user_id)
    assert (person.offline, person.phone, person.email) == (True, None, None)
    assert (profile.consent_how, profile.consent_given_by, profile.consent_recorded_by_id,
            profile.registered_by_id, profile.kept_by_org_id) == (
        "spoken", "女儿 郑红", s.officer.id, s.officer.id, None)
    shown = page(client.get(f"{base}/{profile.id}"))
    assert "110************025" in shown and ID_NUMBER not in shown
    assert "口头同意" in shown and "女儿 郑红" in shown

    client.post(f"{base}/{profile.id}/book/{s.future.id}")
    booking = db.session.scalars(select(SlotBooking)).one()
    assert (booking.user_id, booking.proxy_id, booking.status) == (
        person.id, s.officer.id, "confirmed")
    assert "由 刘网格员 代办预约" in page(client.get(f"{base}/{profile.id}"))

    past = book(s.past, person)
    url = f"{base}/{profile.id}/bookings/{past.id}/confirm"
    asked = page(client.post(url))
    assert "不能撤销" in asked and db.session.scalar(select(SlotAttendance.id)) is None
    client.post(url, data={"confirmed": "yes"})
    row = db.session.scalars(select(SlotAttendance)).one()
    assert (row.booking_id, row.source, row.proxy_id, row.attended) == (
        past.id, "resident", s.officer.id, True)
    assert "代为确认" in page(client.get(f"{base}/{profile.id}"))

    logged = {(e.object_type, e.actor_id, e.changes.get("proxy_id", [None, None])[1])
              for e in db.session.scalars(select(AuditEntry).where(
                  AuditEntry.object_type.in_(("slot_booking", "slot_attendance"))))}
    assert ("slot_booking", s.officer.id, s.officer.id) in logged
    assert ("slot_attendance", s.officer.id, s.officer.id) in logged


def test_one_id_number_is_registered_once_and_never_signs_in(client, s):
    profile = register(s)
    with pytest.raises(services.ResidentError) as refused:
        register(s, name="另一个人")
    assert refused.value.status == 409
    assert client.post("/login", data={"account": profile.user.name,
                                       "password": services.NO_PASSWORD}).status_code != 302


def test_staff_of_another_organization_or_district_cannot_act_for_the_resident(client, login, s):
    profile = register(s, staff=s.coordinator, org=s.org)
    base = f"/t/{s.tenant.slug}/residents/offline/{profile.id}"
    login(s.other_coordinator)
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/book/{s.future.id}").status_code == 403
    assert profile.id not in {p.id for p in services.kept_by(s.other_coordinator, s.tenant)}

    stranger_tenant = TenantFactory()
    stranger = user_with(stranger_tenant, Role.BUREAU_OFFICER)
    login(stranger)
    assert client.get(base.replace(s.tenant.slug, stranger_tenant.slug)).status_code == 404
    assert client.get(base).status_code in (403, 404)

    login(s.coordinator)  # the keeper's own organization may
    assert client.get(base).status_code == 200
    assert db.session.scalar(select(SlotBooking.id)) is None


def test_the_organization_giving_the_service_cannot_confirm_it_for_the_resident(s):
    profile = register(s, staff=s.coordinator, org=s.org)
    past = book(s.past, profile.user)
    with pytest.raises(services.ResidentError) as refused:
        services.confirm_for(profile, past, s.coordinator)
    assert refused.value.status == 403
    assert services.confirm_for(profile, past, s.officer).proxy_id == s.officer.id


def test_a_slot_reserved_for_a_group_is_booked_only_for_its_members(s):
    s.future.target_group = "残疾人"
    profile = register(s)
    with pytest.raises(services.ResidentError):
        services.book_for(profile, s.future, s.officer)
    profile.target_group = "残疾人"
    assert services.book_for(profile, s.future, s.officer).declared_group == "残疾人"


def test_the_api_lists_books_and_confirms_by_the_same_rules(client, login, s):
    profile = register(s, staff=s.coordinator, org=s.org)
    api = f"/api/v1/t/{s.tenant.slug}/residents/offline"
    login(s.other_coordinator)
    assert client.get(api).json == []
    assert client.post(f"{api}/{profile.id}/bookings",
                       json={"slot_id": s.future.id}).status_code == 403
    login(s.officer)
    listed = client.get(api).json
    assert [(r["name"], r["id_number"], r["consent_how"]) for r in listed] == [
        ("郑奶奶", "110************025", "spoken")]
    made = client.post(f"{api}/{profile.id}/bookings", json={"slot_id": s.future.id})
    assert made.status_code == 201 and (made.json["status"], made.json["booked_by"]) == (
        "confirmed", "刘网格员")
    assert client.post(f"{api}/{profile.id}/bookings",
                       json={"slot_id": s.future.id}).status_code == 409
    past = book(s.past, profile.user)
    done = client.post(f"{api}/{profile.id}/received", json={"booking_id": past.id})
    assert done.status_code == 201 and done.json["received"] is True
    assert [b["received"] for b in client.get(f"{api}/{profile.id}/bookings").json] == [
        False, True]
