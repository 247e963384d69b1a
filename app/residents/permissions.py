"""Acting for residents who are not online (代办): the bureau's staff (community and grid
workers) for any of the district's, an organization's admins and coordinators for those their
organization registered. Nobody acts for a resident who is online: they act themselves."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import has_tenant_role, rule, tenant_of
from app.service.permissions import COORDINATING


@rule("resident.register")
def _register(user, tenant) -> bool:
    return has_tenant_role(user, tenant, Role.BUREAU_OFFICER) or bool(
        user.org_ids(tenant_of(tenant), *COORDINATING))


@rule("resident.act_for")
def _act_for(user, profile) -> bool:
    from app.residents.models import ResidentProfile

    if not isinstance(profile, ResidentProfile) or not profile.user.offline:
        return False
    if has_tenant_role(user, profile, Role.BUREAU_OFFICER):
        return True
    return profile.kept_by_org_id is not None and profile.kept_by_org_id in user.org_ids(
        tenant_of(profile), *COORDINATING)

