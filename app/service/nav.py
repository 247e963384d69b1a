"""Navigation entries of the service domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("My service"), "service.dashboard", with_roles(Role.VOLUNTEER), order=20)
nav_item(_l("Attendance and hours"), "service.staff_home",
         with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR), order=40)
nav_item(_l("Late records"), "service.late_requests", with_roles(Role.BUREAU_OFFICER), order=41)
