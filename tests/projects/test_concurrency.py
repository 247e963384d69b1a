"""Capacity under real concurrency: threads with their own sessions and real commits, on
SQLite and PostgreSQL alike (``committed`` fixture)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.projects import signups
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.projects.signups import SignupError
from tests.concurrency import run_together
from tests.factories import OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory, shift, volunteer


def signup_job(user_id: int, shift_id: int):
    def job():
        from app.extensions import db

        return signups.sign_up(db.session.get(User, user_id), db.session.get(Shift, shift_id)).status
    return job


def withdraw_job(user_id: int, shift_id: int):
    def job():
        from app.extensions import db

        row = db.session.scalar(select(ShiftSignup).where(
            ShiftSignup.user_id == user_id, ShiftSignup.shift_id == shift_id))
        return signups.withdraw(row).status
    return job


def setup(committed, capacity: int, people: int):
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    shift_id = shift(project, capacity=capacity).id
    users = [volunteer(tenant).id for _ in range(people)]
    # Read every id before the commit: touching an expired object afterwards would open a
    # transaction in this thread (on SQLite: the write lock) while the workers run.
    committed.session.commit()
    return shift_id, users


def rows(committed, shift_id):
    committed.session.expire_all()
    return committed.session.scalars(select(ShiftSignup).where(ShiftSignup.shift_id == shift_id)
                                     .order_by(ShiftSignup.queued_at, ShiftSignup.id)).all()


def test_concurrent_sign_ups_never_exceed_capacity(app, committed):
    shift_id, users = setup(committed, capacity=5, people=24)
    results = run_together(app, [signup_job(u, shift_id) for u in users])
    assert sorted(map(str, results)) == ["confirmed"] * 5 + ["waitlisted"] * 19
    signed = rows(committed, shift_id)
    assert [r.status for r in signed] == ["confirmed"] * 5 + ["waitlisted"] * 19
    assert committed.session.get(Shift, shift_id).confirmed_count == 5
    assert [signups.waitlist_position(r) for r in signed[5:]] == list(range(1, 20))


def test_everyone_is_told_the_place_in_line_the_waitlist_gives_them(app, committed):
    shift_id, users = setup(committed, capacity=2, people=16)

    def told(user_id: int):
        def job():
            from app.extensions import db

            row = signups.sign_up(db.session.get(User, user_id), db.session.get(Shift, shift_id))
            return user_id, row.queue_position
        return job

    results = dict(run_together(app, [told(u) for u in users]))
    line = {r.user_id: signups.waitlist_position(r) for r in rows(committed, shift_id)}
    assert results == line
    assert sorted(p for p in results.values() if p) == list(range(1, 15))


def test_concurrent_withdrawals_and_sign_ups_keep_the_line(app, committed):
    shift_id, users = setup(committed, capacity=4, people=12)
    holders, waiting, newcomers = users[:4], users[4:8], users[8:]
    for u in holders + waiting:  # in order: 4 places, 4 in line
        assert run_together(app, [signup_job(u, shift_id)])[0] in ("confirmed", "waitlisted")
    results = run_together(app, [withdraw_job(u, shift_id) for u in holders]
                           + [signup_job(u, shift_id) for u in newcomers])
    assert not [r for r in results if isinstance(r, Exception)]
    by_user = {r.user_id: r.status for r in rows(committed, shift_id)}
    # The four who waited got the four freed places; newcomers went to the back of the line.
    assert {u: by_user[u] for u in waiting} == dict.fromkeys(waiting, SignupStatus.CONFIRMED)
    assert {u: by_user[u] for u in newcomers} == dict.fromkeys(newcomers, SignupStatus.WAITLISTED)
    assert committed.session.get(Shift, shift_id).confirmed_count == 4


def test_one_person_cannot_take_two_overlapping_shifts_at_once(app, committed):
    shift_id, users = setup(committed, capacity=3, people=1)
    first = committed.session.get(Shift, shift_id)
    twin = shift(first.project, capacity=3)
    twin.starts_at, twin.ends_at = first.starts_at, first.ends_at
    twin_id = twin.id
    committed.session.commit()
    results = run_together(app, [signup_job(users[0], shift_id), signup_job(users[0], twin_id)])
    assert sorted(type(r).__name__ for r in results) == ["SignupError", "SignupStatus"]
    assert len([r for r in results if isinstance(r, SignupError)]) == 1


def test_the_check_constraint_is_the_last_line(app, committed):
    shift_id, _ = setup(committed, capacity=2, people=0)
    with pytest.raises(IntegrityError):
        committed.session.execute(update(Shift).where(Shift.id == shift_id).values(confirmed_count=3))
        committed.session.commit()
    committed.session.rollback()
    assert committed.session.scalar(text("SELECT confirmed_count FROM shift WHERE id = :id"),
                                    {"id": shift_id}) == 0
