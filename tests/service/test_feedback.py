"""Residents rate services they received and complain; the organization answers; the
bureau sees both."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.complaints.models import Complaint
from app.db import utcnow
from app.notifications.models import Notification
from app.projects.models import SignupStatus
from app.service import feedback
from app.service.models import RecordMethod, RecordStatus, ServiceRating, ServiceRecord
from app.service.services import ServiceError, snapshot
from tests.factories import user_with
from tests.service.factories import book, make_slot, scene


def setting(db):
    s = scene()
    resident = user_with(s.tenant, Role.RESIDENT, name="周大爷")
    done = book(make_slot(s.project, starts_at=utcnow() - timedelta(hours=3)), resident)
    coming = book(make_slot(s.project, starts_at=utcnow() + timedelta(days=1)), resident)
    db.session.add(ServiceRecord(**snapshot(s.shift), user_id=s.volunteer.id,
                                 checked_in_at=s.shift.starts_at, checked_out_at=s.shift.ends_at,
                                 minutes=180, method=RecordMethod.QR,
                                 status=RecordStatus.VERIFIED))
    db.session.flush()
    return s, resident, done, coming


def test_a_resident_rates_a_service_once_received(zh):
    s, resident, done, coming = setting(zh)
    rating = feedback.rate(done, resident, 5, "送餐很准时")
    assert (rating.org_id, rating.score, rating.comment) == (s.org.id, 5, "送餐很准时")
    with pytest.raises(ServiceError, match="已评价过"):
        feedback.rate(done, resident, 4)
    with pytest.raises(ServiceError, match="接受服务后才能评价"):
        feedback.rate(coming, resident, 5)
    with pytest.raises(ServiceError, match="1 到 5 星"):
        feedback.rate(done, resident, 6)
    assert [b.id for b, *_ in feedback.received(s.tenant.id, resident.id)] == [done.id]


def test_only_the_resident_who_received_it_gives_feedback(zh):
    s, resident, done, _ = setting(zh)
    with pytest.raises(ServiceError, match="只有接受该服务的居民"):
        feedback.rate(done, s.volunteer, 1)
    cancelled = book(make_slot(s.project, starts_at=utcnow() - timedelta(days=2)), resident,
                     status=SignupStatus.CANCELLED)
    with pytest.raises(ServiceError, match="接受服务后才能评价"):
        feedback.complain(cancelled, resident, "没人来")


def test_a_complaint_about_a_volunteer_is_answered(zh):
    s, resident, done, _ = setting(zh)
    assert [u.id for u in feedback.volunteers_of(done)] == [s.volunteer.id]
    with pytest.raises(ServiceError, match="请选择参与该项目服务的志愿者"):
        feedback.complain(done, resident, "态度不好", volunteer_id=s.other.id)
    complaint = feedback.complain(done, resident, "迟到半小时", volunteer_id=s.volunteer.id)
    staff_notes = {n.user_id for n in zh.session.scalars(select(Notification))}
    assert {s.admin.id, s.coordinator.id} <= staff_notes
    feedback.answer(complaint, s.coordinator, "已与志愿者沟通，今后准时")
    assert (complaint.status, complaint.answered_by_id) == ("answered", s.coordinator.id)
    note = zh.session.scalar(select(Notification).where(Notification.user_id == resident.id))
    assert note.title == "您的投诉已得到答复"
    assert feedback.about_volunteer(s.tenant.id, s.org.id, s.volunteer.id) == [complaint]


def test_the_bureau_sees_ratings_and_complaints(zh):
    s, resident, done, _ = setting(zh)
    feedback.rate(done, resident, 4)
    neighbour = user_with(s.tenant, Role.RESIDENT)
    other = book(make_slot(s.project, starts_at=utcnow() - timedelta(days=1)), neighbour)
    feedback.rate(other, neighbour, 2)
    feedback.complain(done, resident, "餐食偏咸")
    [line] = feedback.overview(s.tenant.id)
    assert (line.org.id, line.ratings, line.average, line.complaints, line.unanswered) == (
        s.org.id, 2, 3.0, 1, 1)


def test_feedback_pages(app, client, db, login):
    s, resident, done, _ = setting(db)
    base = f"/t/{s.tenant.slug}/service"
    login(resident)
    page = client.get(f"{base}/received").get_data(as_text=True)
    assert "助老送餐" in page and "评价" in page
    client.post(f"{base}/bookings/{done.id}/rating", data={"score": "5", "comment": "很好"})
    client.post(f"{base}/bookings/{done.id}/complaint",
                data={"body": "少送了一份汤", "volunteer_id": "0"})
    assert db.session.scalar(select(ServiceRating)).score == 5
    complaint = db.session.scalar(select(Complaint))
    assert complaint.volunteer_id is None

    staff = login(s.coordinator, c=app.test_client())
    feedback_page = staff.get(f"{base}/org/{s.org.id}/feedback").get_data(as_text=True)
    assert "少送了一份汤" in feedback_page and "★★★★★" in feedback_page
    staff.post(f"{base}/complaints/{complaint.id}/answer", data={"answer": "已补送"})
    assert complaint.status == "answered"

    volunteer = login(s.volunteer, c=app.test_client())
    assert volunteer.post(f"{base}/bookings/{done.id}/rating", data={"score": "1"}).status_code == 403
    assert volunteer.get(f"{base}/org/{s.org.id}/feedback").status_code == 403

    officer = login(user_with(s.tenant, Role.BUREAU_OFFICER), c=app.test_client())
    overview = officer.get(f"{base}/feedback").get_data(as_text=True)
    assert "阳光社区服务中心" in overview
    auditor = login(user_with(s.tenant, Role.AUDITOR), c=app.test_client())
    assert auditor.get(f"{base}/org/{s.org.id}/feedback").status_code == 200
    assert auditor.post(f"{base}/complaints/{complaint.id}/answer",
                        data={"answer": "x"}).status_code == 403
