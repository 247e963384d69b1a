"""Navigation: my volunteer teams, for volunteers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("My teams"), "teams.home", with_roles(Role.VOLUNTEER), order=24, group="mine")
