"""我负责的片区: a bureau officer in charge of at least one area (``AreaStaff``). The bureau's
officers in charge of none see the whole district on its own pages instead."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import has_tenant_role, rule, tenant_of


@rule("areacharge.view")
def _view(user, tenant) -> bool:
    from app.notices.services import staff_areas

    return has_tenant_role(user, tenant, Role.BUREAU_OFFICER) and bool(
        staff_areas(user, tenant_of(tenant)))
