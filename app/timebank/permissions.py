"""Who may do what with time credits: every member of the district keeps their own account
(an auditor only reads); a booking is paid by the resident who made it; the community pool
is read by the bureau and its auditors and given out by a bureau officer."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule, tenant_of


@rule("timebank.view")
def _view(user, tenant) -> bool:
    return bool(user.roles_in(tenant_of(tenant)))


@rule("timebank.give")
def _give(user, tenant) -> bool:
    return bool(user.roles_in(tenant_of(tenant)) - {Role.AUDITOR})


@rule("timebank.pay")
def _pay(user, booking) -> bool:
    return getattr(booking, "user_id", None) == user.id


@rule("timebank.pool.view")
def _pool(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)


@rule("timebank.pool.give")
def _pool_give(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *BUREAU)
