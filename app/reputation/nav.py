"""Navigation: the honour list, for everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.navigation import anyone, nav_item

nav_item(_l("Honour list"), "reputation.honours", anyone, order=75, group="public")
