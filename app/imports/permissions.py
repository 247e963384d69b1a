"""Imports: the bureau imports every kind for the district; an organization's admin imports
its own volunteers and past records. A batch is seen and decided by the bureau and by the
admins of the organization it was made for; nobody else (auditors read the audit log)."""

from __future__ import annotations

from app.auth.models import Role
from app.imports.models import ORG_KINDS
from app.permissions import BUREAU, has_tenant_role, is_staff, rule, tenant_of


@rule("import.use")
def _use(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *BUREAU) or bool(
        user.org_ids(tenant_of(tenant), Role.ORG_ADMIN))


@rule("import.start")
def _start(user, wanted) -> bool:
    """``wanted`` has ``tenant_id``, ``kind`` and ``org_id`` (None: for the district); any
    other object is asked about as an import for the district."""
    org_id = getattr(wanted, "org_id", None)
    if org_id is None:
        return has_tenant_role(user, wanted, *BUREAU)
    return getattr(wanted, "kind", None) in ORG_KINDS and is_staff(
        user, wanted.tenant_id, org_id, Role.ORG_ADMIN)


@rule("import.view", "import.decide")
def _batch(user, batch) -> bool:
    return has_tenant_role(user, batch, *BUREAU) or is_staff(
        user, tenant_of(batch), getattr(batch, "org_id", None), Role.ORG_ADMIN)
