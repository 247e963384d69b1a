"""The time bank's rules: deposits from verified hours, gifts, payments for services.

"Serve now, be served later" (时间银行): when the district's rule ``incentive_mode`` is
``time_bank`` or ``both`` on the day served, a verified service record deposits its hours
(whole quarters) in the volunteer's time account; above ``time_bank_cap_hours`` the rest is
given to the community pool (捐赠). Credits are the district's, not one organization's
(通存通兑): hours verified by one organization pay for a service slot of another. A person
gives credits to a relative or friend; bureau staff give pool credits to a resident in need.

Each movement locks the accounts it touches (in id order), appends entries with the balance
after them, and emits its ledger event in the same transaction. A balance never goes below
zero: refused here with a plain message, and by the database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import ledger
from app.auth.models import User
from app.books.models import OutboxEvent
from app.books.outbox import emit, original_event
from app.db import utcnow
from app.extensions import db
from app.projects.models import ServiceSlot, SignupStatus, SlotBooking
from app.service.hours import format_minutes, local_date
from app.service.models import RecordStatus, ServiceRecord
from app.tenancy.models import Tenant
from app.timebank.models import (
    DEPOSIT,
    DONATION,
    GIFT_IN,
    GIFT_OUT,
    PAYMENT,
    REFUND,
    REVERSAL,
    TimeAccount,
    TimeEntry,
)

QUARTER = 15
#: Most minutes one gift may move (a plain bound against typing slips): 1,000 hours.
GIFT_MAX_MINUTES = 1000 * 60
TIME_MODES = ("time_bank", "both")


class TimeBankError(ValueError):
    """A refused movement, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 400):
        super().__init__(str(message))
        self.status = status


