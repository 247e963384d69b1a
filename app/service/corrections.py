"""Hours added by hand and corrections (补录与更正): one person proposes, another authorized
person of the organization decides, with a reason when rejecting. Nobody decides their own
request nor one about their own hours. Proposed times must lie inside the shift, so staff
additions never exceed the scheduled duration. A request made after the working-day deadline
is marked late and only the bureau may approve it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.permissions import can
from app.projects.models import Shift
from app.service import hours
from app.service.models import (
    HoursRequest,
    RecordMethod,
    RecordStatus,
    RequestKind,
    RequestStatus,
    ServiceRecord,
)
from app.service.services import ServiceError, confirmed_signup, record_for, snapshot, verify
from app.tenancy.models import Tenant


def _minutes(shift: Shift, starts_at: datetime | None, ends_at: datetime | None,
             no_service: bool) -> int:
    if no_service:
        return 0
    if starts_at is None or ends_at is None:
        raise ServiceError(_l("Give both the arrival and the departure time, or tick "
                              "\u201cdid not serve\u201d."))
    if ends_at <= starts_at:
        raise ServiceError(_l("The departure must be after the arrival."))
    # Forms give whole minutes: compare with the shift window widened to whole minutes.
    window_start = shift.starts_at.replace(second=0, microsecond=0)
    window_end = shift.ends_at.replace(second=0, microsecond=0)
    if window_end < shift.ends_at:
        window_end += timedelta(minutes=1)
    if starts_at < window_start or ends_at > window_end:
        from app.templating import localtime

        raise ServiceError(_l("Hours must lie within the shift (%(start)s – %(end)s); travel "
                              "and waiting time are not service time.",
                              start=localtime(shift.starts_at), end=localtime(shift.ends_at)))
    return hours.served_minutes(starts_at, ends_at, shift.starts_at, shift.ends_at)


def pending_for(shift: Shift, user_id: int) -> HoursRequest | None:
    return db.session.scalar(select(HoursRequest).where(
        HoursRequest.shift_id == shift.id, HoursRequest.user_id == user_id,
        HoursRequest.status == RequestStatus.PENDING))


def propose(shift: Shift, volunteer: User, proposer: User, *, starts_at: datetime | None,
            ends_at: datetime | None, no_service: bool = False, reason: str,
            now: datetime | None = None) -> HoursRequest:
    """Propose hours for ``volunteer`` on ``shift``: a correction of their record, or hours
    added by hand when they have none. The volunteer proposes for themselves; the
    organization's admins and coordinators for anyone on the shift."""
    now = now or utcnow()
    if proposer.id != volunteer.id and not can("service.propose_hours", shift, user=proposer):
        raise ServiceError(_l("You may only propose hours for yourself."), 403)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_l("Please give a reason."))
    if now < shift.starts_at:
        raise ServiceError(_l("Hours can be proposed once the shift has started."))
    record = record_for(shift, volunteer.id)
    if record is None and confirmed_signup(shift, volunteer.id) is None:
        raise ServiceError(_l("This volunteer is not confirmed on this shift."), 403)
    if record is None and no_service:
        raise ServiceError(_l("There is no record to mark as not served."))
    if pending_for(shift, volunteer.id) is not None:
        raise ServiceError(_l("A request for these hours is already awaiting approval."), 409)
    minutes = _minutes(shift, starts_at, ends_at, no_service)
    tenant = db.session.get(Tenant, shift.tenant_id)
    request = HoursRequest(
        tenant_id=shift.tenant_id, org_id=shift.org_id, shift_id=shift.id, user_id=volunteer.id,
        record_id=record.id if record else None,
        kind=RequestKind.CORRECTION if record else RequestKind.MANUAL,
        starts_at=None if no_service else starts_at, ends_at=None if no_service else ends_at,
        minutes=minutes, scheduled_minutes=shift.duration_minutes,
        previous_minutes=record.minutes if record else None, reason=reason,
        is_late=hours.is_late(shift.ends_at, tenant.setting("record_deadline_working_days"), now),
        proposed_by_id=proposer.id)
    db.session.add(request)
    db.session.flush()
    if request.is_late:
        _tell_bureau(request, tenant)
    return request


def may_decide(request: HoursRequest, user: User) -> bool:
    """Not one's own request, not about one's own hours; the bureau for late ones."""
    if user.id in (request.proposed_by_id, request.user_id):
        return False
    action = "service.decide_late" if request.is_late else "service.decide"
    return can(action, request, user=user)


