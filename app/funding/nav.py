"""Funding entries in the menu, by role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, org_staff, with_roles

nav_item(_l("My points"), "funding.points", with_roles(Role.VOLUNTEER), order=25, group="mine")
nav_item(_l("Funding and spending"), "funding.mine", org_staff, order=32, group="work")
nav_item(_l("Funding"), "funding.index", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR), order=50,
         group="money")
nav_item(_l("Approvals"), "funding.approvals", with_roles(Role.BUREAU_OFFICER), order=51,
         group="money")
nav_item(_l("Oversight"), "funding.oversight", with_roles(Role.OVERSEER), order=60,
         group="oversight")
nav_item(_l("Public notices"), "funding.notices", anyone, order=72, group="public")
nav_item(_l("Published contracts"), "funding.public_contracts", anyone, order=73, group="public")
