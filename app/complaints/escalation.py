"""A late or reopened complaint climbs the area tree as a late need does (``app.tenancy.
escalation``): the staff in charge of its community, after ``complaint_escalation_step_days``
the street's, and last the bureau (上报民政局), which then sees it through (督办). Areas with
nobody in charge are passed over; a complaint with no area at all goes to the bureau. Each round
(filed, then each time the resident reopens it) climbs once; an answer stops the climb."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.complaints.models import (
    TOLD_NAMES_MAX,
    Complaint,
    ComplaintEscalation,
    ComplaintKind,
)
from app.db import utcnow
from app.extensions import db
from app.tenancy import escalation as tree
from app.tenancy.models import Area, Tenant


def step_days(tenant: Tenant) -> int:
    return max(0, int(tenant.setting("complaint_escalation_step_days") or 0))


def area_of(complaint: Complaint) -> Area | None:
    """Where the complaint belongs: the area it was filed for (the project's, for a service),
    else the one area of the organization it concerns, else the resident's own area."""
    from app.orgs.models import OrgArea
    from app.residents.models import ResidentProfile

    if complaint.area is not None:
        return complaint.area
    if complaint.booking is not None and complaint.booking.slot.project.area_id:
        return db.session.get(Area, complaint.booking.slot.project.area_id)
    if complaint.org_id is not None and complaint.kind != ComplaintKind.PROCESS:
        served = db.session.scalars(select(OrgArea.area_id).where(
            OrgArea.tenant_id == complaint.tenant_id, OrgArea.org_id == complaint.org_id)
            .limit(2)).all()
        if len(served) == 1:
            return db.session.get(Area, served[0])
    home = db.session.scalar(select(ResidentProfile.area_id).where(
        ResidentProfile.tenant_id == complaint.tenant_id,
        ResidentProfile.user_id == complaint.user_id))
    return db.session.get(Area, home) if home else None


def told_names(people) -> str:
    """The names of those told, "、"-separated, cut to fit the column."""
    names = "、".join(person.name for person in people)
    return names if len(names) <= TOLD_NAMES_MAX else names[:TOLD_NAMES_MAX - 1] + "…"


def next_step(complaint: Complaint) -> Area | None | bool:
    """Where the complaint goes next this round: an area (its staff), ``None`` for the
    bureau, ``tree.DONE`` once the bureau has it."""
    return tree.next_step(area_of(complaint), complaint.steps)


def escalate_due(tenant: Tenant, now: datetime | None = None) -> int:
    """Take each complaint late or reopened, whose last step this round is old enough, one
    step up; returns how many steps were taken. Running it again changes nothing."""
    from app.complaints import messages
    from app.complaints.services import due_for_escalation

    now = now or utcnow()
    days = step_days(tenant)
    sweep, taken = tree.Sweep(), 0
    due = db.session.scalars(due_for_escalation(tenant, now).with_for_update().options(
        selectinload(Complaint.escalations).selectinload(ComplaintEscalation.area))).all()
    bureau = tree.bureau_desk(tenant.id) if due else []
    for complaint in due:
        done = complaint.steps
        if not tree.waited(done, days, now):
            continue
        target = sweep.next_step(area_of(complaint), done)
        if target is tree.DONE:
            continue
        people = sweep.staff_of(target) if target is not None else bureau
        record = ComplaintEscalation(
            tenant_id=tenant.id, complaint_id=complaint.id, round=complaint.reopened_count,
            step=len(done) + 1, area_id=target.id if target is not None else None,
            told=len(people), told_names=told_names(people), created_at=now)
        db.session.add(record)
        complaint.escalations.append(record)
        if target is None:
            complaint.escalated_at, complaint.escalated_for = now, complaint.reopened_count
        messages.escalated(complaint, target, people)
        taken += 1
    db.session.flush()
    return taken
