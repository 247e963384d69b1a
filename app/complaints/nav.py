"""Navigation: my complaints for residents and volunteers, the complaints queue for
organizations, and the bureau's view of every complaint."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("My complaints"), "complaints.mine", with_roles(Role.RESIDENT, Role.VOLUNTEER),
         order=23, group="mine")
nav_item(_l("Complaints to handle"), "complaints.queue",
         with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR), order=32, group="work")
nav_item(_l("Complaints"), "complaints.overview_page", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=44, group="bureau")
