"""Service-record rules: each plants its pattern, and an honest case is not flagged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.oversight.models import Finding
from app.oversight.rules import get_rule
from app.oversight.scan import run_scan, start_scan
from tests.factories import OrgFactory, user_with
from tests.oversight.builders import record
from tests.service.factories import BASE, make_project, make_shift, scene


def scan(tenant, code, now=None):
    run = start_scan(tenant, "manual")
    if now is not None:
        from app.oversight import scan as scanning

        original = scanning.utcnow
        scanning.utcnow = lambda: now
        try:
            run_scan(run, [get_rule(code)])
        finally:
            scanning.utcnow = original
    else:
        run_scan(run, [get_rule(code)])
    from app.extensions import db

    return db.session.scalars(select(Finding).where(Finding.tenant_id == tenant.id,
                                                    Finding.rule == code).order_by(Finding.id)).all()


def test_overlapping_records_across_organizations_are_flagged(db):
    s = scene()
    other_org = OrgFactory(tenant_id=s.tenant.id, name="彩虹文体协会")
    other_shift = make_shift(make_project(s.tenant, other_org), starts_at=BASE + timedelta(hours=1))
    first = record(s.shift, s.volunteer)          # 10:00–13:00
    second = record(other_shift, s.volunteer)     # 11:00–14:00 at another organization
    [finding] = scan(s.tenant, "service.overlap")
    assert finding.subject_key == f"service_record:{second.id}"
    assert finding.org_id == other_org.id
    assert finding.evidence == [{"type": "service_record", "id": second.id},
                                {"type": "service_record", "id": first.id}]
    assert finding.details["minutes"] == 120 and finding.details["cross_org"] is True


def test_back_to_back_shifts_and_other_volunteers_are_not_overlaps(db):
    s = scene()
    next_shift = make_shift(s.project, starts_at=BASE + timedelta(hours=3))  # 13:00–16:00
    record(s.shift, s.volunteer)
    record(next_shift, s.volunteer)
    record(s.shift, s.other)
    # Checked out a little late on the first shift: the counted time is clipped to the shift.
    late_out = make_shift(s.project, starts_at=BASE + timedelta(days=1))
    record(late_out, s.other, end_min=200)
    assert scan(s.tenant, "service.overlap") == []


def test_hours_beyond_the_shift_are_flagged(db):
    s = scene()
    honest = record(s.shift, s.volunteer)
    inflated = record(s.shift, s.other, minutes=170)
    inflated.scheduled_minutes = 240  # copied as four hours on a three-hour shift
    inflated.minutes = 230
    db.session.flush()
    [finding] = scan(s.tenant, "service.beyond_shift")
    assert finding.subject_key == f"service_record:{inflated.id}"
    assert finding.details == {"record": inflated.id, "minutes": 230, "shift_minutes": 180}
    assert honest.id not in [e["id"] for e in finding.evidence]


def test_check_in_outside_the_shift_is_flagged(db):
    s = scene()
    record(s.shift, s.volunteer, start_min=-30)  # within the hour's tolerance
    early = record(s.shift, s.other, start_min=-150, end_min=180)
    later_shift = make_shift(s.project, starts_at=BASE + timedelta(days=2))
    after_end = record(later_shift, s.volunteer, start_min=200, end_min=210, minutes=0)
    findings = scan(s.tenant, "service.checkin_outside_shift")
    assert {f.subject_key for f in findings} == {f"service_record:{early.id}",
                                                 f"service_record:{after_end.id}"}
    assert {f.details["minutes"] for f in findings} == {150, 20}


def test_records_completed_after_the_deadline_are_grouped_by_month(db):
    s = scene()
    # BASE is Wed 2026-03-04; ten working days later is Wed 2026-03-18.
    on_time = record(s.shift, s.volunteer, verified_at=datetime(2026, 3, 18, 9, tzinfo=UTC))
    late = record(s.shift, s.other, verified_at=datetime(2026, 3, 20, 9, tzinfo=UTC))
    flagged_shift = make_shift(s.project, starts_at=BASE + timedelta(days=1))
    flagged = record(flagged_shift, s.volunteer, is_late=True)
    [finding] = scan(s.tenant, "service.late_records")
    assert finding.subject_key == f"org:{s.org.id}:2026-03"
    assert {e["id"] for e in finding.evidence} == {late.id, flagged.id}
    assert on_time.id not in {e["id"] for e in finding.evidence}
    assert finding.details == {"count": 2, "month": "2026-03", "days": 10}


def test_an_org_whose_hours_are_mostly_typed_in_by_staff_is_flagged(db):
    s = scene()
    honest_org = OrgFactory(tenant_id=s.tenant.id)
    honest_project = make_project(s.tenant, honest_org)
    for day in range(8):  # 8 shifts × 3 h = 24 h each
        shift = make_shift(s.project, starts_at=BASE + timedelta(days=day))
        record(shift, s.volunteer, method="manual" if day < 6 else "qr", checked=day >= 6)
        other = make_shift(honest_project, starts_at=BASE + timedelta(days=day))
        record(other, s.other, method="qr" if day < 6 else "coordinator")
    [finding] = scan(s.tenant, "service.staff_recorded_share")
    assert finding.org_id == s.org.id
    assert finding.details == {"quarter": "2026-Q1", "percent": 75, "hours": 24}


def test_an_implausible_jump_in_hours_is_flagged(db):
    s = scene()
    steady = OrgFactory(tenant_id=s.tenant.id)
    steady_project = make_project(s.tenant, steady)
    people = [user_with(s.tenant, Role.VOLUNTEER) for _ in range(20)]
    for month, count in ((1, 1), (2, 1), (3, 1), (4, 12)):  # January to April 2026
        for n in range(count):
            shift = make_shift(s.project, starts_at=datetime(2026, month, 10 + n % 10, 2, tzinfo=UTC))
            record(shift, people[n], checked=False)
        for n in range(8):
            shift = make_shift(steady_project, starts_at=datetime(2026, month, 5 + n, 2, tzinfo=UTC))
            record(shift, people[n], checked=False)
    [finding] = scan(s.tenant, "trend.hours_jump", now=datetime(2026, 5, 3, tzinfo=UTC))
    assert finding.org_id == s.org.id
    assert finding.details == {"month": "2026-04", "hours": 36, "before": 3}


def _ratings(s, org, month, scores):
    from app.extensions import db
    from app.service.models import ServiceRating
    from tests.service.factories import book, make_slot

    project = make_project(s.tenant, org)
    for n, score in enumerate(scores):
        slot = make_slot(project, starts_at=datetime(2026, month, 1 + n % 25, 2, tzinfo=UTC))
        resident = user_with(s.tenant, Role.RESIDENT)
        booking = book(slot, resident)
        db.session.add(ServiceRating(tenant_id=s.tenant.id, org_id=org.id, booking_id=booking.id,
                                     user_id=resident.id, score=score,
                                     created_at=datetime(2026, month, 2 + n % 25, 4, tzinfo=UTC)))
    db.session.flush()


def test_a_sudden_perfect_satisfaction_is_flagged_and_a_steady_good_one_is_not(db):
    s = scene()
    steady = OrgFactory(tenant_id=s.tenant.id)
    _ratings(s, s.org, 2, [3, 3, 2, 4, 3, 3, 3, 4, 2, 3])
    _ratings(s, s.org, 4, [5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 5, 5])
    _ratings(s, steady, 2, [4, 5, 4, 5, 4, 5, 4, 5, 4, 5])
    _ratings(s, steady, 4, [5, 4, 5, 4, 5, 5, 4, 5, 4, 5])
    [finding] = scan(s.tenant, "trend.satisfaction_jump", now=datetime(2026, 5, 3, tzinfo=UTC))
    assert finding.org_id == s.org.id
    assert finding.details == {"month": "2026-04", "score": "4.92", "count": 12, "before": "3.00"}
