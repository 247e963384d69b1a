"""A wish taken on in person (微心愿): the resident and the volunteer reach each other. Each
may let the other see their own mobile number, for this claim only, and take it back; nobody
else ever sees it (not other volunteers, not organizations, not the bureau's pages). The other
side is told in the inbox, without the number in the message (copies may go by text or
email)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.needs.models import Need, NeedStatus
from app.needs.services import NeedError

RESIDENT, VOLUNTEER = "resident", "volunteer"
#: While the wish is in hand or waiting for the resident's confirmation.
REACHABLE = (NeedStatus.CLAIMED, NeedStatus.MET)


def side(need: Need, user: User | None) -> str | None:
    """Which side of a wish taken on in person ``user`` is on: the resident (with their own
    account), the volunteer who took it on, or neither."""
    if user is None or need.claimed_volunteer_id is None or need.status not in REACHABLE:
        return None
    if need.claimed_volunteer_id == user.id:
        return VOLUNTEER
    if need.resident_id is not None and need.resident_id == user.id:
        return RESIDENT
    return None


def _field(which: str) -> str:
    return "resident_shares_phone_at" if which == RESIDENT else "volunteer_shares_phone_at"


def sharing(need: Need, which: str) -> bool:
    return getattr(need, _field(which)) is not None


def other_side(which: str) -> str:
    return VOLUNTEER if which == RESIDENT else RESIDENT


def share(need: Need, user: User, now: datetime | None = None) -> str:
    """``user`` lets the other side see their mobile number; returns their side."""
    which = side(need, user)
    if which is None:
        raise NeedError(_("Only the resident and the volunteer who took this wish on can do "
                          "this."), 403)
    if not user.phone:
        raise NeedError(_("Your account has no mobile number to show. Add one on your "
                          "account page first."))
    if not sharing(need, which):
        setattr(need, _field(which), now or utcnow())
        db.session.flush()
        _tell(need, which)
    return which


def withdraw(need: Need, user: User) -> str:
    """``user`` stops showing their mobile number to the other side."""
    which = side(need, user)
    if which is None:
        raise NeedError(_("Only the resident and the volunteer who took this wish on can do "
                          "this."), 403)
    setattr(need, _field(which), None)
    db.session.flush()
    return which


def shown_to(need: Need, viewer: User | None) -> tuple[str, str] | None:
    """(whose, number): the mobile number ``viewer`` may see on the wish, if any: the other
    side's, once the other side let them."""
    which = side(need, viewer)
    if which is None:
        return None
    other = other_side(which)
    if not sharing(need, other):
        return None
    person = need.claimed_volunteer if other == VOLUNTEER else need.resident
    if person is None or not person.phone or not person.active:
        return None
    return other, person.phone


def _tell(need: Need, which: str) -> None:
    from app.needs.messages import link_of
    from app.notifications.services import notify

    if which == RESIDENT:
        to = need.claimed_volunteer
        title = _l("The resident of the wish you took on lets you see their mobile number")
    else:
        to = need.resident
        title = _l("Volunteer %(name)s lets you see their mobile number",
                   name=need.claimed_volunteer.name)
    if to is None:
        return
    notify(to, title, _l("Open the wish to see it and call."), link=link_of(need),
           tenant_id=need.tenant_id, email=False)
