"""Sign-ups: volunteers on shifts, residents in service slots. Never overbooked.

How capacity holds under concurrency, on both backends:

1. the place's row is locked with ``SELECT … FOR UPDATE``; a free place is then taken with
   a conditional ``UPDATE … SET confirmed_count = confirmed_count + 1 WHERE id = :id AND
   confirmed_count < capacity`` (and the place still open), else the person joins the
   waitlist. So sign-ups, withdrawals and promotions on one place happen one after
   another, and the waitlist is written only under the lock. (On SQLite the transaction
   began with ``BEGIN IMMEDIATE`` and already holds the database's write lock.)
2. what concerns the person alone (already signed up, overlapping shifts, insurance) is
   checked before, under a lock on their volunteer record, to keep the place's lock short;
3. the CHECK constraint ``confirmed_count <= capacity`` is the last line.

The waitlist is first-in, first-out by ``queued_at`` (then id); a withdrawal promotes the
first in line in the same transaction and tells them.

Signing up is the busiest write there is (a popular shift opens and everyone comes at
once), and sign-ups to one place pass its lock one at a time: the statements are built
once, with bound parameters, and a new sign-up is a single INSERT that also counts its
place in line.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Insert, Select, Update, and_, bindparam, func, or_, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import capture
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.projects.models import (
    ProjectStatus,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
    SlotBooking,
)
from app.projects.places import ACTIVE, Place, lock, signups_of
from app.templating import SHANGHAI
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile, insured_on

Signup = ShiftSignup | SlotBooking


class SignupError(ValueError):
    """A refusal the user can read."""


def place_link(place: Place) -> str:
    slug = db.session.get(Tenant, place.tenant_id).slug
    return f"/t/{slug}/projects/{place.project_id}"


def local_day(moment: datetime):
    return moment.astimezone(SHANGHAI).date()


def check_open(place: Place) -> None:
    if place.project.status != ProjectStatus.PUBLISHED:
        raise SignupError(_l("This project is not open for sign-up."))
    if place.is_cancelled:
        raise SignupError(_l("This shift or slot has been cancelled."))
    if place.starts_at <= utcnow():
        raise SignupError(_l("This shift or slot has already started or is over."))


@cache
def _taking(model: type[Place]) -> Update:
    return (update(model).where(model.id == bindparam("place_id"), model.confirmed_count < model.capacity,
                                model.cancelled_at.is_(None), model.starts_at > bindparam("now"))
            .values(confirmed_count=model.confirmed_count + 1).returning(model.confirmed_count)
            .execution_options(synchronize_session=False))


def _take_place(place: Place) -> bool:
    """Raise the confirmed count by one if the place is open and not full; False otherwise.
    The caller holds the place's lock; the condition is the last word all the same."""
    count = db.session.execute(_taking(type(place)), {"place_id": place.id, "now": utcnow()}).scalar()
    if count is None:
        return False
    set_committed_value(place, "confirmed_count", count)
    return True


def _existing(place: Place, user: User) -> Signup | None:
    model, fk = signups_of(place)
    return db.session.scalars(select(model).where(fk == place.id, model.user_id == user.id)
                              .execution_options(populate_existing=True)).first()


def _enqueue(place: Place, user: User, row: Signup | None, **extra) -> Signup:
    """Confirm ``user`` if a place is free, else put them at the end of the waitlist.

    The critical section: everything that can be checked is checked before, so the place's
    row stays locked for as few statements as possible: the lock, the count if a place is
    free, the sign-up (with its place in line) and its audit entry, the commit."""
    model, fk = signups_of(place)
    place = lock(type(place), place.id)
    if place.is_cancelled or place.starts_at <= utcnow():  # changed while we checked
        check_open(place)
    confirmed = place.confirmed_count < place.capacity and _take_place(place)
    now = utcnow()
    state = {"status": SignupStatus.CONFIRMED if confirmed else SignupStatus.WAITLISTED,
             "queued_at": now, "confirmed_at": now if confirmed else None, "cancelled_at": None,
             **extra}
    if row is None:
        return _insert(model, tenant_id=place.tenant_id, user_id=user.id, created_at=now,
                       **{fk.key: place.id}, **state)
    for key, value in state.items():
        setattr(row, key, value)
    db.session.flush()
    row.queue_position = waitlist_position(row)
    return row


