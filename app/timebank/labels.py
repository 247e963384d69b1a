"""Words for time-bank movements, as a resident reads them on their phone."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.glossary import TERMS
from app.privacy import mask_name

KIND = {"deposit": _l("Hours deposited"), "donation": _l("Given to the community pool"),
        "gift_out": _l("Given away"), "gift_in": _l("Gift received"),
        "payment": _l("Paid for a service"), "refund": _l("Paid back"),
        "reversal": _l("Correction")}
POOL = TERMS["community_pool"].label


def names_for(entries) -> tuple[dict, dict]:
    """The people and organizations the entries name, by id, in two queries."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db
    from app.orgs.models import Organization

    user_ids = {e.counterpart_id for e in entries if e.counterpart_id}
    org_ids = {e.org_id for e in entries if e.org_id}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    orgs = {o.id: o for o in db.session.scalars(
        select(Organization).where(Organization.id.in_(org_ids)))}
    return users, orgs


def say(entry, users: dict, orgs: dict) -> str:
    """One movement in plain words: what happened, with whom or for what."""
    other = users.get(entry.counterpart_id)
    who = mask_name(other.name) if other else str(POOL)
    org = orgs[entry.org_id].name if entry.org_id in orgs else ""
    if entry.kind == "deposit":
        return _("Served: %(activity)s (%(org)s)", activity=entry.memo, org=org)
    if entry.kind == "donation":
        return _("%(name)s served above the cap: %(activity)s", name=who, activity=entry.memo)
    if entry.kind == "gift_out":
        return _("Given to %(name)s", name=who)
    if entry.kind == "gift_in":
        return _("Received from %(name)s", name=who)
    if entry.kind == "payment":
        return _("Paid for %(service)s (%(org)s)", service=entry.memo, org=org)
    if entry.kind == "refund":
        return _("Booking cancelled, paid back: %(service)s", service=entry.memo)
    return _("Hours corrected: %(activity)s", activity=entry.memo)
