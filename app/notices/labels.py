"""Words for the codes of community notices and of residents' choices about them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {"sending": _l("Sending…"), "sent": _l("Sent")}
CHOICE_HOW = {"self": _l("By themselves"), "link": _l("By the stop link in a message"),
              "staff": _l("Recorded by staff for them")}
