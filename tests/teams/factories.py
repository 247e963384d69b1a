"""A team with a leader, registered members and named people, on a shift of an organization."""

from __future__ import annotations

from dataclasses import dataclass

from app.auth.models import Role, User
from app.orgs.models import Organization
from app.projects.models import Shift
from app.teams import services
from app.teams.models import Team, TeamMember
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.projects.factories import ProjectFactory, shift, volunteer


@dataclass
class TeamScene:
    tenant: Tenant
    org: Organization
    coordinator: User
    leader: User
    team: Team
    registered: list[TeamMember]  # the leader first
    named: list[TeamMember]
    shift: Shift


def make_team(tenant: Tenant, leader: User, name: str = "幸福里邻里志愿队", registered: int = 1,
              named: int = 2) -> tuple[Team, list[TeamMember], list[TeamMember]]:
    team = services.create(tenant, leader, name)
    members = [m for m in team.members]
    for _ in range(registered):
        person = volunteer(tenant)
        row = services.invite(team, leader, person.phone)
        services.answer(row, person, accept=True)
        members.append(row)
    people = [services.add_named(team, leader, n, f"1390000{i:04d}")
              for i, n in enumerate(["王阿姨", "李叔叔", "赵大姐", "钱师傅"][:named])]
    return team, members, people


def team_scene(capacity: int = 6, registered: int = 1, named: int = 2, **shift_kw) -> TeamScene:
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    project = ProjectFactory(org=org, name="周末助老送餐")
    leader = volunteer(tenant, name="陈队长")
    team, members, people = make_team(tenant, leader, registered=registered, named=named)
    return TeamScene(tenant, org, user_with(tenant, Role.ORG_COORDINATOR, org), leader, team,
                     members, people, shift(project, capacity=capacity, **shift_kw))
