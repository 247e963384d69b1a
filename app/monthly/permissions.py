"""Monthly reports: published ones are public (no rule). The bureau makes a past month's
reports; an organization's staff read their own organization's list of months, the bureau
and auditors every organization's and the district's."""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, is_staff, rule, tenant_of


@rule("monthly.generate")
def _generate(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *BUREAU)


@rule("monthly.view")
def _overview(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)


@rule("monthly.org.view")
def _org(user, org) -> bool:
    return is_staff(user, tenant_of(org), getattr(org, "id", None)) or has_tenant_role(
        user, org, *OVERSIGHT)
