"""Navigation entries of the service domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, with_roles

nav_item(_l("Services I received"), "service.received", with_roles(Role.RESIDENT), order=22,
         group="mine")
nav_item(_l("My service record"), "service.dashboard", with_roles(Role.VOLUNTEER), order=24,
         group="mine")
nav_item(_l("Attendance and hours"), "service.staff_home",
         with_roles(Role.ORG_ADMIN, Role.ORG_COORDINATOR), order=31, group="work")
nav_item(_l("Late records"), "service.late_requests", with_roles(Role.BUREAU_OFFICER), order=42,
         group="bureau")
nav_item(_l("Service feedback"), "service.feedback_overview",
         with_roles(Role.BUREAU_OFFICER, Role.AUDITOR), order=43, group="bureau")
nav_item(_l("Verify a certificate"), "service.verify_form", anyone, order=79, group="public")
