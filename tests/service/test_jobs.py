"""Reminders the day before a shift, deadline warnings, the CLI, training and awards."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.notifications.models import Notification
from app.parsing import local_today
from app.service import honours, reminders
from app.service.models import AwardRecord, ServiceNotice, TrainingRecord
from app.service.services import ServiceError, make_token, scan
from tests.factories import user_with
from tests.service.factories import at, scene


def titles(db, user) -> list[str]:
    return [n.title for n in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_volunteers_are_reminded_the_day_before_once(zh):
    s = scene()  # Wednesday 4 March 2026, 10:00 Beijing time
    evening_before = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)  # 19:00 on Tuesday in Beijing
    assert reminders.remind_shifts(s.tenant, evening_before) == 2
    assert titles(zh, s.volunteer) == ["提醒：明天 10:00 助老送餐"]
    assert reminders.remind_shifts(s.tenant, evening_before + timedelta(hours=1)) == 0
    assert len(titles(zh, s.volunteer)) == 1
    two_days_before = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert reminders.remind_shifts(s.tenant, two_days_before) == 0


def test_coordinators_are_warned_as_the_deadline_approaches(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    # Deadline: 18 March 2026 (ten working days after 4 March).
    assert reminders.warn_deadlines(s.tenant, datetime(2026, 3, 12, 2, 0, tzinfo=UTC)) == 0
    on_16th = datetime(2026, 3, 16, 2, 0, tzinfo=UTC)  # two working days left
    assert reminders.warn_deadlines(s.tenant, on_16th) == 2
    assert titles(zh, s.coordinator) == ["助老送餐 的记录须在 2026-03-18 前完成"]
    assert titles(zh, s.admin) == ["助老送餐 的记录须在 2026-03-18 前完成"]
    assert reminders.warn_deadlines(s.tenant, on_16th + timedelta(days=1)) == 0  # once
    assert {n.kind for n in zh.session.scalars(select(ServiceNotice))} == {"deadline"}


def test_no_warning_when_everything_is_resolved(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, 60)), at(s.shift, 60))
    assert reminders.warn_deadlines(s.tenant, datetime(2026, 3, 16, 2, 0, tzinfo=UTC)) == 0


def test_cli_remind_and_recompute(app, db):
    s = scene(start=datetime.now(UTC).replace(microsecond=0) + timedelta(days=1))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["service", "remind", "--tenant", s.tenant.slug])
    assert result.exit_code == 0, result.output
    assert f"{s.tenant.slug}: {{'reminders': 2, 'deadline_warnings': 0}}" in result.output
    result = runner.invoke(args=["service", "recompute-stars", "--tenant", s.tenant.slug])
    assert result.exit_code == 0 and f"{s.tenant.slug}: 0" in result.output
    assert runner.invoke(args=["service", "remind", "--tenant", "nope"]).exit_code != 0


def test_training_and_awards_are_recorded_by_the_organization(app, client, db, login):
    s = scene()
    login(s.coordinator)
    url = f"/t/{s.tenant.slug}/service/org/{s.org.id}/honours"
    client.post(url, data={"kind": "training", "t-user_id": s.volunteer.id, "t-name": "急救培训",
                           "t-content": "心肺复苏", "t-hours": "2.5", "t-organizer": "区红十字会",
                           "t-held_on": "2026-03-01"})
    client.post(url, data={"kind": "award", "a-user_id": s.volunteer.id, "a-name": "优秀志愿者",
                           "a-awarded_on": "2026-03-05", "a-grantor": "示范区民政局"})
    training = db.session.scalar(select(TrainingRecord))
    assert (training.name, training.minutes, training.organizer, training.held_on) == (
        "急救培训", 150, "区红十字会", date(2026, 3, 1))
    assert db.session.scalar(select(AwardRecord)).grantor == "示范区民政局"
    stranger = user_with(s.tenant, Role.VOLUNTEER)
    body = client.post(url, data={"kind": "award", "a-user_id": stranger.id, "a-name": "x",
                                  "a-awarded_on": "2026-03-05", "a-grantor": "y"},
                       follow_redirects=True).get_data(as_text=True)
    assert "请填写所有必填项" in body  # not one of the organization's volunteers
    assert len(db.session.scalars(select(AwardRecord)).all()) == 1
    with app.test_request_context(), pytest.raises(ServiceError, match="请选择本组织的志愿者"):
        honours.add_award(s.org, s.coordinator, stranger.id, name="x", awarded_on=local_today(),
                          grantor="y")
    volunteer = login(s.volunteer, c=app.test_client())
    page = volunteer.get(f"/t/{s.tenant.slug}/service/me").get_data(as_text=True)
    assert "急救培训" in page and "优秀志愿者" in page
    assert volunteer.post(url, data={"kind": "award"}).status_code == 403
