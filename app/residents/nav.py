"""Navigation: residents not online whom staff act for (代办)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("Residents not online"), "residents.kept", with_roles(Role.BUREAU_OFFICER),
         order=45, group="bureau")
nav_item(_l("Residents not online"), "residents.kept",
         with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR), order=32, group="work")
