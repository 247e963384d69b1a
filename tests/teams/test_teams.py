"""Teams: the leader builds the roster (registered volunteers accept an invitation, named
people are added by name and mobile), signs the team up for a shift taking every place at
once or none, cancels to free them for the waitlist; the coordinator records each person's
hours as their own, and a named person's hours follow them once linked to an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.projects import signups as single
from app.projects.models import ShiftSignup, SignupStatus
from app.projects.signups import SignupError
from app.service.models import RecordMethod, RecordStatus, ServiceRecord
from app.teams import hours, services, signups
from app.teams.hours import Served
from app.teams.models import MemberStatus, TeamSignupStatus
from app.teams.services import TeamError
from tests.projects.factories import shift as make_shift
from tests.projects.factories import volunteer
from tests.teams.factories import team_scene


def test_an_invited_volunteer_is_on_the_roster_only_once_they_accept(db):
    s = team_scene(registered=0)
    person = volunteer(s.tenant, name="周小雨")
    row = services.invite(s.team, s.leader, person.phone)
    assert row.status == MemberStatus.INVITED
    assert person.id not in {m.user_id for m in services.members(s.team)}
    services.answer(row, person, accept=True)
    assert [m.display_name for m in services.members(s.team)][-1] == "周小雨"
    with pytest.raises(TeamError):
        services.invite(s.team, s.leader, person.phone)


def test_a_mobile_number_nobody_registered_is_refused_with_a_way_forward(db):
    s = team_scene()
    with pytest.raises(TeamError, match="按姓名"):
        services.invite(s.team, s.leader, "13999999999")
    with pytest.raises(TeamError):
        services.add_named(s.team, s.leader, "王阿姨", "12345")


def test_only_a_registered_volunteer_founds_a_team(db):
    from tests.factories import UserFactory

    s = team_scene()
    with pytest.raises(TeamError):
        services.create(s.tenant, UserFactory(), "新队")
    with pytest.raises(TeamError):
        services.create(s.tenant, s.leader, s.team.name)


def test_a_team_takes_all_its_places_at_once(db):
    s = team_scene(capacity=6, registered=1, named=2)
    people = s.registered + s.named  # leader, one registered, two named
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in people])
    assert row.status == TeamSignupStatus.CONFIRMED
    assert s.shift.confirmed_count == 4
    own = db.session.scalars(select(ShiftSignup).where(ShiftSignup.shift_id == s.shift.id)).all()
    assert sorted(r.user_id for r in own) == sorted(m.user_id for m in s.registered)
    assert all(r.status == SignupStatus.CONFIRMED for r in own)
    assert sorted(p.held for p in row.places) == [False, False, True, True]


def test_a_team_that_does_not_fit_takes_nothing_and_is_told_what_is_left(db):
    s = team_scene(capacity=3, registered=1, named=2)
    single.sign_up(volunteer(s.tenant), s.shift)
    with pytest.raises(SignupError, match="只剩 2 个"):
        signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    assert s.shift.confirmed_count == 1
    assert signups.current(s.team, s.shift) is None
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.named])
    assert s.shift.confirmed_count == 3 and len(row.places) == 2


def test_one_member_who_cannot_come_refuses_the_whole_team_by_name(db):
    s = team_scene(capacity=10)
    member = s.registered[1]
    other = make_shift(s.shift.project, days=3, capacity=5)  # the same time
    single.sign_up(member.user, other)
    with pytest.raises(SignupError, match=member.display_name):
        signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    assert s.shift.confirmed_count == 0


def test_cancelling_frees_every_place_for_the_first_in_line(db):
    s = team_scene(capacity=3, registered=1, named=1)
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    waiting = [volunteer(s.tenant) for _ in range(4)]
    for person in waiting:
        assert single.sign_up(person, s.shift).status == SignupStatus.WAITLISTED
    signups.cancel(row, s.leader)
    assert row.status == TeamSignupStatus.CANCELLED
    assert s.shift.confirmed_count == 3
    status = {r.user_id: r.status for r in db.session.scalars(
        select(ShiftSignup).where(ShiftSignup.shift_id == s.shift.id))}
    assert [status[p.id] for p in waiting] == ["confirmed"] * 3 + ["waitlisted"]
    assert all(status[m.user_id] == "cancelled" for m in s.registered)
    again = signups.sign_up(s.team, s.leader, make_shift(s.shift.project, days=5),
                            [m.id for m in s.named])
    assert again.status == TeamSignupStatus.CONFIRMED


def test_a_member_who_withdraws_alone_frees_only_their_own_place(db):
    s = team_scene(capacity=5, registered=1, named=1)
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    single.withdraw(row.places[1].signup)
    assert s.shift.confirmed_count == 2
    signups.cancel(row, s.leader)
    assert s.shift.confirmed_count == 0


def test_each_persons_hours_are_their_own(db):
    s = team_scene(capacity=6, registered=1, named=2, days=-1 / 24 * 3, hours=2)
    s.shift.starts_at = utcnow() - timedelta(hours=3)
    s.shift.ends_at = s.shift.starts_at + timedelta(hours=2)
    row = _signed_up_before_the_start(s)
    leader_place, member_place, named_a, named_b = row.places
    start = s.shift.starts_at
    hours.record(row, s.coordinator, [
        Served(leader_place.id),  # the whole shift
        Served(member_place.id, start + timedelta(minutes=30), start + timedelta(minutes=100)),
        Served(named_a.id),
        Served(named_b.id, served=False)])
    records = {r.user_id: r for r in db.session.scalars(select(ServiceRecord))}
    assert records[s.leader.id].minutes == 120 and records[s.leader.id].status == RecordStatus.VERIFIED
    assert records[member_place.member.user_id].minutes == 60  # 70 min, rounded down
    assert records[s.leader.id].method == RecordMethod.COORDINATOR
    assert len(records) == 2
    assert (named_a.minutes, named_b.minutes) == (120, 0)
    with pytest.raises(TeamError, match="已登记"):
        hours.record(row, s.coordinator, [Served(named_a.id)])

    # 王阿姨 registers and the leader links her: her hours become her own record.
    wang = volunteer(s.tenant, name="王秀英")
    services.link(named_a.member, s.leader, wang.phone)
    services.answer(named_a.member, wang, accept=True)
    mine = db.session.scalars(select(ServiceRecord).where(ServiceRecord.user_id == wang.id)).all()
    assert [(r.minutes, r.status) for r in mine] == [(120, RecordStatus.VERIFIED)]
    assert named_a.record_id == mine[0].id


def _signed_up_before_the_start(s):
    """Sign the team up while the shift is still ahead, then let it begin."""
    start, end = s.shift.starts_at, s.shift.ends_at
    s.shift.starts_at, s.shift.ends_at = utcnow() + timedelta(days=2), utcnow() + timedelta(days=2, hours=2)
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    s.shift.starts_at, s.shift.ends_at = start, end
    db.session.flush()
    return row


def test_hours_wait_for_the_start(db):
    s = team_scene()
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.named])
    with pytest.raises(TeamError, match="开始"):
        hours.record(row, s.coordinator, [Served(row.places[0].id)])


def test_the_leader_stays_and_a_removed_member_keeps_no_roster_place(db):
    s = team_scene()
    with pytest.raises(TeamError):
        services.remove(s.registered[0], s.leader)
    services.remove(s.named[0], s.leader)
    assert s.named[0] not in services.members(s.team)
    with pytest.raises(SignupError):
        signups.sign_up(s.team, s.leader, s.shift, [s.named[0].id])
