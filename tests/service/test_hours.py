"""The hours rule, the working-day deadline (with 调休), stars, points, and the database
constraints that keep records honest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from app.service.hours import (
    add_working_days,
    format_minutes,
    is_late,
    minutes_to_next_star,
    points_for,
    record_deadline,
    served_minutes,
    star_level,
    working_days_left,
)
from app.service.models import (
    HoursRequest,
    PointsWallet,
    RecordMethod,
    RecordStatus,
    RequestKind,
    ServiceRecord,
)
from app.service.services import snapshot
from tests.service.factories import at, scene

START = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
END = START + timedelta(hours=3)


def t(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.mark.parametrize(("arrived", "left", "expected"), [
    (0, 180, 180),          # the whole shift
    (-45, 200, 180),        # early arrival and late departure: clipped to the shift
    (10, 100, 90),          # 90 minutes exactly
    (10, 104, 90),          # 94 minutes: rounded down to the quarter
    (0, 14, 0),             # under a quarter hour
    (0, 59.9, 45),          # 59 whole minutes
    (-60, -10, 0),          # left before the shift began
    (190, 240, 0),          # arrived after it ended
])
def test_served_minutes_are_clipped_to_the_shift_and_rounded_down(arrived, left, expected):
    assert served_minutes(t(arrived), t(left), START, END) == expected


def test_served_minutes_never_exceed_an_odd_shift_duration():
    end = START + timedelta(minutes=50)
    assert served_minutes(t(-30), t(120), START, end) == 45


def test_format_minutes():
    assert [format_minutes(m) for m in (0, 45, 60, 135, 90)] == ["0", "0.75", "1", "2.25", "1.5"]


def test_deadline_counts_official_working_days_with_adjusted_workdays():
    # Friday 13 Feb 2026, before the Spring Festival: Sat 14 Feb is an adjusted workday (调休),
    # 15–23 Feb are holidays, Sat 28 Feb is worked again.
    friday = datetime(2026, 2, 13, 10, 0, tzinfo=UTC)
    assert record_deadline(friday, 10) == date(2026, 3, 5)
    # National Day 2026: 1–7 Oct off, Sat 10 Oct worked.
    assert add_working_days(date(2026, 9, 30), 10) == date(2026, 10, 20)


def test_deadline_uses_the_shanghai_date_of_the_end():
    # 17:30 UTC on Friday is already Saturday 01:30 in Shanghai.
    late_friday_utc = datetime(2026, 3, 6, 17, 30, tzinfo=UTC)
    assert record_deadline(late_friday_utc, 1) == date(2026, 3, 9)


def test_late_after_the_deadline_day():
    friday = datetime(2026, 2, 13, 10, 0, tzinfo=UTC)
    on_deadline = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai, 5 March
    assert not is_late(friday, 10, on_deadline)
    assert is_late(friday, 10, on_deadline + timedelta(hours=1))  # 6 March in Shanghai
    assert working_days_left(friday, 10, datetime(2026, 3, 3, 2, 0, tzinfo=UTC)) == 2


def test_years_beyond_the_calendar_fall_back_to_weekdays():
    assert add_working_days(date(2030, 1, 4), 1) == date(2030, 1, 7)  # Friday → Monday


def test_stars_and_next_star():
    thresholds = [100, 300, 600, 1000, 1500]
    assert star_level(99 * 60 + 45, thresholds) == 0
    assert star_level(100 * 60, thresholds) == 1
    assert star_level(1500 * 60, thresholds) == 5
    assert minutes_to_next_star(250 * 60, thresholds) == 50 * 60
    assert minutes_to_next_star(1600 * 60, thresholds) is None


def test_points_per_hour_rounded_down_and_capped():
    assert points_for(165, 1, None) == 2
    assert points_for(180, 2, None) == 6
    assert points_for(600, 1, 2) == 2
    assert points_for(90, "1.5", None) == 2


def _record(s, **kw) -> ServiceRecord:
    fields = {**snapshot(s.shift), "user_id": s.volunteer.id, "method": RecordMethod.QR,
              "status": RecordStatus.VERIFIED, "checked_in_at": at(s.shift, 0),
              "checked_out_at": at(s.shift, 180), "minutes": 180, **kw}
    return ServiceRecord(**fields)


def test_record_carries_the_67_fields(db):
    s = scene()
    record = _record(s)
    db.session.add(record)
    db.session.flush()
    assert (record.activity_name, record.activity_date, record.place, record.organizing_unit,
            record.leader_name, record.scheduled_minutes, record.category) == (
        "助老送餐", date(2026, 3, 4), "幸福社区活动中心", "阳光社区服务中心", "协调员", 180, "助老服务")
    assert record.content == "为独居老人送午餐"


def test_database_refuses_more_minutes_than_scheduled(db):
    s = scene()
    db.session.add(_record(s, minutes=195))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_database_refuses_a_second_record_for_the_same_shift(db):
    s = scene()
    db.session.add(_record(s))
    db.session.flush()
    db.session.add(_record(s))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_database_refuses_deciding_ones_own_request(db):
    s = scene()
    request = HoursRequest(tenant_id=s.tenant.id, org_id=s.org.id, shift_id=s.shift.id,
                           user_id=s.volunteer.id, kind=RequestKind.MANUAL, minutes=60,
                           scheduled_minutes=180, reason="忘记扫码",
                           proposed_by_id=s.coordinator.id, decided_by_id=s.coordinator.id)
    db.session.add(request)
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_database_refuses_a_negative_wallet(db):
    s = scene()
    db.session.add(PointsWallet(tenant_id=s.tenant.id, user_id=s.volunteer.id, balance=-1))
    with pytest.raises(IntegrityError):
        db.session.flush()