def hours(minutes: int) -> Decimal:
    """Whole quarters of an hour as the ledger's Decimal hours (``90`` → ``1.50``)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def is_on(tenant: Tenant, day: date | None = None) -> bool:
    """Whether verified hours go to the time bank on ``day`` (the rule then in force)."""
    return tenant.setting("incentive_mode", day) in TIME_MODES


def find_account(tenant_id: int, user_id: int | None) -> TimeAccount | None:
    """A person's (or the pool's) account if it was ever opened; never opens one."""
    owner = (TimeAccount.user_id.is_(None) if user_id is None
             else TimeAccount.user_id == user_id)
    return db.session.scalar(select(TimeAccount).where(TimeAccount.tenant_id == tenant_id,
                                                       owner))


def account_for(tenant_id: int, user_id: int | None, *, lock: bool = False) -> TimeAccount:
    """A person's account, or the pool's (``user_id`` None), created on first use."""
    owner = (TimeAccount.user_id.is_(None) if user_id is None
             else TimeAccount.user_id == user_id)
    stmt = select(TimeAccount).where(TimeAccount.tenant_id == tenant_id, owner)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    account = db.session.scalar(stmt)
    if account is None:
        try:
            with db.session.begin_nested():
                account = TimeAccount(tenant_id=tenant_id, user_id=user_id, balance_minutes=0)
                db.session.add(account)
        except IntegrityError:  # opened concurrently: use theirs
            account = db.session.scalar(stmt)
    return account


def _lock_both(tenant_id: int, first: int | None, second: int | None
               ) -> tuple[TimeAccount, TimeAccount]:
    """Two accounts locked in id order, so two opposite gifts cannot deadlock."""
    a, b = account_for(tenant_id, first), account_for(tenant_id, second)
    for account in sorted((a, b), key=lambda x: x.id):
        account_for(tenant_id, account.user_id, lock=True)
    return a, b


def balance(tenant_id: int, user_id: int | None) -> int:
    """Minutes held (0 for someone without an account)."""
    account = find_account(tenant_id, user_id)
    return account.balance_minutes if account else 0


def _append(account: TimeAccount, kind: str, minutes: int, outbox: OutboxEvent, *,
            by: User | None, org_id: int | None = None, record_id: int | None = None,
            booking_id: int | None = None, counterpart_id: int | None = None,
            reverses: TimeEntry | None = None, memo: str = "") -> TimeEntry:
    if account.balance_minutes + minutes < 0:
        raise TimeBankError(_l("Not enough time credits: %(have)s hours held, %(need)s hours "
                               "needed.", have=format_minutes(account.balance_minutes),
                               need=format_minutes(-minutes)), 409)
    account.balance_minutes += minutes
    entry = TimeEntry(tenant_id=account.tenant_id, account_id=account.id, kind=kind,
                      minutes=minutes, balance_after=account.balance_minutes, org_id=org_id,
                      record_id=record_id, booking_id=booking_id, counterpart_id=counterpart_id,
                      reverses_id=reverses.id if reverses else None, outbox_id=outbox.id,
                      memo=memo[:200], by_id=by.id if by else None)
    db.session.add(entry)
    db.session.flush()
    return entry


def _by(user: User | None) -> str:
    return f"user:{user.id}" if user else "system:qr-checkout"


# -- deposits ---------------------------------------------------------------------------

def target_minutes(record: ServiceRecord, tenant: Tenant) -> int:
    """Minutes a record deposits: its verified whole quarters, when the time bank is on."""
    if record.status != RecordStatus.VERIFIED or not is_on(tenant, record.activity_date):
        return 0
    return record.minutes - record.minutes % QUARTER


def _live(record: ServiceRecord) -> list[TimeEntry]:
    reversed_ids = select(TimeEntry.reverses_id).where(TimeEntry.reverses_id.is_not(None),
                                                       TimeEntry.record_id == record.id)
    return list(db.session.scalars(select(TimeEntry).where(
        TimeEntry.record_id == record.id, TimeEntry.kind.in_((DEPOSIT, DONATION)),
        TimeEntry.id.not_in(reversed_ids)).order_by(TimeEntry.id)))


def record_time(record: ServiceRecord, *, approver: User | None, now: datetime
                ) -> list[TimeEntry]:
    """Bring the credits a record deposited in line with its verified minutes (idempotent:
    a second call with nothing changed does nothing)."""
    tenant = db.session.get(Tenant, record.tenant_id)
    target = target_minutes(record, tenant)
    person, pool = _lock_both(tenant.id, record.user_id, None)
    live = _live(record)
    if target == sum(e.minutes for e in live):
        return []
    out: list[TimeEntry] = []
    if live:  # a correction: take back what was deposited, then deposit afresh
        out += _reverse_deposit(tenant, live, person, pool, approver, now)
    if target:
        out += _deposit(tenant, record, target, person, pool, approver, now)
    return out


def _deposit(tenant, record, minutes, person, pool, approver, now) -> list[TimeEntry]:
    room = max(0, int(tenant.setting("time_bank_cap_hours", record.activity_date)) * 60
               - person.balance_minutes)
    kept = min(minutes, room - room % QUARTER)
    donated = minutes - kept
    text = f"{record.activity_name} {record.activity_date.isoformat()}"
    outbox = emit(ledger.TimeDeposit, tenant=tenant, date=local_date(now),
                  narration=f"时间银行存入 {text}"[:500], source=f"service-record:{record.id}",
                  approver=_by(approver), payee=f"volunteer:{record.user_id}",
                  org_id=record.org_id, person=record.user_id, hours=hours(kept),
                  donated=hours(donated))
    out = []
    if kept:
        out.append(_append(person, DEPOSIT, kept, outbox, by=approver, org_id=record.org_id,
                           record_id=record.id, memo=text))
    if donated:
        out.append(_append(pool, DONATION, donated, outbox, by=approver, org_id=record.org_id,
                           record_id=record.id, counterpart_id=record.user_id, memo=text))
    return out


def _reverse_deposit(tenant, live, person, pool, approver, now) -> list[TimeEntry]:
    record = db.session.get(ServiceRecord, live[0].record_id)
    for outbox_id in sorted({e.outbox_id for e in live}):
        taken = {a.id: -sum(e.minutes for e in live if e.outbox_id == outbox_id
                            and e.account_id == a.id) for a in (person, pool)}
        if any(a.balance_minutes + taken[a.id] < 0 for a in (person, pool)):
            raise TimeBankError(_l("This change would take back time credits that have already "
                                   "been spent or given away."), 409)
    out = []
    for outbox_id in sorted({e.outbox_id for e in live}):
        original = db.session.get(OutboxEvent, outbox_id)
        outbox = emit(ledger.Reversal, tenant=tenant, date=local_date(now),
                      narration=f"时间银行更正 {record.activity_name}"[:500],
                      source=f"service-record:{record.id}", approver=_by(approver),
                      original=original_event(tenant, original.txn_id), reason="服务时长更正")
        for entry in (e for e in live if e.outbox_id == outbox_id):
            account = person if entry.account_id == person.id else pool
            out.append(_append(account, REVERSAL, -entry.minutes, outbox, by=approver,
                               org_id=entry.org_id, record_id=record.id,
                               counterpart_id=entry.counterpart_id, reverses=entry,
                               memo=f"更正 {entry.memo}"))
    return out


# -- gifts ------------------------------------------------------------------------------

def check_minutes(minutes: object) -> int:
    if (isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0
            or minutes % QUARTER or minutes > GIFT_MAX_MINUTES):
        raise TimeBankError(_l("Give whole quarters of an hour, at least 0.25 and at most "
                               "1000 hours."), 422)
    return minutes


def member_by_phone(tenant: Tenant, phone: str) -> User | None:
    """The person of this district with that mobile number (a role here), or None."""
    from app.auth.services import find_user

    user = find_user(phone or "")
    return user if user is not None and user.roles_in(tenant.id) else None


def give(tenant: Tenant, giver: User | None, receiver: User, minutes: int, *, by: User,
         now: datetime | None = None) -> tuple[TimeEntry, TimeEntry]:
    """Move credits from ``giver`` (None: the community pool) to ``receiver``."""
    minutes = check_minutes(minutes)
    giver_id = giver.id if giver else None
    if receiver.id == giver_id:
        raise TimeBankError(_l("Choose someone other than yourself."), 422)
    if not receiver.roles_in(tenant.id):
        raise TimeBankError(_l("No one in this district has that mobile number."), 404)
    source, target = _lock_both(tenant.id, giver_id, receiver.id)
    if source.balance_minutes < minutes:
        raise TimeBankError(_l("Not enough time credits: %(have)s hours held, %(need)s hours "
                               "needed.", have=format_minutes(source.balance_minutes),
                               need=format_minutes(minutes)), 409)
    who = "社区互助池" if giver is None else f"volunteer:{giver_id}"
    outbox = emit(ledger.TimeTransfer, tenant=tenant, date=local_date(now or utcnow()),
                  narration=f"时间币转赠 {format_minutes(minutes)} 小时"[:500],
                  source=f"time-bank-gift/{giver_id or 'pool'}/{receiver.id}",
                  approver=_by(by), payee=who, giver=giver_id, receiver=receiver.id,
                  hours=hours(minutes))
    out = _append(source, GIFT_OUT, -minutes, outbox, by=by, counterpart_id=receiver.id)
    into = _append(target, GIFT_IN, minutes, outbox, by=by, counterpart_id=giver_id)
    return out, into


# -- payments for services --------------------------------------------------------------

def price_minutes(slot: ServiceSlot) -> int:
    """What a slot costs in credits: its length, rounded up to the quarter hour (an hour
    received for an hour served)."""
    length = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    return -(-length // QUARTER) * QUARTER


def payment_of(booking: SlotBooking) -> TimeEntry | None:
    """The booking's payment not refunded yet, if any."""
    refunded = select(TimeEntry.reverses_id).where(TimeEntry.booking_id == booking.id,
                                                   TimeEntry.kind == REFUND)
    return db.session.scalar(select(TimeEntry).where(
        TimeEntry.booking_id == booking.id, TimeEntry.kind == PAYMENT,
        TimeEntry.id.not_in(refunded)))


