"""Before and after a need's deadline: a reminder to whoever holds it once only a share of its
time is left (``need_reminder_share``), then, once it is late, one step up the area tree at a
time — the staff in charge of the community above it, after ``need_escalation_step_days`` the
street's, and last the bureau (小事不出社区). Areas with nobody in charge are passed over. Each
run does what is due and nothing twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.extensions import db
from app.needs.models import UNMET, Need, NeedEscalation
from app.tenancy import escalation as tree
from app.tenancy.models import Tenant


def next_step(need: Need):
    """Where the need goes next: an area (its staff), ``None`` for the bureau, ``False`` when
    it has reached the bureau already."""
    return tree.next_step(need.area, need.escalations)


def step_days(tenant: Tenant) -> int:
    return max(0, int(tenant.setting("need_escalation_step_days") or 0))


def escalate_overdue(tenant: Tenant, now: datetime | None = None) -> int:
    """Take each late need that is due for it one step up; returns how many steps were taken."""
    from app.needs import messages

    now = now or utcnow()
    days = step_days(tenant)
    sweep = tree.Sweep()
    late = db.session.scalars(
        select(Need).where(Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]),
                           Need.due_at < now, Need.escalated_at.is_(None))
        .order_by(Need.due_at, Need.id).with_for_update()
        .options(selectinload(Need.escalations).selectinload(NeedEscalation.area),
                 selectinload(Need.area))).all()
    taken = 0
    bureau = tree.bureau_desk(tenant.id) if late else []
    for need in late:
        done = need.escalations
        if not tree.waited(done, days, now):
            continue
        target = sweep.next_step(need.area, done)
        if target is tree.DONE:
            continue
        people = sweep.staff_of(target) if target is not None else bureau
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

