"""A person's calendar feed (日历订阅): a private address a calendar app reads now and then,
answered with an iCalendar file of their shifts and bookings as they are at that moment.

The address holds a random secret; only its SHA-256 is kept (``CalendarFeed``). A new
address replaces the old, which then answers 404 like any made-up one; stopping the feed
removes it. The feed covers every district the person takes part in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from app.auth.models import User, secret_hash
from app.db import utcnow
from app.extensions import db
from app.marketplace import calendar
from app.orgs.models import Organization
from app.personal.models import CalendarFeed
from app.projects.models import (
    Project,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
    SlotBooking,
)
from app.tenancy.models import Tenant

#: Past dates the feed still carries, so a calendar keeps the recent ones.
KEPT = timedelta(days=90)
#: A random secret of 32 bytes, written in URL-safe base64 (43 characters).
SECRET_BYTES = 32


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def issue(user: User) -> str:
    """A new address for ``user``'s feed; the one before, if any, stops working. The
    secret is returned this once (the page shows the address built from it)."""
    secret = secrets.token_urlsafe(SECRET_BYTES)
    feed = feed_of(user)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token_hash=secret_hash(secret))
        db.session.add(feed)
    else:
        feed.token_hash, feed.created_at = secret_hash(secret), utcnow()
    db.session.flush()
    return secret


def stop(user: User) -> None:
    """No feed any more: the address answers 404."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))


def owner(secret: str) -> User | None:
    """Whose feed ``secret`` opens (an active account), or None."""
    if not secret or len(secret) > 100:
        return None
    return db.session.scalar(select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                             .where(CalendarFeed.token_hash == secret_hash(secret),
                                    User.active.is_(True)))


def _rows(user: User, model, place_model, statuses):
    fk = model.slot_id if model is SlotBooking else model.shift_id
    return db.session.execute(
        select(model, place_model, Project.name, Organization.name, Tenant.slug)
        .join(place_model, place_model.id == fk)
        .join(Project, Project.id == place_model.project_id)
        .join(Organization, Organization.id == Project.org_id)
        .join(Tenant, Tenant.id == model.tenant_id)
        .where(model.user_id == user.id, model.status.in_(statuses),
               place_model.cancelled_at.is_(None), place_model.ends_at > utcnow() - KEPT)
        .order_by(place_model.starts_at, place_model.id)).all()


def ics(user: User, host: str, base_url: str, name: str, waitlist_word: str) -> str:
    """The feed's text: shifts signed up for (a waitlisted one as tentative, its title
    marked with ``waitlist_word``) and confirmed bookings, in Beijing time."""
    events = []
    kinds = ((ShiftSignup, Shift, (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)),
             (SlotBooking, ServiceSlot, (SignupStatus.CONFIRMED,)))
    for model, place_model, statuses in kinds:
        for row, place, project, org, slug in _rows(user, model, place_model, statuses):
            waiting = row.status == SignupStatus.WAITLISTED
            events.append(calendar.vevent(
                uid=f"{model.__name__.lower()}-{row.id}@{host}", starts_at=place.starts_at,
                ends_at=place.ends_at, summary=f"{waitlist_word}{project}" if waiting else project,
                location=place.place, description=org,
                url=f"{base_url}/t/{slug}/projects/{place.project_id}",
                status="TENTATIVE" if waiting else "CONFIRMED"))
    header = (f"X-WR-CALNAME:{calendar.escape(name)}", "X-WR-TIMEZONE:Asia/Shanghai",
              "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H")
    return calendar.calendar(events, header)
