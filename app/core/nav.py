"""The foundation's navigation entries; each domain adds its own in its ``nav.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles


def _resident_not_volunteer(user, tenant) -> bool:
    """Staff are not offered to become volunteers; residents are, until they are one."""
    return (user is not None and user.has_role(tenant.id, Role.RESIDENT)
            and not user.has_role(tenant.id, Role.VOLUNTEER))


def _member(user, tenant) -> bool:
    return user is not None and bool(user.roles_in(tenant.id))


def _not_member(user, tenant) -> bool:
    return not _member(user, tenant)


#: The front page is a member's workbench, everyone else's home page (``app.workbench``).
nav_item(_l("Home"), "tenancy.home", _not_member, order=0)
nav_item(_l("Workbench"), "tenancy.home", _member, order=0)
nav_item(_l("Become a volunteer"), "volunteers.register", _resident_not_volunteer, order=29,
         group="mine")
nav_item(_l("My volunteer record"), "volunteers.profile", with_roles(Role.VOLUNTEER), order=29,
         group="mine")
nav_item(_l("Areas"), "tenancy.areas", with_roles(Role.BUREAU_OFFICER), order=49, group="bureau")
nav_item(_l("People and sign-ins"), "tenancy.people", with_roles(Role.BUREAU_OFFICER), order=50,
         group="bureau")
