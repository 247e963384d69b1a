"""Who may see and act on a community group's filing and incubation: the group's own staff,
its sponsor's or incubator's staff, and the bureau and auditors (who read)."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, rule, tenant_of

ACTING = (Role.ORG_ADMIN, Role.ORG_COORDINATOR)


def _group(obj):
    """The group an object is about (a group itself, or a milestone of its incubation)."""
    from app.extensions import db
    from app.orgs.models import Organization

    if isinstance(obj, Organization):
        return obj
    org_id = getattr(obj, "org_id", None)
    return db.session.get(Organization, org_id) if org_id else None


def _incubator_id(group) -> int | None:
    """The group's incubator, or while it waits for its sponsor's answer, that sponsor."""
    from app.grassroots.services import incubation_of

    if group is None:
        return None
    incubation = incubation_of(group)
    return incubation.incubator_id if incubation is not None else group.parent_id


def _incubator_staff(user, group, *roles) -> bool:
    return is_staff(user, tenant_of(group), _incubator_id(group), *roles)


@rule("grassroots.view")
def _view(user, obj) -> bool:
    """A group's filing and incubation: its staff, its incubator's, the bureau, auditors."""
    group = _group(obj)
    return group is not None and (is_staff(user, tenant_of(group), group.id)
                                  or _incubator_staff(user, group)
                                  or has_tenant_role(user, group, *OVERSIGHT))


@rule("grassroots.incubate")
def _incubate(user, obj) -> bool:
    """Stages, milestones and training: the incubator's admins and coordinators."""
    return _incubator_staff(user, _group(obj), *ACTING)


@rule("grassroots.milestone.done")
def _done(user, milestone) -> bool:
    """A milestone is marked done by the incubator or by the group's own admin or coordinator."""
    group = _group(milestone)
    return group is not None and (_incubator_staff(user, group, *ACTING)
                                  or is_staff(user, tenant_of(group), group.id, *ACTING))


@rule("grassroots.sponsor")
def _sponsor(user, group) -> bool:
    """Answering a group's request for sponsorship: the named sponsor's admins."""
    return is_staff(user, tenant_of(group), getattr(group, "parent_id", None), Role.ORG_ADMIN)


@rule("grassroots.incubator.view")
def _incubator(user, org) -> bool:
    """An incubator's list of its groups: its staff, the bureau and auditors."""
    return is_staff(user, tenant_of(org), org.id) or has_tenant_role(user, org, *OVERSIGHT)
