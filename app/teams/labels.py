"""Words for a team member's standing and a team sign-up's state."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MEMBER_STATUS = {"invited": _l("Invited, no answer yet"), "active": _l("On the team"),
                 "declined": _l("Declined the invitation"), "removed": _l("No longer on the team")}
SIGNUP_STATUS = {"confirmed": _l("Confirmed"), "cancelled": _l("Cancelled")}
