"""Recording attendance: the rotating QR code, check-in and check-out, and the coordinator
marking attendance on the spot. Services ``flush()``; the caller commits.

The QR code is a rotating code (``app.service.codes``): tenant, shift, purpose (in/out) and
the 30-second window it was made in, signed; it works for 30–60 seconds, and the same token
never acts twice for the same volunteer.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.service import codes
from app.service.hours import local_date, served_minutes
from app.service.models import RecordMethod, RecordStatus, ServiceRecord

TOKEN_SALT = "gz-shift-attendance"
TOKEN_WINDOW_SECONDS = codes.WINDOW_SECONDS
#: Check-in opens this long before the shift starts; check-out closes this long after it ends.
CHECKIN_OPENS_BEFORE = timedelta(minutes=60)
CHECKOUT_CLOSES_AFTER = timedelta(hours=2)
PURPOSES = ("in", "out")


class ServiceError(ValueError):
    """A refused action, with a message for the person who tried it and an HTTP status."""

    def __init__(self, message, status: int = 400):
        super().__init__(message)
        self.status = status


SHIFT_CODES = codes.RotatingCode(TOKEN_SALT, PURPOSES)
token_window = codes.window
token_ref = codes.ref


def make_token(shift: Shift, purpose: str, now: datetime | None = None) -> str:
    return SHIFT_CODES.make(shift.tenant_id, shift.id, purpose, now)


def read_token(token: str, shift: Shift, now: datetime) -> str:
    """The token's purpose (``in``/``out``) if it is genuine, for ``shift`` and current."""
    try:
        return SHIFT_CODES.read(token, shift.tenant_id, shift.id, now)
    except codes.CodeRefused as exc:
        raise ServiceError({
            "invalid": _l("This code is not valid. Please scan the code on the "
                          "coordinator's screen."),
            "elsewhere": _l("This code belongs to another shift. Please scan the code of "
                            "the shift you are serving."),
            "expired": _l("This code has expired. Please scan the code on the "
                          "coordinator's screen again."),
        }[exc.reason]) from exc


def confirmed_signup(shift: Shift, user_id: int) -> ShiftSignup | None:
    return db.session.scalar(select(ShiftSignup).where(
        ShiftSignup.shift_id == shift.id, ShiftSignup.user_id == user_id,
        ShiftSignup.status == SignupStatus.CONFIRMED))


def record_for(shift: Shift, user_id: int) -> ServiceRecord | None:
    return db.session.scalar(select(ServiceRecord).where(
        ServiceRecord.shift_id == shift.id, ServiceRecord.user_id == user_id))


def snapshot(shift: Shift) -> dict:
    """The 67号令 fields of a service record, copied from the shift, project and org now."""
    project = shift.project
    org = db.session.get(Organization, shift.org_id)
    leader_id = shift.leader_id or project.created_by_id
    leader = db.session.get(User, leader_id) if leader_id else None
    return {
        "tenant_id": shift.tenant_id, "org_id": shift.org_id, "shift_id": shift.id,
        "activity_name": project.name, "activity_date": local_date(shift.starts_at),
        "place": shift.place, "content": project.content or project.theme or project.name,
        "category": project.category, "organizing_unit": org.name,
        "leader_name": leader.name if leader else "",
        "scheduled_minutes": shift.duration_minutes,
    }


def _hhmm(moment: datetime) -> str:
    from app.templating import localtime

    return localtime(moment, "%H:%M")


def scan(shift: Shift, volunteer: User, token: str, now: datetime | None = None
         ) -> tuple[str, ServiceRecord]:
    """A volunteer scanned the shift's code: check in or out, as the code says."""
    now = now or utcnow()
    purpose = read_token(token, shift, now)
    ref = token_ref(token)
    if purpose == "in":
        return purpose, check_in(shift, volunteer, now, method=RecordMethod.QR, ref=ref)
    return purpose, check_out(shift, volunteer, now, method=RecordMethod.QR, ref=ref)


