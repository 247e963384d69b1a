"""Before and after a need's deadline: a reminder to whoever holds it once only a share of its
time is left (``need_reminder_share``), then, once it is late, one step up the area tree at a
time — the staff in charge of the community above it, after ``need_escalation_step_days`` the
street's, and last the bureau (小事不出社区). Areas with nobody in charge are passed over. Each
run does what is due and nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.needs.models import UNMET, Need, NeedEscalation
from app.tenancy.models import Area, AreaStaff, Tenant

#: Levels below a community: a need's own grid is not a step of its escalation.
BELOW_COMMUNITY = ("网格", "楼栋", "grid", "building")


def staff_of(area: Area) -> list[User]:
    """The active bureau officers in charge of ``area`` (社区 / 街道 staff, grid workers)."""
    return list(db.session.scalars(
        select(User).join(AreaStaff, AreaStaff.user_id == User.id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(AreaStaff.area_id == area.id, AreaStaff.tenant_id == area.tenant_id,
               User.active.is_(True), RoleGrant.tenant_id == area.tenant_id,
               RoleGrant.role == str(Role.BUREAU_OFFICER))
        .distinct().order_by(User.id)))


def chain(area: Area) -> list[Area]:
    """``area`` and the areas above it, nearest first."""
    ids = [int(part) for part in area.path.strip("/").split("/") if part.isdigit()]
    found = {a.id: a for a in db.session.scalars(
        select(Area).where(Area.tenant_id == area.tenant_id, Area.id.in_(ids)))}
    return [found[i] for i in reversed(ids) if i in found] or [area]


def next_step(need: Need) -> Area | None | bool:
    """Where the need goes next: an area (its staff), ``None`` for the bureau, ``False`` when
    it has reached the bureau already."""
    done = need.escalations
    if done and done[-1].area_id is None:
        return False
    above = done[-1].area.depth if done else None
    for area in chain(need.area):
        if area.level in BELOW_COMMUNITY or (above is not None and area.depth >= above):
            continue
        if staff_of(area):
            return area
    return None


def step_days(tenant: Tenant) -> int:
    return max(0, int(tenant.setting("need_escalation_step_days") or 0))


def escalate_overdue(tenant: Tenant, now: datetime | None = None) -> int:
    """Take each late need that is due for it one step up; returns how many steps were taken."""
    from app.needs import messages

    now = now or utcnow()
    wait = timedelta(days=step_days(tenant))
    late = db.session.scalars(
        select(Need).where(Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]),
                           Need.due_at < now, Need.escalated_at.is_(None))
        .order_by(Need.due_at, Need.id).with_for_update()).all()
    taken = 0
    for need in late:
        done = need.escalations
        if done and done[-1].created_at + wait > now:
            continue
        target = next_step(need)
        if target is False:
            continue
        people = staff_of(target) if target is not None else messages.bureau(tenant.id)
        record = NeedEscalation(tenant_id=tenant.id, need_id=need.id, step=len(done) + 1,
                                area_id=target.id if target is not None else None,
                                told=len(people), created_at=now)
        db.session.add(record)
        need.escalations.append(record)
        if target is None:
            need.escalated_at = now
        messages.escalated(need, target, people)
        taken += 1
    db.session.flush()
    return taken


def reminder_due(tenant: Tenant, now: datetime):
    """A select of the unmet needs, not yet late nor reminded, with no more than the tenant's
    share of their time left."""
    share = float(tenant.setting("need_reminder_share") or 0)
    found = db.session.scalars(
        select(Need).where(Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]),
                           Need.reminded_at.is_(None), Need.due_at > now)
        .order_by(Need.due_at, Need.id)).all()
    return [n for n in found if n.due_at - now <= (n.due_at - n.created_at) * share]


def remind_due(tenant: Tenant, now: datetime | None = None) -> int:
    """Remind whoever holds each need coming due — the claiming organization's staff or the
    volunteer, or the organizations it is routed to while it is open — once per need."""
    from app.needs import messages

    now = now or utcnow()
    due = reminder_due(tenant, now)
    for need in due:
        need.reminded_at = now
        messages.reminder(need)
    db.session.flush()
    return len(due)


def reached(need: Need) -> str:
    """Where the need's escalation stands, in words ("" before it starts)."""
    from app.needs import labels

    if not need.escalations:
        return ""
    return labels.escalation_step(need.escalations[-1])

