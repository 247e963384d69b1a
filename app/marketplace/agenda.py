"""A person's coming sign-ups and the open places that suit them: what the workbench shows a
resident (bookings, services to book near home) and a volunteer (shifts, shifts to take).

Each function answers with an exact count and the first few rows, in one query.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, literal, or_, select

from app.db import first_rows
from app.extensions import db
from app.projects.models import (
    Project,
    ProjectStatus,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
    SlotBooking,
)
from app.tenancy.models import Area

#: How far ahead open places are offered.
AHEAD = timedelta(days=30)
#: The level of the area tree that is a person's neighbourhood (domain.md: 社区).
COMMUNITY = "社区"
_SKILL_SPLIT = re.compile(r"[\s,，、;；/]+")

HOLDING = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


def next_bookings(tenant_id: int, user_id: int, now: datetime, limit: int = 3):
    """The resident's bookings (confirmed or waiting) of slots not over yet, soonest first:
    ``(count, [(booking, slot, project)])``."""
    return first_rows(
        select(SlotBooking, ServiceSlot, Project)
        .join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
        .join(Project, Project.id == ServiceSlot.project_id)
        .where(SlotBooking.tenant_id == tenant_id, SlotBooking.user_id == user_id,
               SlotBooking.status.in_(HOLDING), ServiceSlot.cancelled_at.is_(None),
               ServiceSlot.ends_at > now)
        .order_by(ServiceSlot.starts_at, ServiceSlot.id), limit)


def next_shifts(tenant_id: int, user_id: int, now: datetime, limit: int = 3):
    """The volunteer's shifts (confirmed or waiting) not over yet, soonest first:
    ``(count, [(signup, shift, project)])``."""
    return first_rows(
        select(ShiftSignup, Shift, Project)
        .join(Shift, Shift.id == ShiftSignup.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(ShiftSignup.tenant_id == tenant_id, ShiftSignup.user_id == user_id,
               ShiftSignup.status.in_(HOLDING), Shift.cancelled_at.is_(None),
               Shift.ends_at > now)
        .order_by(Shift.starts_at, Shift.id), limit)


def home_area(tenant_id: int, user_id: int) -> Area | None:
    """Where a person lives, as far as we know: the area of their volunteer record, else the
    area of the project they last booked."""
    from app.volunteers.models import VolunteerProfile

    area_id = db.session.scalar(select(VolunteerProfile.area_id).where(
        VolunteerProfile.tenant_id == tenant_id, VolunteerProfile.user_id == user_id))
    if area_id is None:
        area_id = db.session.scalar(
            select(Project.area_id).join(ServiceSlot, ServiceSlot.project_id == Project.id)
            .join(SlotBooking, SlotBooking.slot_id == ServiceSlot.id)
            .where(SlotBooking.tenant_id == tenant_id, SlotBooking.user_id == user_id,
                   Project.area_id.is_not(None))
            .order_by(SlotBooking.id.desc()).limit(1))
    return db.session.get(Area, area_id) if area_id is not None else None


def _path_ids(area: Area) -> list[int]:
    """``area`` and the areas above it, from its path ("/1/4/9/")."""
    return [int(part) for part in area.path.strip("/").split("/") if part]


def neighbourhood(area: Area) -> Area:
    """The community (社区) ``area`` lies in, or the area itself when none is above it."""
    community = db.session.scalar(
        select(Area).where(Area.id.in_(_path_ids(area)), Area.level == COMMUNITY)
        .order_by(func.length(Area.path).desc()).limit(1))
    return community or area


def _near(home: Area | None):
    """Projects serving the neighbourhood ``home``: placed inside it, above it (a street-wide
    project), or nowhere in particular. No neighbourhood: every project."""
    if home is None:
        return literal(True)
    above = _path_ids(home)
    inside = select(Area.id).where(Area.tenant_id == home.tenant_id,
                                   Area.path.startswith(home.path))
    return or_(Project.area_id.is_(None), Project.area_id.in_(inside),
               Project.area_id.in_(above))


def _open(model, now: datetime):
    return and_(model.cancelled_at.is_(None), model.starts_at > now,
                model.starts_at <= now + AHEAD, model.confirmed_count < model.capacity,
                Project.status == ProjectStatus.PUBLISHED)


def slots_near(tenant_id: int, user_id: int | None, home: Area | None, now: datetime,
               limit: int = 4):
    """Service slots with places left in the next 30 days, for projects serving the person's
    neighbourhood ``home`` (see ``neighbourhood``), that they have not booked (a visitor:
    ``user_id`` None): ``(count, [(slot, project)])``."""
    stmt = (select(ServiceSlot, Project).join(Project, Project.id == ServiceSlot.project_id)
            .where(ServiceSlot.tenant_id == tenant_id, _open(ServiceSlot, now), _near(home)))
    if user_id is not None:
        stmt = stmt.where(~exists().where(SlotBooking.slot_id == ServiceSlot.id,
                                          SlotBooking.user_id == user_id,
                                          SlotBooking.status.in_(HOLDING)))
    return first_rows(stmt.order_by(ServiceSlot.starts_at, ServiceSlot.id), limit)


def skills_of(text: str) -> list[str]:
    return [s for s in _SKILL_SPLIT.split(text or "") if s][:10]


def shifts_for(tenant_id: int, user_id: int | None, home: Area | None, skills: list[str] | None,
               now: datetime, limit: int = 4):
    """Shifts with places left in the next 30 days that the volunteer may take: no skill
    asked, or one of theirs; a project serving their neighbourhood ``home``; not already
    theirs. A visitor (``user_id`` None, ``skills`` None) sees every open shift.
    ``(count, [(shift, project)])``."""
    stmt = (select(Shift, Project).join(Project, Project.id == Shift.project_id)
            .where(Shift.tenant_id == tenant_id, _open(Shift, now), _near(home)))
    if skills is not None:
        stmt = stmt.where(or_(Shift.required_skills == "",
                              *[Shift.required_skills.contains(s, autoescape=True)
                                for s in skills]))
    if user_id is not None:
        stmt = stmt.where(~exists().where(ShiftSignup.shift_id == Shift.id,
                                          ShiftSignup.user_id == user_id,
                                          ShiftSignup.status.in_(HOLDING)))
    return first_rows(stmt.order_by(Shift.starts_at, Shift.id), limit)
