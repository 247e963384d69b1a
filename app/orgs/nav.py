"""Menu entries for organizations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, org_staff, with_roles


def _staff_or_invited(user, tenant) -> bool:
    if user is None:
        return False
    if org_staff(user, tenant):
        return True
    from app.orgs.staff import invitations_for

    return bool(invitations_for(user, tenant))


nav_item(_l("My organizations"), "orgs.mine", _staff_or_invited, order=30, group="work")
nav_item(_l("Verify organizations"), "orgs.queue", with_roles(Role.BUREAU_OFFICER), order=41,
         group="bureau")
nav_item(_l("Organizations"), "orgs.directory", anyone, order=71, group="public")
