"""The daily cap of notices of suitable shifts under real concurrency: jobs telling the same
person at the same moment, each in its own thread, session and transaction, with real
commits (PostgreSQL: the person's row of the day is locked by the conditional UPDATE; SQLite:
one writer at a time)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.notifications.models import Notification
from tests.concurrency import run_together
from tests.factories import OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory, shift, volunteer


def setup(committed, per_day: int, shifts: int):
    from app.marketplace.models import ShiftNoticeDay  # noqa: F401  (the table is made)
    from app.volunteers.models import VolunteerProfile

    tenant = TenantFactory(settings={"shift_notices_per_day": per_day})
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    shift_ids = [shift(project, days=3 + i).id for i in range(shifts)]
    user_id = volunteer(tenant).id
    committed.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.user_id == user_id)).shift_notices = True
    committed.session.commit()
    return shift_ids, user_id


def _tenant_of(committed, user_id: int) -> int:
    from app.volunteers.models import VolunteerProfile

    return committed.session.scalar(select(VolunteerProfile.tenant_id).where(
        VolunteerProfile.user_id == user_id))


def job(shift_id: int):
    def run():
        from workers.matching import notify_shift_matches

        return notify_shift_matches(shift_id)
    return run


def notices(committed, user_id: int) -> list[int]:
    committed.session.expire_all()
    return list(committed.session.scalars(select(Notification.subject_id).where(
        Notification.user_id == user_id, Notification.kind == "shift.match")))


def test_two_jobs_at_once_never_pass_the_daily_cap(app, committed):
    from app.db import utcnow
    from app.marketplace.models import ShiftNoticeDay
    from app.service.hours import local_date

    shift_ids, user_id = setup(committed, per_day=2, shifts=5)
    # The person had one notice earlier today: the row of the day is there to be raised.
    committed.session.add(ShiftNoticeDay(tenant_id=_tenant_of(committed, user_id),
                                         user_id=user_id, day=local_date(utcnow()), sent=1))
    committed.session.commit()
    results = run_together(app, [job(i) for i in shift_ids])
    assert sorted(results) == [0, 0, 0, 0, 1]
    assert len(notices(committed, user_id)) == 1
    assert committed.session.scalar(select(func.sum(ShiftNoticeDay.sent)).where(
        ShiftNoticeDay.user_id == user_id)) == 2


def test_two_jobs_for_the_same_shift_at_once_tell_the_person_once(app, committed):
    from app.marketplace.models import ShiftNoticeDay

    shift_ids, user_id = setup(committed, per_day=3, shifts=1)
    results = run_together(app, [job(shift_ids[0]) for _ in range(3)])
    assert sorted(results) == [0, 0, 1]
    assert notices(committed, user_id) == shift_ids
    # The count of the day holds the one notice sent, not the ones given back.
    assert committed.session.scalar(select(ShiftNoticeDay.sent).where(
        ShiftNoticeDay.user_id == user_id)) == 1
