"""Navigation: the public disclosure pages, for everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.navigation import anyone, nav_item

nav_item(_l("Public disclosure"), "disclosure.index", anyone, order=70, group="public")
