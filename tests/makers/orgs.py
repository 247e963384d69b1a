"""Isolation makers for organizations."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS, maker


@maker("org_id")
def _org(world, org):
    return org.id


@maker("invitation_id")
def _invitation(world, org):
    from app.extensions import db
    from app.orgs.models import OrgInvitation

    invitation = OrgInvitation(tenant_id=org.tenant_id, org_id=org.id, role="org_coordinator",
                               phone=f"1370000{org.id:04d}")
    db.session.add(invitation)
    db.session.flush()
    return invitation.id


@maker("staff_id")
def _staff(world, org):
    from app.auth.models import Role
    from tests.factories import user_with

    return user_with(world.tenant, Role.ORG_COORDINATOR, org).id


PUBLIC_ENDPOINTS.update({"orgs.directory", "orgs.page"})
OPEN_ENDPOINTS.update({"orgs.register", "orgs.mine"})
PUBLIC_ENDPOINTS.update({"api_orgs.Organizations", "api_orgs.OrganizationPublic"})
OPEN_ENDPOINTS.update({"api_orgs.MyInvitations"})
