"""Navigation: community groups and incubation, for organization staff and the bureau."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, org_staff


def _staff_or_bureau(user, tenant) -> bool:
    return user is not None and (org_staff(user, tenant)
                                 or user.has_role(tenant.id, Role.BUREAU_OFFICER, Role.AUDITOR))


nav_item(_l("Community groups and incubation"), "grassroots.home", _staff_or_bureau, order=32,
         group="work")
