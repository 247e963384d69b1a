"""The rules of complaints: file one (about a service, an organization, a volunteer or the
process), give it a handler, answer it, take the resident's verdict (satisfied, or reopened
with a reason and a new deadline), and escalate it up the area tree (community, street,
bureau) when it is late or reopened.

Deadlines count working days on the official calendar (调休 included, ``chinese_calendar``),
``complaint_answer_days`` of the tenant (default 5), from the day it is filed or reopened.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.auth.models import Role, RoleGrant, User
from app.complaints.models import (
    ANSWER_DAYS,
    BODY_MAX,
    NAME_MAX,
    REASON_MAX,
    WAITING,
    Complaint,
    ComplaintKind,
    ComplaintStatus,
)
from app.db import utcnow
from app.extensions import db
from app.inbound import text_problem
from app.orgs.models import Organization, OrgStatus
from app.service.hours import add_working_days, local_date
from app.service.permissions import COORDINATING
from app.tenancy.models import Area, Tenant


class ComplaintError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


def answer_days(tenant: Tenant) -> int:
    return int(tenant.setting("complaint_answer_days") or ANSWER_DAYS)


def deadline(tenant: Tenant, now: datetime) -> date:
    """The last day to answer: ``answer_days`` working days after ``now`` (Beijing date)."""
    return add_working_days(local_date(now), answer_days(tenant))


def _text(value: str, limit: int, empty_message) -> str:
    value = (value or "").strip()
    if not value:
        raise ComplaintError(empty_message)
    if len(value) > limit:
        raise ComplaintError(_("Please keep it to %(n)s characters.", n=limit))
    if problem := text_problem(value):
        raise ComplaintError(problem)
    return value


def _about_service(booking, user: User, volunteer_id: int | None, now: datetime):
    from app.service import feedback
    from app.service.services import ServiceError

    if booking is None:
        raise ComplaintError(_l("Choose the service you received."))
    try:
        feedback.check_received(booking, user, now)
    except ServiceError as exc:
        raise ComplaintError(str(exc), exc.status) from exc
    if volunteer_id and volunteer_id not in {u.id for u in feedback.volunteers_of(booking)}:
        raise ComplaintError(_l("Please choose a volunteer who served in this project."))
    return booking.slot.org_id


def file(tenant: Tenant, user: User, *, kind: str, body: str, booking=None,
         org: Organization | None = None, area: Area | None = None,
         volunteer_id: int | None = None, volunteer_name: str = "",
         now: datetime | None = None) -> Complaint:
    """A complaint by ``user``. About a service: ``booking`` (theirs, received), its
    organization handles it. About an organization: ``org`` handles it. About a volunteer:
    ``volunteer_name`` (or ``volunteer_id`` of one who served on ``booking``), handled by
    ``org`` when the resident names it, else by the bureau. About the process: the bureau."""
    now = now or utcnow()
    if kind not in set(ComplaintKind):
        raise ComplaintError(_l("Choose what the complaint is about."))
    body = _text(body, BODY_MAX, _l("Please describe what happened."))
    volunteer_name = (volunteer_name or "").strip()
    if volunteer_name:
        volunteer_name = _text(volunteer_name, NAME_MAX, "")
    for named in (org, area, booking):
        if named is not None and named.tenant_id != tenant.id:
            raise ComplaintError(_l("Not found."), 404)
    if org is not None and org.status != OrgStatus.VERIFIED:
        raise ComplaintError(_l("Choose one of the district's organizations."))
    org_id = org.id if org else None
    if kind == ComplaintKind.SERVICE:
        org_id = _about_service(booking, user, volunteer_id, now)
        if area is None and booking.slot.project.area_id:
            area = db.session.get(Area, booking.slot.project.area_id)
    elif kind == ComplaintKind.ORGANIZATION and org is None:
        raise ComplaintError(_l("Choose the organization you complain about."))
    elif kind == ComplaintKind.VOLUNTEER:
        if booking is not None:
            org_id = _about_service(booking, user, volunteer_id, now)
        elif volunteer_id:  # chosen only among those who served the resident
            raise ComplaintError(_l("Choose the service you received."))
        if not (volunteer_name or volunteer_id):
            raise ComplaintError(_l("Say which volunteer: their name, or how you know them."))
    elif kind == ComplaintKind.PROCESS:
        org_id = None
    if kind in (ComplaintKind.ORGANIZATION, ComplaintKind.PROCESS):
        volunteer_id = None
    complaint = Complaint(
        tenant_id=tenant.id, kind=kind, org_id=org_id,
        booking_id=booking.id if booking is not None and kind in (
            ComplaintKind.SERVICE, ComplaintKind.VOLUNTEER) else None,
        area_id=area.id if area is not None else None, user_id=user.id,
        volunteer_id=volunteer_id or None, volunteer_name=volunteer_name, body=body,
        status=ComplaintStatus.OPEN, due_on=deadline(tenant, now), created_at=now)
    db.session.add(complaint)
    db.session.flush()
    from app.complaints import messages

    messages.filed(complaint)
    return complaint


def handlers(complaint: Complaint) -> list[User]:
    """Who may be the complaint's handler: the handling organization's admins and
    coordinators, or the bureau's officers when the bureau handles it."""
    stmt = select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.tenant_id == complaint.tenant_id, User.active.is_(True))
    if complaint.org_id is None:
        stmt = stmt.where(RoleGrant.role == Role.BUREAU_OFFICER.value)
    else:
        stmt = stmt.where(RoleGrant.org_id == complaint.org_id,
                          RoleGrant.role.in_([r.value for r in COORDINATING]))
    return list(db.session.scalars(stmt.distinct().order_by(User.name, User.id)))


