"""Funding entries in the menu, by role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, org_staff, with_roles

nav_item(_l("Funding"), "funding.index", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR), order=30)
nav_item(_l("Approvals"), "funding.approvals", with_roles(Role.BUREAU_OFFICER), order=31)
nav_item(_l("Funding and spending"), "funding.mine", org_staff, order=32)
nav_item(_l("My points"), "funding.points", with_roles(Role.VOLUNTEER), order=33)
nav_item(_l("Oversight"), "funding.oversight", with_roles(Role.OVERSEER), order=34)
nav_item(_l("Public notices"), "funding.notices", anyone, order=60)
nav_item(_l("Published contracts"), "funding.public_contracts", anyone, order=61)