def pay(booking: SlotBooking, payer: User, now: datetime | None = None) -> TimeEntry:
    """The resident pays their confirmed booking with time credits, once."""
    now = now or utcnow()
    from app.projects.places import lock

    tenant = db.session.get(Tenant, booking.tenant_id)
    if booking.user_id != payer.id:
        raise TimeBankError(_l("Only the resident who booked can pay for the booking."), 403)
    # The slot's lock first, as a withdrawal takes it: a cancellation and a payment of one
    # booking happen one after the other, never side by side.
    slot = lock(ServiceSlot, booking.slot_id)
    db.session.refresh(booking)
    account = account_for(tenant.id, payer.id, lock=True)
    if booking.status != SignupStatus.CONFIRMED or slot.is_cancelled:
        raise TimeBankError(_l("Only a confirmed booking can be paid for."), 409)
    if slot.ends_at <= now:
        raise TimeBankError(_l("This service is over; it can no longer be paid for."), 409)
    if payment_of(booking) is not None:
        raise TimeBankError(_l("This booking is already paid with time credits."), 409)
    minutes = price_minutes(slot)
    if account.balance_minutes < minutes:
        raise TimeBankError(_l("Not enough time credits: %(have)s hours held, %(need)s hours "
                               "needed.", have=format_minutes(account.balance_minutes),
                               need=format_minutes(minutes)), 409)
    project = slot.project
    outbox = emit(ledger.TimePayment, tenant=tenant, date=local_date(now),
                  narration=f"时间币兑换服务 {project.name}"[:500],
                  source=f"slot-booking:{booking.id}", approver=_by(payer),
                  payee=f"resident:{payer.id}", org_id=slot.org_id, person=payer.id,
                  hours=hours(minutes))
    return _append(account, PAYMENT, -minutes, outbox, by=payer, org_id=slot.org_id,
                   booking_id=booking.id, memo=project.name)


