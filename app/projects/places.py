"""Shifts (志愿岗位, for volunteers) and service slots (服务名额, for residents): adding,
changing and cancelling them. Both are "places": a time window, a place and a capacity.

Every change that touches capacity first locks the row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite transactions already begin with ``BEGIN IMMEDIATE``), so it cannot
interleave with a sign-up on the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, select, update

from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.projects.models import (
    Project,
    ProjectStatus,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
    SlotBooking,
)
from app.projects.services import ProjectError

Place = Shift | ServiceSlot
MAX_CAPACITY = 10_000
ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


@dataclass
class PlaceData:
    starts_at: datetime
    ends_at: datetime
    place: str
    capacity: int
    required_skills: str = ""
    insurance_required: bool = False
    target_group: str | None = None


def signups_of(place: Place):
    """The sign-up model and its foreign key column for a shift or a slot."""
    if isinstance(place, Shift):
        return ShiftSignup, ShiftSignup.shift_id
    return SlotBooking, SlotBooking.slot_id


@cache
def _locking(model: type[Place]) -> Select:
    return (select(model).where(model.id == bindparam("id")).with_for_update()
            .execution_options(populate_existing=True))


def lock(model: type[Place], place_id: int) -> Place:
    """Load a shift or slot with a row lock, fresh from the database."""
    return db.session.scalars(_locking(model), {"id": place_id}).one()


def validate(project: Project, data: PlaceData, new: bool) -> None:
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.CANCELLED):
        raise ProjectError(_l("A closed or cancelled project can no longer be changed."))
    if data.ends_at <= data.starts_at:
        raise ProjectError(_l("The end time must be after the start time."))
    if new and data.starts_at <= utcnow():
        raise ProjectError(_l("A new shift or slot must start in the future."))
    if not (data.place or "").strip():
        raise ProjectError(_l("Please say where it takes place."))
    if not 1 <= data.capacity <= MAX_CAPACITY:
        raise ProjectError(_l("The number of places must be between 1 and %(max)s.", max=MAX_CAPACITY))
    if data.target_group and data.target_group not in project.target_groups:
        raise ProjectError(_l("A slot can only be reserved to one of the project's target groups."))


def _apply(place: Place, data: PlaceData) -> None:
    place.starts_at, place.ends_at = data.starts_at, data.ends_at
    place.place, place.capacity = data.place.strip(), data.capacity
    if isinstance(place, Shift):
        place.required_skills = (data.required_skills or "").strip()[:200]
        place.insurance_required = bool(data.insurance_required)
    else:
        place.target_group = data.target_group or None


def new(project: Project, model: type[Place], data: PlaceData, **keys) -> Place:
    """A new shift or slot, checked and added to the session (the caller flushes)."""
    validate(project, data, new=True)
    place = model(tenant_id=project.tenant_id, org_id=project.org_id, project=project, **keys)
    _apply(place, data)
    db.session.add(place)
    return place


def add_shift(project: Project, data: PlaceData) -> Shift:
    shift = new(project, Shift, data)
    db.session.flush()
    if project.status == ProjectStatus.PUBLISHED:  # volunteers who asked are told of it
        from app.marketplace.match_notices import announce

        announce(shift)
    return shift


def add_slot(project: Project, data: PlaceData) -> ServiceSlot:
    slot = new(project, ServiceSlot, data)
    db.session.flush()
    return slot


def change(place: Place, data: PlaceData, tell: bool = True) -> Place:
    """Change time, place or capacity. Capacity never drops below the confirmed places;
    more capacity promotes people from the waitlist in order. Everyone on it is told of a
    new time or place (unless ``tell`` is False: the caller tells them once for many)."""
    from app.projects import signups

    place = lock(type(place), place.id)
    if place.is_cancelled:
        raise ProjectError(_l("This shift or slot has been cancelled."))
    validate(place.project, data, new=False)
    if data.capacity < place.confirmed_count:
        raise ProjectError(_l("The capacity cannot be lower than the %(n)s places already confirmed.",
                              n=place.confirmed_count))
    moved = (data.starts_at, data.ends_at, data.place.strip()) != (
        place.starts_at, place.ends_at, place.place)
    _apply(place, data)
    db.session.flush()
    signups.fill_from_waitlist(place)
    if moved and tell:
        _tell_everyone(place, _l("Changed: %(project)s", project=place.project.name),
                       _l("The time or place has changed. Please check the details."))
    return place


def cancel_place(place: Place, reason: str, notify_project: Project | None = None,
                 tell: bool = True) -> Place:
    """Cancel a shift or slot: its sign-ups end and everyone on it is told (unless ``tell``
    is False: the caller tells them once for many)."""
    place = lock(type(place), place.id)
    if place.is_cancelled:
        raise ProjectError(_l("This shift or slot has been cancelled."))
    project = notify_project or place.project
    if tell:
        _tell_everyone(place, _l("Cancelled: %(project)s", project=project.name),
                       _l("Reason: %(reason)s", reason=reason) if reason else "")
    model, fk = signups_of(place)
    if model is SlotBooking:  # credits paid for its bookings go back (时间银行)
        from app.timebank.services import refund

        for booking in db.session.scalars(select(SlotBooking).where(
                fk == place.id, SlotBooking.status.in_(ACTIVE))):
            refund(booking, by=None, approver=f"org:{place.org_id}")
    db.session.execute(update(model).where(fk == place.id, model.status.in_(ACTIVE))
                       .values(status=SignupStatus.CANCELLED, cancelled_at=utcnow())
                       .execution_options(synchronize_session=False))
    place.confirmed_count, place.cancelled_at = 0, utcnow()
    db.session.flush()
    return place


def people_on(place: Place) -> list:
    """Everyone with a confirmed place or on the waitlist."""
    from app.auth.models import User

    model, fk = signups_of(place)
    return list(db.session.scalars(select(User).join(model, model.user_id == User.id).where(
        fk == place.id, model.status.in_(ACTIVE))))


def _tell_everyone(place: Place, title, body) -> None:
    from app.projects.signups import place_link

    for user in people_on(place):
        notify(user, title, body, link=place_link(place), tenant_id=place.tenant_id)
