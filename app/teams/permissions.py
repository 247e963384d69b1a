"""Teams: the leader manages the roster and signs the team up; members see their team; the
staff of the organization whose shift a team signed up for see that sign-up and its people,
and its admins and coordinators record their hours; the bureau and auditors read."""

from __future__ import annotations

from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, rule, tenant_of
from app.service.permissions import COORDINATING


def _leads(user, team) -> bool:
    return getattr(team, "leader_id", None) == user.id


@rule("teams.manage", "teams.sign_up")
def _manage(user, team) -> bool:
    """The team's leader only."""
    return _leads(user, team)


@rule("teams.view")
def _view(user, team) -> bool:
    """The leader, its members and those invited, the bureau and auditors."""
    from app.teams.models import MemberStatus
    from app.teams.services import membership_of

    if _leads(user, team) or has_tenant_role(user, team, *OVERSIGHT):
        return True
    row = membership_of(team, user)
    return row is not None and row.status in (MemberStatus.ACTIVE, MemberStatus.INVITED)


@rule("teams.found")
def _found(user, tenant) -> bool:
    """A registered volunteer of the district founds a team."""
    from app.teams.services import is_volunteer

    return is_volunteer(user, tenant_of(tenant))


@rule("teams.signup.view")
def _signup_view(user, row) -> bool:
    """A team's sign-up: its leader, the shift's organization's staff, the bureau, auditors."""
    return (_leads(user, getattr(row, "team", None)) or is_staff(user, tenant_of(row), org_of(row))
            or has_tenant_role(user, row, *OVERSIGHT))


@rule("teams.signup.cancel")
def _signup_cancel(user, row) -> bool:
    return _leads(user, getattr(row, "team", None))


@rule("teams.hours.record")
def _hours(user, row) -> bool:
    """Recording team members' hours: the shift's organization's admins and coordinators."""
    return is_staff(user, tenant_of(row), org_of(row), *COORDINATING)
