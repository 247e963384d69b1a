"""Teams and their rosters: a registered volunteer founds a team and leads it; the leader
invites registered volunteers (by their mobile number; they accept or decline), adds named
people without an account, links a named person to an account once they register, and
takes people off the roster. Services ``flush()``; the caller commits."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.teams.models import MemberStatus, Team, TeamMember
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile

MOBILE = re.compile(r"^1[3-9]\d{9}$")


class TeamError(ValueError):
    """A refusal the leader or member can read, with an HTTP status for the API."""

    def __init__(self, message, status: int = 400):
        super().__init__(message)
        self.status = status


def _team_link(team: Team) -> str:
    return f"/t/{db.session.get(Tenant, team.tenant_id).slug}/teams/{team.id}"


def is_volunteer(user: User, tenant_id: int) -> bool:
    return db.session.scalar(select(VolunteerProfile.id).where(
        VolunteerProfile.tenant_id == tenant_id, VolunteerProfile.user_id == user.id)) is not None


def _clean_name(name: str | None, limit: int) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TeamError(_l("Please give a name."))
    if len(name) > limit:
        raise TeamError(_l("A name has at most %(n)s characters.", n=limit))
    return name


def _clean_phone(phone: str | None) -> str:
    phone = re.sub(r"[\s-]", "", phone or "")
    if not MOBILE.match(phone):
        raise TeamError(_l("Please give an 11-digit mobile number, such as 13800001234."))
    return phone


def create(tenant: Tenant, leader: User, name: str, description: str = "") -> Team:
    """A registered volunteer founds a team and is its leader and first member."""
    if not is_volunteer(leader, tenant.id):
        raise TeamError(_l("Please register as a volunteer before founding a team."), 403)
    name = _clean_name(name, 60)
    description = (description or "").strip()
    if len(description) > 300:
        raise TeamError(_l("The description has at most 300 characters."))
    team = Team(tenant_id=tenant.id, name=name, leader_id=leader.id, description=description)
    try:
        with db.session.begin_nested():
            db.session.add(team)
            db.session.flush()
    except IntegrityError as exc:
        raise TeamError(_l("A team with this name already exists in the district."), 409) from exc
    db.session.add(TeamMember(tenant_id=tenant.id, team_id=team.id, user_id=leader.id,
                              status=MemberStatus.ACTIVE, added_by_id=leader.id,
                              joined_at=utcnow()))
    db.session.flush()
    return team


def members(team: Team, *statuses: str) -> list[TeamMember]:
    statuses = statuses or (MemberStatus.ACTIVE,)
    return list(db.session.scalars(select(TeamMember).where(
        TeamMember.team_id == team.id, TeamMember.status.in_(statuses)).order_by(TeamMember.id)))


def _volunteer_by_phone(tenant_id: int, phone: str) -> User | None:
    return db.session.scalar(select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                             .where(VolunteerProfile.tenant_id == tenant_id,
                                    or_(VolunteerProfile.phone == phone, User.phone == phone)))


def _membership(team: Team, user_id: int) -> TeamMember | None:
    return db.session.scalar(select(TeamMember).where(TeamMember.team_id == team.id,
                                                      TeamMember.user_id == user_id))


def invite(team: Team, leader: User, phone: str) -> TeamMember:
    """Invite the registered volunteer with this mobile number; they accept or decline."""
    phone = _clean_phone(phone)
    user = _volunteer_by_phone(team.tenant_id, phone)
    if user is None:
        raise TeamError(_l("No registered volunteer of the district has this mobile number. "
                           "You can add the person by name instead."), 404)
    row = _membership(team, user.id)
    if row is not None and row.status in (MemberStatus.ACTIVE, MemberStatus.INVITED):
        raise TeamError(_l("%(name)s is already on the team or invited.", name=user.name), 409)
    if row is None:
        row = TeamMember(tenant_id=team.tenant_id, team_id=team.id, user_id=user.id)
        db.session.add(row)
    row.status, row.added_by_id, row.left_at = MemberStatus.INVITED, leader.id, None
    db.session.flush()
    _tell_invited(team, user)
    return row


def _tell_invited(team: Team, user: User) -> None:
    notify(user, _l("Invitation to join the team %(team)s", team=team.name),
           _l("%(leader)s invites you to join the volunteer team %(team)s. Accept or decline "
              "under My teams.", leader=team.leader.name, team=team.name),
           link=_team_link(team), tenant_id=team.tenant_id)


def add_named(team: Team, leader: User, name: str, phone: str) -> TeamMember:
    """Add a person without an account: their name and mobile number."""
    row = TeamMember(tenant_id=team.tenant_id, team_id=team.id, name=_clean_name(name, 60),
                     phone=_clean_phone(phone), status=MemberStatus.ACTIVE,
                     added_by_id=leader.id, joined_at=utcnow())
    db.session.add(row)
    db.session.flush()
    return row


def link(member: TeamMember, leader: User, phone: str) -> TeamMember:
    """Ask a named person who has since registered to take over their place on the roster:
    once they accept, the hours recorded for them become service records of their own."""
    if member.user_id is not None:
        raise TeamError(_l("This member already has an account."), 409)
    if member.status != MemberStatus.ACTIVE:
        raise TeamError(_l("This person is no longer on the team."), 409)
    phone = _clean_phone(phone)
    user = _volunteer_by_phone(member.tenant_id, phone)
    if user is None:
        raise TeamError(_l("No registered volunteer of the district has this mobile number."),
                        404)
    team = member.team
    if _membership(team, user.id) is not None:
        raise TeamError(_l("%(name)s is already on the team or invited.", name=user.name), 409)
    member.user_id, member.status, member.added_by_id = user.id, MemberStatus.INVITED, leader.id
    db.session.flush()
    _tell_invited(team, user)
    return member


def answer(member: TeamMember, user: User, accept: bool) -> TeamMember:
    """The invited volunteer accepts or declines. A named person linked to them who declines
    stays on the roster by name."""
    from app.teams.hours import carry_over

    if member.user_id != user.id or member.status != MemberStatus.INVITED:
        raise TeamError(_l("There is no invitation waiting for you here."), 409)
    now = utcnow()
    if accept:
        member.status, member.joined_at = MemberStatus.ACTIVE, member.joined_at or now
        db.session.flush()
        carry_over(member, user, now)
    elif member.name:  # a named person who is not (or does not want to be) this account
        member.user_id, member.status = None, MemberStatus.ACTIVE
    else:
        member.status, member.left_at = MemberStatus.DECLINED, now
    db.session.flush()
    return member


def remove(member: TeamMember, by: User) -> TeamMember:
    """The leader takes someone off the roster, or a member leaves. The leader stays: hand
    the team over first. Their places on shifts already signed up for stay theirs."""
    team = member.team
    if member.user_id == team.leader_id:
        raise TeamError(_l("The leader cannot leave the team."), 409)
    if member.status not in (MemberStatus.ACTIVE, MemberStatus.INVITED):
        raise TeamError(_l("This person is no longer on the team."), 409)
    member.status, member.left_at = MemberStatus.REMOVED, utcnow()
    db.session.flush()
    if member.user_id is not None and member.user_id != by.id:
        notify(member.user, _l("You are no longer on the team %(team)s", team=team.name),
               link=_team_link(team), tenant_id=team.tenant_id)
    return member


def teams_of(tenant: Tenant, user: User) -> list[tuple[Team, TeamMember]]:
    """The teams a person leads, belongs to or is invited to, by name."""
    return list(db.session.execute(
        select(Team, TeamMember).join(TeamMember, TeamMember.team_id == Team.id)
        .where(Team.tenant_id == tenant.id, TeamMember.user_id == user.id,
               TeamMember.status.in_((MemberStatus.ACTIVE, MemberStatus.INVITED)))
        .order_by(Team.name)).tuples())


def led_by(tenant_id: int, user: User) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.tenant_id == tenant_id,
                                                      Team.leader_id == user.id)
                                   .order_by(Team.name)))


def membership_of(team: Team, user: User) -> TeamMember | None:
    return _membership(team, user.id)
