"""Navigation: the organization's service slots with who came."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("Residents' attendance"), "attendance.staff_home",
         with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR), order=31, group="work")
