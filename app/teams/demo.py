"""Demo: 杨磊 leads 幸福社区邻里守望服务队: 刘洋 (a registered volunteer who accepted his
invitation) and two neighbours without an account, known by name and mobile; the team is
signed up, all four together, for a second Saturday of 家电义务维修进社区. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.projects import places
from app.projects.demo import _at
from app.projects.models import Project
from app.projects.signups import SignupError
from app.teams import services, signups
from app.teams.models import Team
from app.tenancy.models import Tenant

ORDER = 38  # after projects (20), service records (30) and attendance (35)
TEAM = "幸福社区邻里守望服务队"
PROJECT = "家电义务维修进社区"
NEIGHBOURS = [("王秀兰", "13700001001"), ("李建国", "13700001002")]


def _user(phone: str) -> User | None:
    return db.session.scalar(select(User).where(User.phone == phone))


def step(tenant: Tenant) -> str | None:
    leader, member = _user("13800000006"), _user("13800000004")
    if leader is None or member is None or db.session.scalar(
            select(Team.id).where(Team.tenant_id == tenant.id, Team.name == TEAM)):
        return None
    team = services.create(tenant, leader, TEAM, "每月一次上门帮独居老人修家电、换灯泡")
    invited = services.invite(team, leader, member.phone)
    services.answer(invited, member, accept=True)
    for name, phone in NEIGHBOURS:
        services.add_named(team, leader, name, phone)
    project = db.session.scalar(select(Project).where(Project.tenant_id == tenant.id,
                                                      Project.name == PROJECT))
    signed = ""
    if project is not None:
        # A second Saturday at the other grid's service point, with room for a team.
        shift = places.add_shift(project, places.PlaceData(
            _at(12, "09:00"), _at(12, "12:00"), "幸福社区第2网格服务点", 8))
        try:
            signups.sign_up(team, leader, shift, [m.id for m in services.members(team)])
            signed = ", signed up for a shift"
        except SignupError:
            pass
    db.session.flush()
    return f"teams: {TEAM}, 4 members{signed}"
