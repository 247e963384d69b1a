"""The coordinator's shift page and rotating code, and the page a scanned code opens."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.db import utcnow
from app.service.models import RecordMethod, RecordStatus, ServiceRecord
from app.service.services import make_token
from tests.service.factories import scene


def live_scene():
    """A shift that started 30 minutes ago (pages use the real clock)."""
    return scene(start=utcnow() - timedelta(minutes=30))


def url(s, path: str = "") -> str:
    return f"/t/{s.tenant.slug}/service/shifts/{s.shift.id}{path}"


def test_coordinator_sees_roster_and_rotating_code(client, db, login):
    s = live_scene()
    login(s.coordinator)
    page = client.get(url(s)).get_data(as_text=True)
    assert "张伟" in page and "王芳" in page and "未到" in page
    assert "向下取整到一刻钟" in page  # the hours rule is stated on the page
    qr = client.get(url(s, "/qr?purpose=in"))
    assert qr.status_code == 200 and "<svg" in qr.get_data(as_text=True)
    assert qr.headers["Cache-Control"] == "no-store"
    image = client.get(url(s, "/qr.svg?purpose=out"))
    assert image.mimetype == "image/svg+xml" and image.get_data(as_text=True).startswith("<svg")


def test_volunteers_and_other_orgs_cannot_show_the_code(client, db, login):
    s = live_scene()
    login(s.volunteer)
    assert client.get(url(s, "/qr?purpose=in")).status_code == 403
    assert client.get(url(s)).status_code == 403


def test_scanning_lands_on_a_page_that_checks_in(client, db, login):
    s = live_scene()
    login(s.volunteer)
    token = make_token(s.shift, "in")
    landing = client.get(url(s, f"/check?t={token}")).get_data(as_text=True)
    assert f'value="{token}"' in landing and "scan-form" in landing
    assert db.session.scalar(select(ServiceRecord)) is None  # GET records nothing
    response = client.post(url(s, "/check"), data={"t": token})
    assert response.status_code == 302
    record = db.session.scalar(select(ServiceRecord))
    assert (record.user_id, record.status, record.method) == (s.volunteer.id, RecordStatus.OPEN,
                                                              RecordMethod.QR)
    status = client.get(url(s, "/check")).get_data(as_text=True)
    assert "签到成功" in status and "签到时间" in status


def test_replayed_code_on_the_page_says_so_and_records_nothing_new(client, db, login):
    s = live_scene()
    login(s.volunteer)
    token = make_token(s.shift, "in")
    client.post(url(s, "/check"), data={"t": token})
    again = client.post(url(s, "/check"), data={"t": token})
    assert again.status_code == 409
    assert "该二维码已使用过，未重复记录。" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(ServiceRecord)).all()) == 1


def test_expired_code_on_the_page(client, db, login):
    s = live_scene()
    login(s.volunteer)
    old = make_token(s.shift, "in", utcnow() - timedelta(seconds=90))
    response = client.post(url(s, "/check"), data={"t": old})
    assert response.status_code == 400
    assert "二维码已过期" in response.get_data(as_text=True)
    assert db.session.scalar(select(ServiceRecord)) is None


def test_scanning_needs_sign_in(client, db):
    s = live_scene()
    response = client.get(url(s, f"/check?t={make_token(s.shift, 'in')}"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_coordinator_marks_arrival_and_departure_on_the_page(client, db, login):
    s = live_scene()
    login(s.coordinator)
    client.post(url(s, "/mark"), data={"user_id": s.other.id, "action": "in"})
    client.post(url(s, "/mark"), data={"user_id": s.other.id, "action": "out"})
    record = db.session.scalar(select(ServiceRecord))
    assert (record.method, record.status, record.marked_by_id) == (
        RecordMethod.COORDINATOR, RecordStatus.VERIFIED, s.coordinator.id)
    page = client.get(url(s)).get_data(as_text=True)
    assert "协调员登记" in page
    refused = client.post(url(s, "/mark"), data={"user_id": s.other.id, "action": "out"},
                          follow_redirects=True).get_data(as_text=True)
    assert "已签退，无需重复签退。" in refused


def test_check_page_lists_hours_once_checked_out(client, db, login):
    s = live_scene()
    login(s.volunteer)
    client.post(url(s, "/check"), data={"t": make_token(s.shift, "in")})
    client.post(url(s, "/check"), data={"t": make_token(s.shift, "out")})
    page = client.get(url(s, "/check")).get_data(as_text=True)
    record = db.session.scalar(select(ServiceRecord))
    assert record.status == RecordStatus.VERIFIED
    assert re.search(r"时长</dt><dd>[0-9.]+</dd>", page)


def test_check_page_shows_nothing_to_someone_not_on_the_shift(client, db, login):
    from app.auth.models import Role
    from tests.factories import user_with

    s = live_scene()
    login(user_with(s.tenant, Role.VOLUNTEER))
    response = client.get(url(s, "/check"))
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert "您不是该岗位已确认的志愿者。" in body and "助老送餐" not in body


def test_the_landing_form_carries_its_csrf_token(client, db, login, csrf_enabled):
    s = live_scene()
    account = s.volunteer.phone
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"account": account, "password": "secret123", "csrf_token": csrf})
    token = make_token(s.shift, "in")
    landing = client.get(url(s, f"/check?t={token}")).get_data(as_text=True)
    form_csrf = re.search(r'name="csrf_token" value="([^"]+)"', landing).group(1)
    response = client.post(url(s, "/check"), data={"t": token, "csrf_token": form_csrf})
    assert response.status_code == 302
    assert db.session.scalar(select(ServiceRecord)).checkin_ref is not None
