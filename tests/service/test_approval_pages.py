"""The pages for asking for hours or a correction and for deciding requests."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.service.models import HoursRequest, RecordStatus, RequestStatus, ServiceRecord
from app.service.pages import local_input
from app.service.services import mark
from tests.factories import user_with
from tests.service.factories import scene

FORMAT = "%Y-%m-%dT%H:%M"


def live():
    return scene(start=(utcnow() - timedelta(hours=4)).replace(second=0, microsecond=0))


def times(s, start_min: int, end_min: int) -> dict:
    return {"starts_at": local_input(s.shift.starts_at + timedelta(minutes=start_min)).strftime(FORMAT),
            "ends_at": local_input(s.shift.starts_at + timedelta(minutes=end_min)).strftime(FORMAT)}


def test_volunteer_asks_for_hours_and_the_coordinator_approves(app, client, db, login):
    s = live()
    login(s.volunteer)
    base = f"/t/{s.tenant.slug}/service"
    form = client.get(f"{base}/shifts/{s.shift.id}/claim").get_data(as_text=True)
    assert "申请补录时长" in form and "助老送餐" in form
    response = client.post(f"{base}/shifts/{s.shift.id}/claim",
                           data={**times(s, 0, 95), "reason": "手机没电"})
    assert response.status_code == 302
    request = db.session.scalar(select(HoursRequest))
    assert (request.minutes, request.proposed_by_id) == (90, s.volunteer.id)

    coordinator = login(s.coordinator, c=app.test_client())
    page = coordinator.get(f"{base}/shifts/{s.shift.id}").get_data(as_text=True)
    assert "手机没电" in page and "待审批" in page
    coordinator.post(f"{base}/requests/{request.id}/decide", data={"decision": "approve"})
    record = db.session.scalar(select(ServiceRecord))
    assert (record.user_id, record.minutes, record.status) == (s.volunteer.id, 90,
                                                               RecordStatus.VERIFIED)


def test_own_request_cannot_be_approved_on_the_page(client, db, login):
    s = live()
    login(s.coordinator)
    base = f"/t/{s.tenant.slug}/service"
    client.post(f"{base}/shifts/{s.shift.id}/propose",
                data={**times(s, 0, 60), "user_id": s.other.id, "reason": "补录"})
    request = db.session.scalar(select(HoursRequest))
    page = client.get(f"{base}/shifts/{s.shift.id}").get_data(as_text=True)
    assert "此条须由另一名有权限的人员审批。" in page
    body = client.post(f"{base}/requests/{request.id}/decide", data={"decision": "approve"},
                       follow_redirects=True).get_data(as_text=True)
    assert "任何人不得审批自己提交的申请" in body
    assert request.status == RequestStatus.PENDING


def test_hours_outside_the_shift_are_refused_with_a_message(client, db, login):
    s = live()
    login(s.coordinator)
    base = f"/t/{s.tenant.slug}/service"
    body = client.post(f"{base}/shifts/{s.shift.id}/propose",
                       data={**times(s, -60, 120), "user_id": s.other.id, "reason": "补录"},
                       follow_redirects=True).get_data(as_text=True)
    assert "时长必须在岗位时段内" in body
    assert db.session.scalar(select(HoursRequest)) is None


def test_volunteer_corrects_a_record_of_their_own_only(app, client, db, login):
    s = live()
    mark(s.shift, s.volunteer, "in", s.coordinator, s.shift.starts_at)
    mark(s.shift, s.volunteer, "out", s.coordinator, s.shift.starts_at + timedelta(minutes=30))
    record = db.session.scalar(select(ServiceRecord))
    base = f"/t/{s.tenant.slug}/service"
    login(s.other)
    assert client.get(f"{base}/records/{record.id}/correct").status_code == 403
    mine = login(s.volunteer, c=app.test_client())
    assert mine.get(f"{base}/records/{record.id}/correct").status_code == 200
    mine.post(f"{base}/records/{record.id}/correct", data={**times(s, 0, 60), "reason": "签退早了"})
    request = db.session.scalar(select(HoursRequest))
    assert (request.record_id, request.previous_minutes, request.minutes) == (record.id, 30, 60)


def test_approve_all_and_the_queues(app, client, db, login):
    s = live()
    base = f"/t/{s.tenant.slug}/service"
    login(s.coordinator)
    for user in (s.volunteer, s.other):
        client.post(f"{base}/shifts/{s.shift.id}/propose",
                    data={**times(s, 0, 60), "user_id": user.id, "reason": "补录"})
    admin = login(s.admin, c=app.test_client())
    queue = admin.get(f"{base}/org/{s.org.id}/requests").get_data(as_text=True)
    assert queue.count("批准</button>") == 2
    body = admin.post(f"{base}/shifts/{s.shift.id}/approve-all",
                      follow_redirects=True).get_data(as_text=True)
    assert "已批准 2 条申请；0 条需由他人审批。" in body
    assert len(db.session.scalars(select(ServiceRecord)).all()) == 2
    assert client.get(f"{base}/late").status_code == 403
    officer = login(user_with(s.tenant, Role.BUREAU_OFFICER), c=app.test_client())
    assert "暂无待审批的申请。" in officer.get(f"{base}/late").get_data(as_text=True)
