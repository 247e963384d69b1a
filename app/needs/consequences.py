"""What taking a need on and giving it back do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.parsing import SHANGHAI


@consequence("need.claim", _l("Take it on"))
def claim(need) -> str:
    return _("Your organization promises to meet this need by %(day)s; the resident is told "
             "and other organizations no longer see it.",
             day=need.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d"))


@consequence("need.decline", _l("Give it back"))
def decline(need) -> str:
    return _("The need goes back to every organization serving the area, with your reason; "
             "the resident is told.")
