"""Navigation: community notices for the bureau's staff; everyone's notification settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles


def _member(user, tenant) -> bool:
    return user is not None and bool(user.roles_in(tenant.id))


nav_item(_l("Community notices"), "notices.sent", with_roles(Role.BUREAU_OFFICER), order=46,
         group="bureau")
nav_item(_l("Notification settings"), "notices.settings", _member, order=90, group="mine")
