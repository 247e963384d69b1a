"""Isolation makers for volunteer teams: a team led by a volunteer of the world's tenant, a
person on its roster, and the team's sign-up for a shift of the organization."""

from __future__ import annotations

import itertools

from tests.isolation import maker

_numbers = itertools.count(1)


def _team(world, org):
    """A team of the world's tenant; the first organization's is led by the world's volunteer
    (so the API walks find a role that may act on it)."""
    from app.db import utcnow
    from app.extensions import db
    from app.teams.models import Team, TeamMember
    from tests.projects.factories import volunteer

    leader = (world.users.volunteer if org.id == world.orgs[0].id
              else volunteer(world.tenant, name=f"{org.name}队长"))
    team = Team(tenant_id=world.tenant.id, name=f"{org.name}志愿服务队{next(_numbers)}",
                leader_id=leader.id)
    db.session.add(team)
    db.session.flush()
    db.session.add(TeamMember(tenant_id=world.tenant.id, team_id=team.id, user_id=leader.id,
                              status="active", joined_at=utcnow()))
    db.session.flush()
    return team, leader


@maker("team_id")
def _team_id(world, org):
    return _team(world, org)[0].id


@maker("member_id")
def _member(world, org):
    from app.teams import services

    team, leader = _team(world, org)
    return services.add_named(team, leader, "邻居甲", "13911112222").id


@maker("signup_id")
def _signup(world, org):
    from app.teams import services, signups
    from tests.projects.factories import ProjectFactory, shift

    team, leader = _team(world, org)
    named = services.add_named(team, leader, "邻居乙", "13911113333")
    project = ProjectFactory(org=org, name=f"{org.name}的团队项目")
    return signups.sign_up(team, leader, shift(project, days=6), [named.id]).id
