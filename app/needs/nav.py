"""Navigation: my needs for residents, the needs queue for organizations, unmet needs for
the bureau, and the wish walls for everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, with_roles

nav_item(_l("My needs"), "needs.mine", with_roles(Role.RESIDENT, Role.VOLUNTEER), order=21,
         group="mine")
nav_item(_l("Residents' needs"), "needs.queue", with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR),
         order=30, group="work")
nav_item(_l("Unmet needs"), "needs.overview_page", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=41, group="bureau")
nav_item(_l("Wish walls"), "needs.walls", anyone, order=78, group="public")
