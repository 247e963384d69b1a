"""The foundation's navigation entries; each domain adds its own in its ``nav.py``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, with_roles


def _not_volunteer(user, tenant) -> bool:
    return user is not None and not user.has_role(tenant.id, Role.VOLUNTEER)


nav_item(_l("Home"), "tenancy.home", anyone, order=0)
nav_item(_l("Become a volunteer"), "volunteers.register", _not_volunteer, order=80)
nav_item(_l("My volunteer record"), "volunteers.profile", with_roles(Role.VOLUNTEER), order=81)
nav_item(_l("Areas"), "tenancy.areas", with_roles(Role.BUREAU_OFFICER), order=90)
