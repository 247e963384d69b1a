"""Exports are read-outs for the tenant's bureau and auditors: asking for one, watching it
and downloading the file are all ``export.read``; nobody else does any of them."""

from __future__ import annotations

from app.permissions import OVERSIGHT, has_tenant_role, rule


@rule("export.read")
def _oversight(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT)
