"""What passing on a resident's confirmation does, said before it is done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("resident.confirm_for", _l("The resident received this service"))
def confirmed_for(booking) -> str:
    from app.auth.models import User
    from app.extensions import db

    person = db.session.get(User, booking.user_id) if booking is not None else None
    return _("You record, in your name, that %(name)s told you they received this service. "
             "The organization and the civil affairs bureau see it, and the bureau may visit "
             "to ask how it went. This cannot be undone.", name=person.name if person else "")
