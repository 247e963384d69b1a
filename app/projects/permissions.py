"""Who may do what to projects, shifts, slots and sign-ups."""

from __future__ import annotations

from app.auth.models import Role
from app.orgs.permissions import not_auditor
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, public, rule, tenant_of

COORDINATORS = (Role.ORG_ADMIN, Role.ORG_COORDINATOR)


@rule("project.create", "project.manage")
def _manage(user, obj) -> bool:
    """Organization admins and coordinators prepare, publish, close and cancel projects."""
    return is_staff(user, tenant_of(obj), org_of(obj), *COORDINATORS)


@rule("project.view")
@public
def _view(user, project) -> bool:
    """Published, closed and cancelled projects are public; drafts are internal."""
    if getattr(project, "status", "draft") != "draft":
        return True
    return user is not None and (is_staff(user, tenant_of(project), org_of(project))
                                 or has_tenant_role(user, project, *OVERSIGHT))


@rule("place.signup")
def _signup(user, place) -> bool:
    """Anyone signed in takes a place for themselves; the service checks the rest."""
    return not_auditor(user, place)


@rule("signup.withdraw", "signup.view")
def _own(user, signup) -> bool:
    return getattr(signup, "user_id", None) == user.id
