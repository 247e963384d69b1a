"""A project, a service slot or a volunteer shift set up for a resident's need (需求) that the
organization took on: filled in from the need, linked back to it once saved. The project and
place forms and services do the checking; this module only fills them in and links."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField

from app.db import utcnow
from app.extensions import db
from app.privacy import mask_name
from app.projects.forms import ShiftForm, SlotForm
from app.projects.models import ProjectStatus
from app.service.hours import local_date
from app.tenancy.scoping import get_or_404

#: The hour a place set up for a need starts at, and how long it lasts, when the need does
#: not say (the organization changes them on the form).
START, LENGTH = time(9, 0), timedelta(hours=1)


class LinkError(ValueError):
    """The place could not be linked to the need (or the resident not booked onto it)."""


class NeedSlotForm(SlotForm):
    """The slot form, with booking the resident the need is for when they may be booked for."""

    book_resident = BooleanField(_l("Book the resident onto this slot"), default=True)


def need_for(org_id: int):
    """The need a project, slot or shift is being set up for (``?need=``): one this
    organization took on and still holds; any other answers 404."""
    from app.needs.models import Need, NeedStatus

    need_id = request.args.get("need", type=int)
    if need_id is None:
        return None
    need = get_or_404(Need, need_id)
    if need.claimed_org_id != org_id or need.status != NeedStatus.CLAIMED:
        abort(404)
    return need


def bookable_profile(need, project):
    """The resident's record when the organization may book them onto a slot for the need:
    the need was posted for them by someone else (代填), they are on the roll with their
    consent to be acted for recorded (代办), and the project is open for booking."""
    from app.residents.models import ResidentProfile

    if not (need.on_behalf and need.resident_id) or project.status != ProjectStatus.PUBLISHED:
        return None
    profile = db.session.scalar(select(ResidentProfile).where(
        ResidentProfile.tenant_id == need.tenant_id, ResidentProfile.user_id == need.resident_id))
    return profile if profile is not None and profile.consent_at is not None else None


def place_form(kind: str, need, project):
    """The empty shift or slot form for ``need`` (None: the plain one)."""
    if need is None:
        return (ShiftForm if kind == "shift" else SlotForm)()
    if kind == "shift":
        return ShiftForm()
    form = NeedSlotForm()
    if bookable_profile(need, project) is None:
        del form.book_resident
    else:
        form.book_resident.label.text = _l(
            "Book %(name)s onto this slot (the resident agreed to be booked for)",
            name=mask_name(need.resident_name))
    return form


def fill_place(form, kind: str, need, project) -> None:
    """Fill a new shift or slot in from the need: its day (or tomorrow), an hour from 9:00,
    its community as the place, one place, and for a slot the need's group when the project
    serves it."""
    day = need.wanted_on if need.wanted_on and need.wanted_on > local_date(utcnow()) else (
        local_date(utcnow()) + timedelta(days=1))
    form.day.data, form.start.data = day, START
    form.end.data = (datetime.combine(day, START) + LENGTH).time()
    form.place.data, form.capacity.data = need.area.name, 1
    if kind == "slot" and need.target_group in (project.target_groups or []):
        form.target_group.data = need.target_group


def link_place(need, kind: str, place, project, user, form) -> str:
    """Link the saved place to the need, booking the resident onto a slot when asked and
    allowed; returns the kind of link made."""
    from app.needs.services import NeedError
    from app.residents.services import ResidentError

    try:
        return _link(need, kind, place, project, user, form)
    except (NeedError, ResidentError) as exc:
        raise LinkError(str(exc)) from exc


def _link(need, kind: str, place, project, user, form) -> str:
    from app.needs import services as needs
    from app.residents import services as residents

    if kind == "shift":
        needs.arrange(need, user, {project.org_id}, "shift", place.id)
        return "shift"
    profile = bookable_profile(need, project)
    if profile is not None and "book_resident" in form and form.book_resident.data:
        booking = residents.book_for(profile, place, user)
        needs.arrange(need, user, {project.org_id}, "booking", booking.id)
        return "booking"
    needs.arrange(need, user, {project.org_id}, "slot", place.id)
    return "slot"