@cache
def _inserting(model: type[Signup], waitlisted: bool) -> Insert:
    """``INSERT … RETURNING id``; for a waitlisted sign-up, also how many wait ahead of it,
    counted by the same statement: everyone else waiting for the place who joined no later
    (the row being written is left out by its person: one sign-up per person and place)."""
    table = model.__table__
    returning = [table.c.id]
    if waitlisted:
        ahead = table.alias("ahead")
        returning.append(select(func.count()).select_from(ahead).where(
            ahead.c[_place_key(model)] == bindparam("ahead_place"),
            ahead.c.status == SignupStatus.WAITLISTED,
            ahead.c.queued_at <= bindparam("ahead_queued_at"),
            ahead.c.user_id != bindparam("ahead_user")).scalar_subquery().label("ahead"))
    return table.insert().returning(*returning)


def _place_key(model: type[Signup]) -> str:
    """The name of the sign-up's column naming its place."""
    return "slot_id" if model is SlotBooking else "shift_id"


def _insert(model: type[Signup], **values) -> Signup:
    """A new sign-up, written with one INSERT rather than by the unit of work (the place's
    row is locked meanwhile), its audit entry alongside; returned as a row of the session,
    as if just loaded."""
    waitlisted = values["status"] == SignupStatus.WAITLISTED
    params = values | {"ahead_place": values[_place_key(model)],
                       "ahead_queued_at": values["queued_at"], "ahead_user": values["user_id"]}
    written = db.session.connection().execute(_inserting(model, waitlisted), params).one()
    row = model(id=written.id, **values)
    make_transient_to_detached(row)
    db.session.add(row)
    row.queue_position = written.ahead + 1 if waitlisted else None
    capture.created(db.session, row)
    return row


def _refuse_twice(row: Signup | None) -> None:
    if row is not None and row.status == SignupStatus.CONFIRMED:
        raise SignupError(_l("You have already signed up: your place is confirmed."))
    if row is not None and row.status == SignupStatus.WAITLISTED:
        raise SignupError(_l("You have already signed up: you are on the waitlist."))


#: The person's sign-up on a shift (any state) and their other live sign-ups at the same time.
_OWN_AROUND = (select(ShiftSignup.id, ShiftSignup.shift_id)
               .join(Shift, ShiftSignup.shift_id == Shift.id)
               .where(ShiftSignup.tenant_id == bindparam("tenant_id"),
                      ShiftSignup.user_id == bindparam("user_id"),
                      or_(ShiftSignup.shift_id == bindparam("shift_id"),
                          and_(ShiftSignup.status.in_(ACTIVE), Shift.cancelled_at.is_(None),
                               Shift.starts_at < bindparam("ends_at"),
                               Shift.ends_at > bindparam("starts_at")))))


def own_around(user: User, shift: Shift) -> tuple[ShiftSignup | None, Shift | None]:
    """In one query: the person's sign-up on ``shift`` (any state), and another shift of
    theirs (confirmed or waitlisted) at the same time. Only ids are read; the rows are
    loaded when there is one."""
    rows = db.session.execute(_OWN_AROUND, {
        "tenant_id": shift.tenant_id, "user_id": user.id, "shift_id": shift.id,
        "starts_at": shift.starts_at, "ends_at": shift.ends_at}).all()
    own = next((db.session.get(ShiftSignup, r.id, populate_existing=True)
                for r in rows if r.shift_id == shift.id), None)
    clash = next((db.session.get(Shift, r.shift_id) for r in rows if r.shift_id != shift.id), None)
    return own, clash


#: The volunteer's record, locked (one sign-up at a time per person): their insurance.
_PROFILE = (select(VolunteerProfile.insurance_policy, VolunteerProfile.insurance_expires)
            .where(VolunteerProfile.tenant_id == bindparam("tenant_id"),
                   VolunteerProfile.user_id == bindparam("user_id"))
            .with_for_update())