def decide(request: HoursRequest, decider: User, *, approve: bool, reason: str = "",
           now: datetime | None = None) -> HoursRequest:
    now = now or utcnow()
    if request.status != RequestStatus.PENDING:
        raise ServiceError(_l("This request has already been decided."), 409)
    if decider.id in (request.proposed_by_id, request.user_id):
        raise ServiceError(_l("Nobody may approve or reject their own request, nor one about "
                              "their own hours. Another authorized person has to decide."), 403)
    if request.is_late and not can("service.decide_late", request, user=decider):
        raise ServiceError(_l("This record is completed after the deadline: only the bureau "
                              "can approve it."), 403)
    if not request.is_late and not can("service.decide", request, user=decider):
        raise ServiceError(_l("You may not decide requests of this organization."), 403)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ServiceError(_l("Please give a reason for rejecting."))
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_by_id, request.decided_at, request.decision_reason = decider.id, now, reason
    if approve:
        _apply(request, decider, now)
    db.session.flush()
    _tell_volunteer(request)
    return request


def _apply(request: HoursRequest, approver: User, now: datetime) -> ServiceRecord:
    shift = request.shift
    record = record_for(shift, request.user_id)
    if request.kind == RequestKind.MANUAL:
        if record is not None:
            raise ServiceError(_l("A record exists for this volunteer now; please propose a "
                                  "correction instead."), 409)
        record = ServiceRecord(**snapshot(shift), user_id=request.user_id,
                               checked_in_at=request.starts_at, checked_out_at=request.ends_at,
                               minutes=request.minutes, method=RecordMethod.MANUAL,
                               status=RecordStatus.OPEN, marked_by_id=request.proposed_by_id)
        db.session.add(record)
        db.session.flush()
    else:
        if request.starts_at is not None:
            record.checked_in_at, record.checked_out_at = request.starts_at, request.ends_at
        record.minutes, record.method = request.minutes, RecordMethod.CORRECTION
    record.is_late = record.is_late or request.is_late
    request.record_id = record.id
    verify(record, now, approver, void=request.starts_at is None)
    return record


def bulk_approve(shift: Shift, decider: User, now: datetime | None = None
                 ) -> tuple[int, int]:
    """Approve every pending request of the shift this person may decide; the rest are
    left for someone else. Returns (approved, left)."""
    now = now or utcnow()
    approved = left = 0
    pending = db.session.scalars(select(HoursRequest).where(
        HoursRequest.shift_id == shift.id, HoursRequest.status == RequestStatus.PENDING)
        .order_by(HoursRequest.id)).all()
    for request in pending:
        if not may_decide(request, decider):
            left += 1
            continue
        try:
            with db.session.begin_nested():
                decide(request, decider, approve=True, now=now)
            approved += 1
        except ServiceError:
            db.session.refresh(request)
            left += 1
    return approved, left


def _tell_volunteer(request: HoursRequest) -> None:
    from app.notifications.services import notify

    tenant = db.session.get(Tenant, request.tenant_id)
    user = db.session.get(User, request.user_id)
    if request.status == RequestStatus.APPROVED:
        title = _l("Your hours for %(activity)s were approved", activity=request.shift.project.name)
        body = _l("Recorded: %(hours)s hours.", hours=hours.format_minutes(request.minutes))
    else:
        title = _l("Your hours request for %(activity)s was rejected",
                   activity=request.shift.project.name)
        body = _l("Reason: %(reason)s", reason=request.decision_reason)
    notify(user, title, body, link=f"/t/{tenant.slug}/service/me", tenant_id=tenant.id)


def _tell_bureau(request: HoursRequest, tenant: Tenant) -> None:
    """A late record needs the bureau: tell its officers it is waiting."""
    from app.auth.models import RoleGrant
    from app.notifications.services import notify

    officers = db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                                  .where(RoleGrant.tenant_id == tenant.id,
                                         RoleGrant.role == Role.BUREAU_OFFICER)).unique()
    for officer in officers:
        notify(officer, _l("A late service record awaits your approval"),
               _l("%(activity)s: proposed after the %(days)s-working-day deadline.",
                  activity=request.shift.project.name,
                  days=tenant.setting("record_deadline_working_days")),
               link=f"/t/{tenant.slug}/service/late", tenant_id=tenant.id, kind="hours.late",
               subject_id=request.id)
