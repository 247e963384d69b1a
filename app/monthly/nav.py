"""Navigation: the public monthly reports for everyone, the bureau's page of them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, org_staff, with_roles

nav_item(_l("Monthly reports"), "monthly.public_index", anyone, order=71, group="public")
nav_item(_l("Monthly reports"), "monthly.bureau", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=63, group="oversight")
nav_item(_l("Monthly reports"), "monthly.mine", org_staff, order=39, group="work")
