"""The national system's files hold full ID and mobile numbers: the bureau exports and imports
them for the district, an organization's admin for its own volunteers and records; auditors
and other staff do not (they read the audit log of who did)."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import BUREAU, has_tenant_role, is_staff, rule, tenant_of


@rule("national.use")
def _use(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *BUREAU) or bool(
        user.org_ids(tenant_of(tenant), Role.ORG_ADMIN))


@rule("national.export")
def _export(user, obj) -> bool:
    """``obj`` is an export (its ``params`` name the organization), an organization, or
    anything with ``tenant_id`` and an ``org_id`` (None: the whole district)."""
    from app.orgs.models import Organization

    params = getattr(obj, "params", None)
    org_id = params.get("org_id") if isinstance(params, dict) else getattr(obj, "org_id", None)
    if isinstance(obj, Organization):
        org_id = obj.id
    if has_tenant_role(user, obj, *BUREAU):
        return True
    return org_id is not None and is_staff(user, tenant_of(obj), org_id, Role.ORG_ADMIN)
