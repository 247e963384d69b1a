"""Navigation: return visits for the bureau and auditors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

nav_item(_l("Return visits"), "returnvisits.index", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=64, group="oversight")
