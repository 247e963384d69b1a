"""What marking a no-show and confirming a service received do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("attendance.no_show", _l("Mark as a no-show"))
def no_show(booking) -> str:
    from app.auth.models import User
    from app.extensions import db

    person = db.session.get(User, booking.user_id) if booking is not None else None
    return _("%(name)s is recorded as not having come. The organization's page counts it, "
             "and it cannot be changed afterwards.", name=person.name if person else "")


@consequence("attendance.confirm", _l("I received this service"))
def received(booking) -> str:
    return _("The organization and the civil affairs bureau are told that you received this "
             "service; the bureau may phone you to ask how it went. This cannot be undone.")
