"""Spot checks: the bureau draws and records outcomes; auditors read; everyone sees the
published aggregate."""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule


@rule("spotcheck.view")
def _view(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT)


@rule("spotcheck.manage")
def _manage(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)


