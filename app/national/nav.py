"""Navigation: the national system page for the bureau and organizations' admins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("National volunteer system"), "national.index", with_roles(Role.BUREAU_OFFICER),
         order=47, group="bureau")
nav_item(_l("National volunteer system"), "national.index", with_roles(Role.ORG_ADMIN),
         order=40, group="work")
