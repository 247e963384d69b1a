"""What an officer in charge of areas (``AreaStaff``: 社区 / 街道 staff, grid workers) must do
today in each area they hold and the areas under it: needs late or escalated to them, needs
coming due, needs nobody has taken on, complaints escalated up the area tree and still
unanswered, and residents on the roll who received no service lately. One query per list; each list is short with an
exact count (``first_rows``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, select

from app.attendance.models import SlotAttendance
from app.auth.models import User
from app.complaints.models import WAITING, Complaint, ComplaintEscalation
from app.db import first_rows
from app.needs.models import UNMET, Need, NeedEscalation, NeedStatus
from app.notices.services import staff_areas
from app.residents.models import ResidentProfile
from app.tenancy.models import Area

#: Lines shown per list; the count covers the rest.
SHOWN = 10
#: A need due within this time is "coming due".
COMING_DUE = timedelta(days=2)
#: A resident with no attended service for this long is "without service lately".
QUIET_DAYS = 90


@dataclass
class Listing:
    count: int = 0
    rows: list = field(default_factory=list)


@dataclass
class AreaToday:
    """One area held, with its lists for today."""

    area: Area
    late: Listing
    coming_due: Listing
    unclaimed: Listing
    complaints: Listing
    quiet: Listing

    @property
    def waiting(self) -> int:
        """Things to act on (quiet residents are a prompt, not a task)."""
        return self.late.count + self.coming_due.count + self.unclaimed.count + \
            self.complaints.count


def held_areas(user: User, tenant_id: int) -> list[Area]:
    """The areas ``user`` is in charge of, leaving out one under another they also hold (its
    needs are counted in the higher one)."""
    mine = staff_areas(user, tenant_id)
    return [a for a in mine
            if not any(o.id != a.id and a.path.startswith(o.path) for o in mine)]


def _under(area: Area):
    return select(Area.id).where(Area.tenant_id == area.tenant_id,
                                 Area.path.startswith(area.path, autoescape=True))


def _needs(area: Area, *where):
    return (select(Need).where(Need.tenant_id == area.tenant_id,
                               Need.status.in_([str(s) for s in UNMET]),
                               Need.area_id.in_(_under(area)), *where))


def _listing(stmt) -> Listing:
    count, rows = first_rows(stmt, SHOWN)
    return Listing(count, [row[0] for row in rows])


def late(area: Area, held_ids: list[int], now: datetime) -> Listing:
    """Late needs in the area, and those escalated to one of ``held_ids`` (to this officer)
    first."""
    to_me = exists().where(NeedEscalation.need_id == Need.id,
                           NeedEscalation.area_id.in_(held_ids or [-1]))
    return _listing(_needs(area, or_(Need.due_at < now, to_me))
                    .order_by(to_me.desc(), Need.due_at, Need.id))


def coming_due(area: Area, now: datetime) -> Listing:
    return _listing(_needs(area, Need.due_at >= now, Need.due_at < now + COMING_DUE)
                    .order_by(Need.due_at, Need.id))


def unclaimed(area: Area, now: datetime) -> Listing:
    """Open needs nobody has taken on yet, not late (those are listed as late)."""
    return _listing(_needs(area, Need.status == NeedStatus.OPEN, Need.due_at >= now)
                    .order_by(Need.created_at, Need.id))


def complaints(area: Area) -> Listing:
    """Complaints filed for the area, late or reopened and escalated this round (to its staff
    first, then up the tree), still unanswered."""
    stepped = exists(select(ComplaintEscalation.id).where(
        ComplaintEscalation.complaint_id == Complaint.id,
        ComplaintEscalation.round == Complaint.reopened_count))
    return _listing(select(Complaint).where(
        Complaint.tenant_id == area.tenant_id, Complaint.area_id.in_(_under(area)),
        stepped, Complaint.status.in_([str(s) for s in WAITING]))
        .order_by(Complaint.due_on, Complaint.id))


def quiet(area: Area, now: datetime) -> Listing:
    """Residents on the roll in the area whose accounts are open and who attended no service
    in the last ``QUIET_DAYS`` days (longest on the roll first)."""
    served = exists().where(SlotAttendance.tenant_id == area.tenant_id,
                            SlotAttendance.user_id == ResidentProfile.user_id,
                            SlotAttendance.attended.is_(True),
                            SlotAttendance.created_at >= now - timedelta(days=QUIET_DAYS))
    stmt = (select(ResidentProfile, User).join(User, User.id == ResidentProfile.user_id)
            .where(ResidentProfile.tenant_id == area.tenant_id,
                   ResidentProfile.area_id.in_(_under(area)),
                   User.active.is_(True), User.closed_at.is_(None), ~served)
            .order_by(ResidentProfile.created_at, ResidentProfile.id))
    count, rows = first_rows(stmt, SHOWN)
    return Listing(count, [(profile, user) for profile, user in rows])


def today(user: User, tenant_id: int, now: datetime) -> list[AreaToday]:
    """For each area ``user`` holds, what waits today."""
    areas = held_areas(user, tenant_id)
    held_ids = [a.id for a in staff_areas(user, tenant_id)]
    return [AreaToday(area, late(area, held_ids, now), coming_due(area, now),
                      unclaimed(area, now), complaints(area), quiet(area, now))
            for area in areas]


