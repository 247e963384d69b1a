"""Stepping a late matter up the area tree (小事不出社区): first the staff in charge of the
community it is in, then, a number of days later each, the street's, then the bureau. Areas with
nobody in charge are passed over. Needs and complaints both climb this way; each keeps its
own record of the steps (``area_id`` empty for the bureau, ``created_at`` when it was taken)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.tenancy.models import Area, AreaStaff

#: Levels below a community: a matter's own grid is not a step of its escalation.
BELOW_COMMUNITY = ("网格", "楼栋", "grid", "building")
#: ``next_step`` when the bureau has been told already: nothing further.
DONE = False


class Step(Protocol):
    area_id: int | None
    area: Area | None
    created_at: datetime


def staff_of(area: Area) -> list[User]:
    """The active bureau officers in charge of ``area`` (社区 / 街道 staff, grid workers)."""
    return list(db.session.scalars(
        select(User).join(AreaStaff, AreaStaff.user_id == User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(AreaStaff.area_id == area.id, AreaStaff.tenant_id == area.tenant_id,
               User.active.is_(True), RoleGrant.tenant_id == area.tenant_id,
               RoleGrant.role == str(Role.BUREAU_OFFICER))
        .distinct().order_by(User.id)))


def bureau_desk(tenant_id: int) -> list[User]:
    """Who the last step tells: the bureau's active officers not in charge of an area (the
    district's office; a community's or a street's staff had their own step), or every
    officer when all of them are in charge of one."""
    officers = list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.tenant_id == tenant_id, RoleGrant.role == str(Role.BUREAU_OFFICER),
               User.active.is_(True)).distinct().order_by(User.id)))
    in_charge = set(db.session.scalars(select(AreaStaff.user_id).where(
        AreaStaff.tenant_id == tenant_id)))
    return [u for u in officers if u.id not in in_charge] or officers


def chain(area: Area) -> list[Area]:
    """``area`` and the areas above it, nearest first."""
    ids = [int(part) for part in area.path.strip("/").split("/") if part.isdigit()]
    found = {a.id: a for a in db.session.scalars(
        select(Area).where(Area.tenant_id == area.tenant_id, Area.id.in_(ids)))}
    return [found[i] for i in reversed(ids) if i in found] or [area]


class Sweep:
    """One run over many matters: each area's chain and staff are read once, not per matter
    (a morning's sweep meets the same communities and streets again and again)."""

    def __init__(self) -> None:
        self._chains: dict[int, list[Area]] = {}
        self._staff: dict[int, list[User]] = {}

    def chain(self, area: Area) -> list[Area]:
        """``chain``, the areas above taken from the session once loaded (by primary key)."""
        if area.id not in self._chains:
            ids = [int(part) for part in area.path.strip("/").split("/") if part.isdigit()]
            found = [db.session.get(Area, i) for i in reversed(ids)]
            self._chains[area.id] = [a for a in found
                                     if a is not None and a.tenant_id == area.tenant_id] or [area]
        return self._chains[area.id]

    def staff_of(self, area: Area) -> list[User]:
        if area.id not in self._staff:
            self._staff[area.id] = staff_of(area)
        return self._staff[area.id]

    def next_step(self, area: Area | None, done: Sequence[Step]) -> Area | None | bool:
        """Where a matter in ``area`` that has taken the steps ``done`` (oldest first) goes
        next: an area (its staff), ``None`` for the bureau, ``DONE`` when the bureau was told
        already. A matter with no area goes straight to the bureau."""
        if done and done[-1].area_id is None:
            return DONE
        if area is None:
            return None
        above = done[-1].area.depth if done else None
        for candidate in self.chain(area):
            if candidate.level in BELOW_COMMUNITY or (above is not None
                                                      and candidate.depth >= above):
                continue
            if self.staff_of(candidate):
                return candidate
        return None


def next_step(area: Area | None, done: Sequence[Step]) -> Area | None | bool:
    """``Sweep.next_step`` for one matter."""
    return Sweep().next_step(area, done)


def waited(done: Sequence[Step], days: int, now: datetime) -> bool:
    """Whether the last step (if any) is at least ``days`` old, so the next may be taken."""
    return not done or done[-1].created_at + timedelta(days=max(0, days)) <= now
