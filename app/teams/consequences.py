"""What taking someone off a team and cancelling a team's sign-up do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("teams.remove", _l("Take off the team"))
def remove(member) -> str:
    name = member.display_name if member is not None else ""
    return _("%(name)s will no longer be on the team's roster. Shifts already signed up for "
             "stay as they are; the hours they served stay theirs.", name=name)


@consequence("teams.cancel", _l("Cancel the team's sign-up"))
def cancel(row) -> str:
    n = len(row.places) if row is not None else 0
    return _("Every place the team holds on this shift (%(n)s) is freed at once and goes to the "
             "people on the waitlist. Everyone on the team is told.", n=n)
