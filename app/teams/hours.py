"""Each team member's hours, their own: the organization's coordinator records, from the
shift's start until the record deadline, when each person on the team's sign-up arrived and
left (or that they did not serve), by the same hours rule as everyone's (clipped to the
shift, travel excluded, rounded down to the quarter hour).

A registered member's hours become their own service record (recorded by the coordinator,
verified, with points and stars as any); a named person's stay on their place until they
are linked to an account, and then become a service record of theirs. Once recorded, a
person's hours are changed only by a correction request (``app.service.corrections``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.service import hours
from app.service.models import RecordMethod, ServiceRecord
from app.service.services import record_for, snapshot, verify
from app.teams.models import TeamMember, TeamPlace, TeamSignup, TeamSignupStatus
from app.teams.services import TeamError
from app.teams.signups import holding
from app.tenancy.models import Tenant


@dataclass
class Served:
    """What the coordinator says of one person: arrival and departure, or did not serve."""

    place_id: int
    arrived: datetime | None = None
    left: datetime | None = None
    served: bool = True


def open_for_recording(row: TeamSignup, now: datetime) -> bool:
    shift = row.shift
    tenant = db.session.get(Tenant, row.tenant_id)
    return (row.status == TeamSignupStatus.CONFIRMED and now >= shift.starts_at
            and not hours.is_late(shift.ends_at, tenant.setting("record_deadline_working_days"),
                                  now))


def _minutes(place: TeamPlace, entry: Served) -> tuple[int, datetime | None, datetime | None]:
    shift = place.team_signup.shift
    if not entry.served:
        return 0, None, None
    arrived, left = entry.arrived or shift.starts_at, entry.left or shift.ends_at
    if left <= arrived:
        raise TeamError(_l("%(name)s: the departure must be after the arrival.",
                           name=place.member.display_name))
    return hours.served_minutes(arrived, left, shift.starts_at, shift.ends_at), arrived, left


def record(row: TeamSignup, coordinator: User, entries: list[Served],
           now: datetime | None = None) -> list[TeamPlace]:
    """Record the hours of the people named in ``entries``; each place once."""
    now = now or utcnow()
    if not open_for_recording(row, now):
        raise TeamError(_l("Hours for this team can be recorded from the start of the shift "
                           "until the record deadline; after it, propose them as an hours "
                           "request."), 409)
    places = {p.id: p for p in holding(row)}
    done = []
    for entry in entries:
        place = places.get(entry.place_id)
        if place is None:
            raise TeamError(_l("This person is not on the team's sign-up."), 404)
        if place.recorded_at is not None:
            raise TeamError(_l("%(name)s's hours are already recorded; a change goes through "
                               "a correction request.", name=place.member.display_name), 409)
        minutes, arrived, left = _minutes(place, entry)
        place.minutes, place.recorded_at, place.recorded_by_id = minutes, now, coordinator.id
        member = place.member
        if member.user_id is not None and minutes > 0:
            place.record_id = _service_record(place, member.user, arrived, left, minutes,
                                              coordinator, now).id
        done.append(place)
    db.session.flush()
    return done


def _service_record(place: TeamPlace, user: User, arrived: datetime | None,
                    left: datetime | None, minutes: int, by: User | None,
                    now: datetime) -> ServiceRecord:
    shift = place.team_signup.shift
    if record_for(shift, user.id) is not None:
        raise TeamError(_l("%(name)s already has a record for this shift (the code was "
                           "scanned); a change goes through a correction request.",
                           name=user.name), 409)
    row = ServiceRecord(**snapshot(shift), user_id=user.id, checked_in_at=arrived or shift.starts_at,
                        checked_out_at=left or shift.ends_at, minutes=minutes,
                        method=RecordMethod.COORDINATOR, marked_by_id=by.id if by else None)
    db.session.add(row)
    db.session.flush()
    verify(row, now, approver=by)
    return row


def carry_over(member: TeamMember, user: User, now: datetime) -> list[ServiceRecord]:
    """A named person linked to an account: the hours recorded for them become service
    records of their own (once: a shift they already have a record for is left as is)."""
    places = db.session.scalars(select(TeamPlace).where(
        TeamPlace.member_id == member.id, TeamPlace.record_id.is_(None),
        TeamPlace.minutes > 0)).all()
    made = []
    for place in places:
        if record_for(place.team_signup.shift, user.id) is not None:
            continue
        by = db.session.get(User, place.recorded_by_id) if place.recorded_by_id else None
        row = _service_record(place, user, None, None, place.minutes, by, now)
        place.record_id = row.id
        made.append(row)
    db.session.flush()
    return made


def of_member(member: TeamMember) -> list[TeamPlace]:
    """A person's places on the team's sign-ups with their hours, newest first."""
    return list(db.session.scalars(select(TeamPlace).where(TeamPlace.member_id == member.id)
                                   .order_by(TeamPlace.id.desc())))
