"""A team's sign-up racing single volunteers for the same shift, with real commits on separate
connections (SQLite and PostgreSQL alike): the shift is never overfilled, and the team gets all
its places or none."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.projects import signups as single
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.teams import signups
from app.teams.models import Team, TeamPlace, TeamSignup
from tests.concurrency import run_together
from tests.factories import OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory, shift, volunteer
from tests.teams.factories import make_team


def _single(user_id: int, shift_id: int):
    def job():
        from app.extensions import db

        return single.sign_up(db.session.get(User, user_id), db.session.get(Shift, shift_id)).status
    return job


def _team(team_id: int, member_ids: list[int], shift_id: int):
    def job():
        from app.extensions import db

        team = db.session.get(Team, team_id)
        return signups.sign_up(team, team.leader, db.session.get(Shift, shift_id), member_ids).status
    return job


def test_a_team_racing_single_sign_ups_never_overfills_the_shift(app, committed):
    db = committed
    tenant = TenantFactory()
    project = ProjectFactory(org=OrgFactory(tenant_id=tenant.id))
    shift_id = shift(project, capacity=6).id
    teams = []
    for n in range(2):
        team, members, named = make_team(tenant, volunteer(tenant), name=f"第{n}志愿队",
                                         registered=1, named=2)
        teams.append((team.id, [m.id for m in members + named]))  # 4 people each
    singles = [volunteer(tenant).id for _ in range(6)]
    db.session.commit()

    results = run_together(app, [_team(t, m, shift_id) for t, m in teams]
                           + [_single(u, shift_id) for u in singles])

    db.session.expire_all()
    confirmed_singles = db.session.scalar(select(func.count()).select_from(ShiftSignup).where(
        ShiftSignup.shift_id == shift_id, ShiftSignup.status == SignupStatus.CONFIRMED,
        ShiftSignup.user_id.in_(singles)))
    held_by_teams = db.session.scalar(select(func.count()).select_from(TeamPlace).join(
        TeamSignup, TeamSignup.id == TeamPlace.team_signup_id).where(
        TeamSignup.shift_id == shift_id, TeamSignup.status == "confirmed"))
    count = db.session.get(Shift, shift_id).confirmed_count
    assert count == confirmed_singles + held_by_teams <= 6
    assert count == 6  # someone always fits: the places are all taken
    team_results = [str(r) if r == "confirmed" else type(r).__name__ for r in results[:2]]
    assert set(team_results) <= {"confirmed", "SignupError"}  # all or none, nothing else
    assert held_by_teams == 4 * team_results.count("confirmed")
    assert sorted(map(str, results[2:])).count("confirmed") == confirmed_singles