def check_in(shift: Shift, volunteer: User, now: datetime, *, method: RecordMethod,
             ref: str | None = None, marked_by: User | None = None) -> ServiceRecord:
    if confirmed_signup(shift, volunteer.id) is None:
        raise ServiceError(_l("You are not confirmed on this shift.") if marked_by is None
                           else _l("This volunteer is not confirmed on this shift."), 403)
    record = record_for(shift, volunteer.id)
    if record is not None:
        if ref is not None and ref in (record.checkin_ref, record.checkout_ref):
            raise ServiceError(_l("This code has already been used. Nothing was recorded "
                                  "again."), 409)
        raise ServiceError(_l("Already checked in for this shift."), 409)
    if now < shift.starts_at - CHECKIN_OPENS_BEFORE:
        raise ServiceError(_l("Check-in for this shift opens at %(time)s.",
                              time=_hhmm(shift.starts_at - CHECKIN_OPENS_BEFORE)))
    if now > shift.ends_at:
        raise ServiceError(_l("This shift has ended. Please ask the coordinator to add your "
                              "hours."))
    record = ServiceRecord(**snapshot(shift), user_id=volunteer.id, checked_in_at=now,
                           method=method, status=RecordStatus.OPEN, checkin_ref=ref,
                           marked_by_id=marked_by.id if marked_by else None)
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError as exc:  # a double tap raced us: the other one recorded it
        raise ServiceError(_l("Already checked in for this shift."), 409) from exc
    return record


def check_out(shift: Shift, volunteer: User, now: datetime, *, method: RecordMethod,
              ref: str | None = None, marked_by: User | None = None) -> ServiceRecord:
    record = record_for(shift, volunteer.id)
    if record is None or record.checked_in_at is None:
        raise ServiceError(_l("You have not checked in for this shift yet. Please check in "
                              "first.") if marked_by is None
                           else _l("This volunteer has not checked in yet."))
    if ref is not None and ref in (record.checkin_ref, record.checkout_ref):
        raise ServiceError(_l("This code has already been used. Nothing was recorded again."),
                           409)
    if record.status != RecordStatus.OPEN:
        raise ServiceError(_l("Already checked out of this shift."), 409)
    if now > shift.ends_at + CHECKOUT_CLOSES_AFTER:
        raise ServiceError(_l("Check-out for this shift has closed. Please ask the "
                              "coordinator to correct your record."))
    record.checked_out_at = max(now, record.checked_in_at)
    record.checkout_ref = ref
    if method == RecordMethod.COORDINATOR:
        record.method = RecordMethod.COORDINATOR
        record.marked_by_id = marked_by.id if marked_by else record.marked_by_id
    record.minutes = served_minutes(record.checked_in_at, record.checked_out_at,
                                    shift.starts_at, shift.ends_at)
    verify(record, now, approver=None)
    return record


def verify(record: ServiceRecord, now: datetime, approver: User | None, *,
           void: bool = False) -> None:
    """Mark a record verified (or void: "did not serve") and settle what follows: points in
    the wallet, time credits in the time bank, their ledger events, the volunteer's standing
    and stars."""
    from app.service import incentives, standing
    from app.timebank import services as timebank

    record.status = RecordStatus.VOID if void else RecordStatus.VERIFIED
    record.verified_at = now
    record.verified_by_id = approver.id if approver else None
    db.session.flush()
    incentives.record_points(record, approver=approver, now=now)
    timebank.record_time(record, approver=approver, now=now)
    standing.refresh(record.tenant_id, record.user_id, now=now)


def mark(shift: Shift, volunteer: User, action: str, coordinator: User,
         now: datetime | None = None) -> ServiceRecord:
    """The coordinator marks a volunteer's arrival or departure on the spot."""
    now = now or utcnow()
    if action == "in":
        return check_in(shift, volunteer, now, method=RecordMethod.COORDINATOR,
                        marked_by=coordinator)
    if action == "out":
        return check_out(shift, volunteer, now, method=RecordMethod.COORDINATOR,
                         marked_by=coordinator)
    raise ServiceError(_l("Unknown attendance action."))


def roster(shift: Shift) -> list[tuple[ShiftSignup, User, ServiceRecord | None]]:
    """Confirmed volunteers of a shift with their record, if any, in sign-up order."""
    rows = db.session.execute(
        select(ShiftSignup, User, ServiceRecord)
        .join(User, User.id == ShiftSignup.user_id)
        .outerjoin(ServiceRecord, (ServiceRecord.shift_id == ShiftSignup.shift_id)
                   & (ServiceRecord.user_id == ShiftSignup.user_id))
        .where(ShiftSignup.shift_id == shift.id, ShiftSignup.status == SignupStatus.CONFIRMED)
        .order_by(ShiftSignup.queued_at)).all()
    return [tuple(row) for row in rows]


def missing_checkouts(shift: Shift, now: datetime) -> list[ServiceRecord]:
    """Open records of a shift whose check-out window has closed: the coordinator resolves them."""
    if now <= shift.ends_at + CHECKOUT_CLOSES_AFTER:
        return []
    return list(db.session.scalars(select(ServiceRecord).where(
        ServiceRecord.shift_id == shift.id, ServiceRecord.status == RecordStatus.OPEN)))
