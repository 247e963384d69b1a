"""Navigation: imports for the bureau and for organizations' admins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("Imports"), "imports.index", with_roles(Role.BUREAU_OFFICER), order=46, group="bureau")
nav_item(_l("Imports"), "imports.index", with_roles(Role.ORG_ADMIN), order=39, group="work")
