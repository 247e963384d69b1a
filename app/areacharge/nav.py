"""Navigation: 我负责的片区, first in the bureau's menu for the officers in charge of areas."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.navigation import nav_item


def _in_charge(user, tenant) -> bool:
    from app.permissions import can

    return user is not None and can("areacharge.view", tenant, user=user)


nav_item(_l("My areas"), "areacharge.page", _in_charge, order=12, group="bureau")