def may_handle(user: User, complaint: Complaint) -> bool:
    """The handling organization's admins and coordinators; the bureau's officers for the
    complaints it handles and for those escalated to it (督办)."""
    if complaint.org_id is not None and user.has_role(
            complaint.tenant_id, *COORDINATING, org_id=complaint.org_id):
        return True
    return (complaint.org_id is None or complaint.escalated) and user.has_role(
        complaint.tenant_id, Role.BUREAU_OFFICER)


def _still_waiting(complaint: Complaint) -> None:
    if complaint.status not in WAITING:
        raise ComplaintError(_l("This complaint has already been answered."), 409)


def assign(complaint: Complaint, by: User, handler: User, now: datetime | None = None) -> None:
    if not may_handle(by, complaint):
        raise ComplaintError(_l("Only the people handling this complaint can do this."), 403)
    _still_waiting(complaint)
    if handler.id not in {u.id for u in handlers(complaint)}:
        raise ComplaintError(_l("Choose someone of the organization handling the complaint."))
    complaint.handler_id, complaint.assigned_at = handler.id, now or utcnow()
    db.session.flush()
    from app.complaints import messages

    messages.assigned(complaint, handler)


def answer(complaint: Complaint, staff: User, text: str, now: datetime | None = None) -> None:
    if not may_handle(staff, complaint):
        raise ComplaintError(_l("Only the people handling this complaint can do this."), 403)
    text = _text(text, BODY_MAX, _l("Please write an answer."))
    _still_waiting(complaint)
    complaint.answer, complaint.answered_by_id = text, staff.id
    complaint.answered_at, complaint.status = now or utcnow(), ComplaintStatus.ANSWERED
    if complaint.handler_id is None:
        complaint.handler_id, complaint.assigned_at = staff.id, complaint.answered_at
    db.session.flush()
    from app.complaints import messages

    messages.answered(complaint)


def _verdict_allowed(complaint: Complaint, user: User) -> None:
    if complaint.user_id != user.id:
        raise ComplaintError(_l("Only the resident who filed the complaint can do this."), 403)
    if complaint.status != ComplaintStatus.ANSWERED:
        raise ComplaintError(_l("The complaint has not been answered yet."), 409)


def satisfied(complaint: Complaint, user: User, now: datetime | None = None) -> None:
    """满意: the resident closes the complaint."""
    _verdict_allowed(complaint, user)
    complaint.status, complaint.closed_at = ComplaintStatus.SATISFIED, now or utcnow()
    db.session.flush()


def reopen(complaint: Complaint, user: User, reason: str, now: datetime | None = None) -> None:
    """不满意，重新处理: back to the handler with the reason and a new deadline; a new round of
    escalation starts with the community's staff (``escalate_due``, queued once committed)."""
    reason = _text(reason, REASON_MAX, _l("Say why you are not satisfied."))
    _verdict_allowed(complaint, user)
    now = now or utcnow()
    tenant = db.session.get(Tenant, complaint.tenant_id)
    complaint.status, complaint.reopen_reason, complaint.reopened_at = (
        ComplaintStatus.REOPENED, reason, now)
    complaint.reopened_count += 1
    complaint.due_on = deadline(tenant, now)
    db.session.flush()
    from app.complaints import messages
    from workers.complaints import escalate_due as job
    from workers.queue import enqueue_after_commit

    messages.reopened(complaint)
    enqueue_after_commit(job, complaint.tenant_id)


def due_for_escalation(tenant: Tenant, now: datetime):
    """A select of the complaints that have not reached the bureau this round: reopened, or
    unanswered past their deadline."""
    today = local_date(now)
    return select(Complaint).where(
        Complaint.tenant_id == tenant.id,
        func.coalesce(Complaint.escalated_for, -1) < Complaint.reopened_count,
        or_(Complaint.status == ComplaintStatus.REOPENED,
            (Complaint.status == ComplaintStatus.OPEN) & (Complaint.due_on < today))
    ).order_by(Complaint.due_on, Complaint.id)


def escalate_due(tenant: Tenant, now: datetime | None = None) -> int:
    """One step up the area tree (community, street, bureau) for each complaint late or
    reopened that is due one (``escalation``); returns how many steps were taken."""
    from app.complaints import escalation

    return escalation.escalate_due(tenant, now)
