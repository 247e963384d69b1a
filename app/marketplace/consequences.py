"""What cancelling a sign-up does, said before it is done (``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.templating import localtime


@consequence("signup.withdraw", _l("Cancel my sign-up"))
def withdraw(place) -> str:
    return _("Your place on %(when)s at %(place)s goes to the next person on the waitlist. "
             "To come after all, you would have to sign up again.",
             when=localtime(place.starts_at, "%m-%d %H:%M"), place=place.place)


@consequence("booking.cancel", _l("Cancel my booking"))
def cancel_booking(place) -> str:
    return _("Your place on %(when)s at %(place)s goes to the next person on the waitlist. "
             "To come after all, you would have to book again.",
             when=localtime(place.starts_at, "%m-%d %H:%M"), place=place.place)