def sign_up(user: User, shift: Shift) -> ShiftSignup:
    """A volunteer takes a place on a shift, or joins its waitlist when it is full."""
    # The volunteer's own row first (one sign-up at a time per person: no two overlapping
    # shifts, no double sign-up slip in side by side), then, briefly, the shift's row.
    profile = db.session.execute(_PROFILE, {"tenant_id": shift.tenant_id, "user_id": user.id}).first()
    if profile is None:
        raise SignupError(_l("Please register as a volunteer before signing up for shifts."))
    check_open(shift)
    row, clash = own_around(user, shift)
    _refuse_twice(row)
    if shift.insurance_required and not insured_on(
            profile.insurance_policy, profile.insurance_expires, local_day(shift.starts_at)):
        raise SignupError(_l("This activity carries personal risk and needs accident insurance: "
                             "record a policy valid on the day in your volunteer record first."))
    if clash is not None:
        raise SignupError(_l("You already have a shift at that time: %(project)s, %(when)s.",
                             project=clash.project.name, when=local_when(clash)))
    return _enqueue(shift, user, row)


def book(user: User, slot: ServiceSlot, declared_group: str | None = None, *,
         proxy: User | None = None) -> SlotBooking:
    """A resident takes a place in a service slot, or joins its waitlist; ``proxy`` is the
    staff member booking on their behalf (代办), recorded on the booking."""
    check_open(slot)
    if slot.target_group and declared_group != slot.target_group:
        raise SignupError(_l("This slot is reserved for %(group)s. Please confirm that you belong "
                             "to this group; the organization checks it at the service.",
                             group=slot.target_group))
    slot = lock(ServiceSlot, slot.id)  # residents have no row of their own to lock: the slot's
    row = _existing(slot, user)
    _refuse_twice(row)
    return _enqueue(slot, user, row, declared_group=slot.target_group,
                    proxy_id=proxy.id if proxy else None)


def local_when(place: Place) -> str:
    """``2026-12-08 09:00–10:30``, Beijing time."""
    start = place.starts_at.astimezone(SHANGHAI)
    return f"{start:%Y-%m-%d %H:%M}–{place.ends_at.astimezone(SHANGHAI):%H:%M}"


def cancel_deadline(place: Place) -> datetime:
    return place.starts_at - timedelta(hours=place.project.cancel_deadline_hours)


