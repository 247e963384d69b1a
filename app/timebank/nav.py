"""Navigation: my time bank for residents and volunteers; the community pool for the bureau."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.glossary import TERMS
from app.navigation import nav_item, with_roles

nav_item(_l("My time bank"), "timebank.mine", with_roles(Role.RESIDENT, Role.VOLUNTEER),
         order=26, group="mine")
nav_item(TERMS["community_pool"].label, "timebank.pool", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=47, group="bureau")
