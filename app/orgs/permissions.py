"""Who may do what to an organization beyond the foundation's ``org.*`` rules."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, public, rule, tenant_of


def not_auditor(user, obj) -> bool:
    """Auditors are read-only in their tenant, also for what anyone else may do."""
    return not has_tenant_role(user, obj, Role.AUDITOR)


@rule("org.register")
def _register(user, tenant) -> bool:
    """Any signed-in person may register an organization (and becomes its admin)."""
    return not_auditor(user, tenant)


@rule("org.view")
@public
def _view(user, org) -> bool:
    """The public page: verified organizations; others only to their staff and oversight."""
    if getattr(org, "is_verified", False):
        return True
    return user is not None and (is_staff(user, tenant_of(org), org_of(org))
                                 or has_tenant_role(user, org, *OVERSIGHT))


@rule("org.invitation.respond")
def _respond(user, invitation) -> bool:
    from app.orgs.models import OrgInvitation

    return isinstance(invitation, OrgInvitation) and invitation.is_for(user)