def refund(booking: SlotBooking, *, by: User | None, now: datetime | None = None,
           approver: str | None = None) -> TimeEntry | None:
    """Give back the credits of a cancelled booking (a reversal of its payment); ``approver``
    names who cancelled when it was not a person (the organization cancelled the slot)."""
    paid = payment_of(booking)
    if paid is None:
        return None
    tenant = db.session.get(Tenant, booking.tenant_id)
    account = account_for(tenant.id, booking.user_id, lock=True)
    original = db.session.get(OutboxEvent, paid.outbox_id)
    outbox = emit(ledger.Reversal, tenant=tenant, date=local_date(now or utcnow()),
                  narration=f"预约取消，时间币退回 {paid.memo}"[:500],
                  source=f"slot-booking:{booking.id}", approver=approver or _by(by),
                  original=original_event(tenant, original.txn_id), reason="预约取消")
    return _append(account, REFUND, -paid.minutes, outbox, by=by, org_id=paid.org_id,
                   booking_id=booking.id, reverses=paid, memo=paid.memo)


def payable_bookings(tenant_id: int, user_id: int, now: datetime) -> list[SlotBooking]:
    """The person's confirmed bookings of services still to come, not paid in credits."""
    rows = db.session.scalars(
        select(SlotBooking).join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id).where(
            SlotBooking.tenant_id == tenant_id, SlotBooking.user_id == user_id,
            SlotBooking.status == SignupStatus.CONFIRMED, ServiceSlot.ends_at > now,
            ServiceSlot.cancelled_at.is_(None)).order_by(ServiceSlot.starts_at))
    return [b for b in rows if payment_of(b) is None]


# -- reading ----------------------------------------------------------------------------

def movements(account: TimeAccount, limit: int = 50) -> list[TimeEntry]:
    return list(db.session.scalars(select(TimeEntry).where(
        TimeEntry.account_id == account.id).order_by(TimeEntry.id.desc()).limit(limit)))


def donated_by(tenant_id: int, user_id: int) -> int:
    """Minutes of the person's verified hours that went to the pool (net of corrections)."""
    return db.session.scalar(select(func.coalesce(func.sum(TimeEntry.minutes), 0)).join(
        TimeAccount, TimeAccount.id == TimeEntry.account_id).where(
        TimeEntry.tenant_id == tenant_id, TimeAccount.user_id.is_(None),
        TimeEntry.kind.in_((DONATION, REVERSAL)), TimeEntry.counterpart_id == user_id)) or 0


def pool_totals(tenant_id: int) -> tuple[int, int]:
    """(minutes donated to the pool, minutes given out from it), net of corrections."""
    pool = find_account(tenant_id, None)
    if pool is None:
        return 0, 0
    rows = dict(db.session.execute(select(TimeEntry.kind, func.sum(TimeEntry.minutes)).where(
        TimeEntry.account_id == pool.id).group_by(TimeEntry.kind)).all())
    return (int(rows.get(DONATION, 0)) + int(rows.get(REVERSAL, 0)),
            -int(rows.get(GIFT_OUT, 0)))