def withdraw(row: Signup) -> Signup:
    """The person gives up their place (until the project's deadline) or leaves the waitlist.
    A freed place goes to the first in line."""
    place = lock(ServiceSlot if isinstance(row, SlotBooking) else Shift,
                 getattr(row, _place_key(type(row))))
    was_full = place.remaining == 0
    db.session.refresh(row)
    if row.status == SignupStatus.CANCELLED:
        raise SignupError(_l("This sign-up has already been cancelled."))
    now = utcnow()
    if row.status == SignupStatus.CONFIRMED:
        if now > cancel_deadline(place):
            raise SignupError(_l("Cancellation closed %(hours)s hours before the start. "
                                 "Please contact the organizer.",
                                 hours=place.project.cancel_deadline_hours))
        model = type(place)
        db.session.execute(update(model).where(model.id == place.id)
                           .values(confirmed_count=model.confirmed_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.refresh(place, ["confirmed_count"])
    elif place.starts_at <= now:
        raise SignupError(_l("This shift or slot has already started or is over."))
    row.status, row.cancelled_at = SignupStatus.CANCELLED, now
    db.session.flush()
    if isinstance(row, SlotBooking):  # credits paid for it go back (时间银行)
        from app.timebank.services import refund

        refund(row, by=db.session.get(User, row.user_id), now=now)
    fill_from_waitlist(place)
    if isinstance(place, Shift):  # volunteers who asked are told of the freed place
        from app.marketplace.match_notices import announce_freed

        announce_freed(place, was_full)
    return row


def fill_from_waitlist(place: Place) -> list[Signup]:
    """Give free places to the first people in line (caller holds the place's lock)."""
    if place.is_cancelled or place.starts_at <= utcnow():
        return []
    model, fk = signups_of(place)
    free = place.capacity - place.confirmed_count
    if free <= 0:
        return []
    waiting = db.session.scalars(select(model).where(fk == place.id,
                                                     model.status == SignupStatus.WAITLISTED)
                                 .order_by(model.queued_at, model.id).limit(free)).all()
    promoted = []
    for row in waiting:
        if not _take_place(place):
            break
        row.status, row.confirmed_at = SignupStatus.CONFIRMED, utcnow()
        promoted.append(row)
        notify(db.session.get(User, row.user_id),
               _l("You have a place: %(project)s", project=place.project.name),
               _l("A place became free and it is yours: %(when)s, %(place)s.",
                  when=local_when(place), place=place.place),
               link=place_link(place), tenant_id=place.tenant_id)
    db.session.flush()
    return promoted


@cache
def _ahead(model: type[Signup]) -> Select:
    fk = getattr(model, _place_key(model))
    queued_at, row_id = bindparam("queued_at"), bindparam("row_id")
    return select(func.count(model.id)).where(
        fk == bindparam("place_id"), model.status == SignupStatus.WAITLISTED,
        or_(model.queued_at < queued_at, and_(model.queued_at == queued_at, model.id < row_id)))


def waitlist_position(row: Signup) -> int | None:
    """Place in line of a waitlisted sign-up (1 is next); None if it is not waiting."""
    if row.status != SignupStatus.WAITLISTED:
        return None
    model = type(row)
    ahead = db.session.scalar(_ahead(model), {"place_id": getattr(row, _place_key(model)),
                                              "queued_at": row.queued_at, "row_id": row.id})
    return (ahead or 0) + 1


def mine(user: User, tenant: Tenant, model: type[Signup]) -> list[Signup]:
    """A person's sign-ups (not cancelled), soonest first."""
    place_model = ServiceSlot if model is SlotBooking else Shift
    fk = getattr(model, _place_key(model))
    return list(db.session.scalars(select(model).join(place_model, fk == place_model.id).where(
        model.tenant_id == tenant.id, model.user_id == user.id, model.status.in_(ACTIVE))
        .order_by(place_model.starts_at)))


def held_in(project, user: User) -> dict[tuple[str, int], Signup]:
    """The person's live sign-ups on a project's places, by ("ShiftSignup"/"SlotBooking", id)."""
    held = {}
    for model, fk, places_ in ((ShiftSignup, ShiftSignup.shift_id, project.shifts),
                               (SlotBooking, SlotBooking.slot_id, project.slots)):
        ids = [p.id for p in places_]
        if not ids:
            continue
        for row in db.session.scalars(select(model).where(
                fk.in_(ids), model.user_id == user.id, model.status.in_(ACTIVE))):
            held[(model.__name__, getattr(row, fk.key))] = row
    return held


def roster(place: Place) -> list[tuple[Signup, User]]:
    """Who is on a place, confirmed first, then the waitlist in order."""
    return rosters([place])[place]


def rosters(places_: list[Place]) -> dict[Place, list[tuple[Signup, User]]]:
    """``roster`` for many places, with one query per kind of place."""
    found: dict[Place, list[tuple[Signup, User]]] = {p: [] for p in places_}
    for kind in (Shift, ServiceSlot):
        by_id = {p.id: p for p in places_ if isinstance(p, kind)}
        if not by_id:
            continue
        model, fk = signups_of(next(iter(by_id.values())))
        rows = db.session.execute(select(model, User).join(User, User.id == model.user_id).where(
            fk.in_(list(by_id)), model.status.in_(ACTIVE)).order_by(model.queued_at, model.id))
        for row, user in rows:
            found[by_id[getattr(row, fk.key)]].append((row, user))
    for entries in found.values():
        entries.sort(key=lambda ru: ru[0].status != SignupStatus.CONFIRMED)
    return found
