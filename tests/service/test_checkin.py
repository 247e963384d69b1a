"""Check-in and check-out by rotating QR code, and attendance marked by the coordinator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.books.models import OutboxEvent
from app.service import services
from app.service.models import PointsEntry, RecordMethod, RecordStatus, ServiceRecord
from app.service.services import ServiceError, make_token, scan
from tests.factories import user_with
from tests.service.factories import at, make_project, make_shift, scene


def aligned(moment: datetime) -> datetime:
    """The start of the 30-second window ``moment`` falls in."""
    seconds = int(moment.timestamp()) // 30 * 30
    return datetime.fromtimestamp(seconds, UTC)


def records(zh) -> list[ServiceRecord]:
    return list(zh.session.scalars(select(ServiceRecord).order_by(ServiceRecord.id)))


def test_qr_check_in_and_out_records_served_hours(zh):
    s = scene()
    t_in = at(s.shift, -10)  # early: the wait before the start is not service time
    scan(s.shift, s.volunteer, make_token(s.shift, "in", t_in), t_in)
    t_out = at(s.shift, 100)
    purpose, record = scan(s.shift, s.volunteer, make_token(s.shift, "out", t_out), t_out)
    assert purpose == "out"
    assert (record.minutes, record.status, record.method) == (90, RecordStatus.VERIFIED,
                                                               RecordMethod.QR)
    assert record.checked_in_at == t_in and record.checked_out_at == t_out
    assert record.verified_at == t_out and record.verified_by_id is None


def test_check_out_after_the_end_is_capped_at_the_shift(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    _, record = scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, 230)),
                     at(s.shift, 230))
    assert record.minutes == 180 == record.scheduled_minutes


def test_a_code_works_for_its_window_and_the_next_only(zh):
    s = scene()
    made = aligned(at(s.shift, 5))
    token = make_token(s.shift, "in", made)
    with pytest.raises(ServiceError, match="已过期"):
        scan(s.shift, s.volunteer, token, made + timedelta(seconds=60))
    assert records(zh) == []
    scan(s.shift, s.volunteer, token, made + timedelta(seconds=59))
    assert len(records(zh)) == 1


def test_a_code_from_the_future_is_refused(zh):
    s = scene()
    now = aligned(at(s.shift, 5))
    with pytest.raises(ServiceError, match="已过期"):
        scan(s.shift, s.volunteer, make_token(s.shift, "in", now + timedelta(seconds=30)), now)


def test_replaying_the_same_code_does_nothing_twice(zh):
    s = scene()
    now = at(s.shift, 1)
    token = make_token(s.shift, "in", now)
    scan(s.shift, s.volunteer, token, now)
    with pytest.raises(ServiceError, match="已使用过") as err:
        scan(s.shift, s.volunteer, token, now + timedelta(seconds=5))
    assert err.value.status == 409
    out = make_token(s.shift, "out", at(s.shift, 60))
    scan(s.shift, s.volunteer, out, at(s.shift, 60))
    with pytest.raises(ServiceError, match="已使用过"):
        scan(s.shift, s.volunteer, out, at(s.shift, 60) + timedelta(seconds=3))
    [record] = records(zh)
    assert record.minutes == 45  # 59 minutes served, rounded down: unchanged by the replays
    assert zh.session.scalar(select(func.count(PointsEntry.id))) == 0


def test_a_code_of_another_shift_is_refused(zh):
    s = scene()
    other = make_shift(make_project(s.tenant, s.org, name="另一个项目"), starts_at=s.shift.starts_at)
    now = at(s.shift, 1)
    with pytest.raises(ServiceError, match="其他岗位"):
        scan(s.shift, s.volunteer, make_token(other, "in", now), now)
    assert records(zh) == []


def test_a_forged_or_garbled_code_is_refused(zh):
    s = scene()
    now = at(s.shift, 1)
    token = make_token(s.shift, "in", now)
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "", "not-a-token"):
        with pytest.raises(ServiceError, match="二维码无效"):
            scan(s.shift, s.volunteer, bad, now)
    assert records(zh) == []


def test_check_out_before_check_in_is_refused(zh):
    s = scene()
    now = at(s.shift, 30)
    with pytest.raises(ServiceError, match="尚未签到"):
        scan(s.shift, s.volunteer, make_token(s.shift, "out", now), now)
    assert records(zh) == []


def test_only_confirmed_volunteers_check_in(zh):
    s = scene()
    stranger = user_with(s.tenant, Role.VOLUNTEER)
    now = at(s.shift, 1)
    with pytest.raises(ServiceError, match="不是该岗位") as err:
        scan(s.shift, stranger, make_token(s.shift, "in", now), now)
    assert err.value.status == 403
    assert records(zh) == []


def test_check_in_window(zh):
    s = scene()
    early = at(s.shift, -61)
    with pytest.raises(ServiceError, match="09:00 开始签到"):
        scan(s.shift, s.volunteer, make_token(s.shift, "in", early), early)
    after = at(s.shift, 181)
    with pytest.raises(ServiceError, match="已结束"):
        scan(s.shift, s.volunteer, make_token(s.shift, "in", after), after)
    assert records(zh) == []


def test_missing_check_out_is_not_counted_and_goes_to_the_coordinator(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    late = at(s.shift, 180 + 121)
    with pytest.raises(ServiceError, match="签退时间已过"):
        scan(s.shift, s.volunteer, make_token(s.shift, "out", late), late)
    [record] = records(zh)
    assert (record.status, record.minutes, record.points) == (RecordStatus.OPEN, 0, 0)
    assert services.missing_checkouts(s.shift, at(s.shift, 180 + 60)) == []
    assert services.missing_checkouts(s.shift, late) == [record]


def test_coordinator_marks_attendance_by_hand(zh):
    s = scene()
    services.mark(s.shift, s.other, "in", s.coordinator, at(s.shift, 20))
    record = services.mark(s.shift, s.other, "out", s.coordinator, at(s.shift, 140))
    assert (record.method, record.marked_by_id, record.minutes) == (
        RecordMethod.COORDINATOR, s.coordinator.id, 120)
    with pytest.raises(ServiceError, match="不是该岗位"):
        services.mark(s.shift, user_with(s.tenant, Role.VOLUNTEER), "in", s.coordinator,
                      at(s.shift, 20))


def test_qr_in_and_coordinator_out_says_coordinator(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    record = services.mark(s.shift, s.volunteer, "out", s.coordinator, at(s.shift, 60))
    assert record.method == RecordMethod.COORDINATOR


def test_verified_record_earns_points_and_an_outbox_event(zh):
    s = scene()
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    _, record = scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, 150)),
                     at(s.shift, 150))
    assert record.points == 2  # 2.5 hours at 1 point per hour, rounded down
    [entry] = zh.session.scalars(select(PointsEntry)).all()
    assert (entry.kind, entry.points, entry.balance_after) == ("accrual", 2, 2)
    event = zh.session.get(OutboxEvent, entry.outbox_id)
    assert event.posted_at is None and event.kind == "incentive-accrual"
    assert event.txn_id == f"gz-{event.id}"
    assert event.payload["points"] == 2 and event.payload["org_id"] == s.org.id
    assert event.payload["source"] == f"service-record:{record.id}"
