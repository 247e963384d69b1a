"""Words for the codes of consultations, as residents and staff read them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {"open": _l("Voting open"), "closed": _l("Voting ended, counting"),
          "published": _l("Result published")}
SOURCE = {"paper": _l("Paper ballots"), "meeting": _l("Residents' meeting")}
ONLINE = _l("Online")
RULE = _l("One resident, one vote: choose the one option you most want bought first. "
          "A vote cannot be changed.")
