"""A volunteer signs up for every date of a recurring schedule of shifts at once.

Each date stays a sign-up of its own, made by ``app.projects.signups.sign_up`` with all its
guarantees (the shift's lock, its capacity, overlaps, insurance): a full date puts the
volunteer on that date's waitlist; a date they cannot take is said, and the others are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.projects import signups
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.projects.places import ACTIVE
from app.projects.signups import SignupError
from app.schedules.models import Series, SeriesKind
from app.schedules.services import dates_of


@dataclass
class Joined:
    """What signing up for every date did, date by date."""

    confirmed: list[Shift] = field(default_factory=list)
    #: (shift, place on its waitlist)
    waitlisted: list[tuple[Shift, int]] = field(default_factory=list)
    already: list[Shift] = field(default_factory=list)
    #: (shift, why not)
    refused: list[tuple[Shift, str]] = field(default_factory=list)


def sign_up_all(user: User, series: Series) -> Joined:
    """Sign ``user`` up for each date of ``series`` still to come."""
    if series.kind != SeriesKind.SHIFT or series.is_cancelled:
        raise SignupError(_l("This recurring schedule is not open for sign-up."))
    shifts = dates_of(series)
    if not shifts:
        raise SignupError(_l("No date of this schedule is still to come."))
    held = set(db.session.scalars(select(ShiftSignup.shift_id).where(
        ShiftSignup.user_id == user.id, ShiftSignup.shift_id.in_([s.id for s in shifts]),
        ShiftSignup.status.in_(ACTIVE))))
    joined = Joined()
    for shift in shifts:
        if shift.id in held:
            joined.already.append(shift)
            continue
        try:
            row = signups.sign_up(user, shift)
        except SignupError as exc:
            joined.refused.append((shift, str(exc)))
            continue
        if row.status == SignupStatus.CONFIRMED:
            joined.confirmed.append(shift)
        else:
            joined.waitlisted.append((shift, row.queue_position))
    if joined.refused and not (joined.confirmed or joined.waitlisted or joined.already):
        raise SignupError(joined.refused[0][1])
    return joined
