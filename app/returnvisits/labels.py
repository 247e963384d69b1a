"""Words for how a return visit was made and what it found."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

METHOD = {"phone": _l("By phone"), "doorstep": _l("At the door")}
