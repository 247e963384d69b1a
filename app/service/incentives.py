"""Points (积分) for verified hours: the per-volunteer wallet and its ledger events.

``record_points`` brings the points credited for one service record in line with its
verified minutes. The wallet row is locked for update while an entry is appended, entries
are never edited (a correction that removes hours posts a reversal and, if hours remain, a
new accrual), and the balance can never go below zero (checked here and by the database).
Every accrual and reversal also goes to the ledger outbox (``app.books.outbox.emit``), in the
same transaction. Redemptions at partner merchants (``app.funding.incentives``) hold points
with a ``redemption`` entry and give them back with a ``release`` entry; the points a
volunteer may still use with an organization are the sum of that organization's entries.
Points are recognition, never wages (志愿服务条例).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import ledger
from app.auth.models import User
from app.books.models import OutboxEvent
from app.books.outbox import emit, original_event
from app.db import utcnow
from app.extensions import db
from app.service.hours import local_date, points_for
from app.service.models import PointsEntry, PointsWallet, RecordStatus, ServiceRecord
from app.service.services import ServiceError
from app.tenancy.models import Tenant

ACCRUAL, REVERSAL, REDEMPTION, RELEASE = "accrual", "reversal", "redemption", "release"


def wallet_for(tenant_id: int, user_id: int, *, lock: bool = False) -> PointsWallet:
    """The volunteer's wallet, created on first use; ``lock`` holds its row until commit."""
    stmt = select(PointsWallet).where(PointsWallet.tenant_id == tenant_id,
                                      PointsWallet.user_id == user_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    wallet = db.session.scalar(stmt)
    if wallet is None:
        try:
            with db.session.begin_nested():
                wallet = PointsWallet(tenant_id=tenant_id, user_id=user_id, balance=0)
                db.session.add(wallet)
        except IntegrityError:  # created concurrently: use theirs
            wallet = db.session.scalar(stmt)
    return wallet


def balance(tenant_id: int, user_id: int) -> int:
    return db.session.scalar(select(PointsWallet.balance).where(
        PointsWallet.tenant_id == tenant_id, PointsWallet.user_id == user_id)) or 0


def target_points(record: ServiceRecord, tenant: Tenant) -> int:
    # The rules in force on the day served: a later change never reaches back.
    day = record.activity_date
    if record.status != RecordStatus.VERIFIED or tenant.setting("incentive_mode", day) not in (
            "points", "both"):
        return 0
    return points_for(record.minutes, tenant.setting("points_per_hour", day),
                      tenant.setting("points_cap_per_activity", day))


def record_points(record: ServiceRecord, *, approver: User | None, now: datetime
                  ) -> list[PointsEntry]:
    """Credit or take back points so the record holds exactly what its minutes earn."""
    tenant = db.session.get(Tenant, record.tenant_id)
    target = target_points(record, tenant)
    if target == record.points:
        return []
    wallet = wallet_for(record.tenant_id, record.user_id, lock=True)
    entries: list[PointsEntry] = []
    if target > record.points:
        entries.append(_accrue(wallet, record, target - record.points, tenant, approver, now))
    else:
        live = live_accruals(record)
        taken = target - sum(e.points for e in live)
        if (wallet.balance + taken < 0
                or org_points(wallet, record.org_id) + taken < 0):
            raise ServiceError(_l("This change would take back %(points)s points, but the "
                                  "volunteer has already redeemed some of them.",
                                  points=record.points - target))
        if target:  # the new accrual first, so the running balance never dips below zero
            entries.append(_accrue(wallet, record, target, tenant, approver, now))
        entries += [_reverse(wallet, e, tenant, approver, now) for e in live]
    record.points = target
    db.session.flush()
    return entries


def live_accruals(record: ServiceRecord) -> list[PointsEntry]:
    """Accrual entries of a record that no reversal has cancelled yet."""
    reversed_ids = select(PointsEntry.reverses_id).where(PointsEntry.reverses_id.is_not(None),
                                                         PointsEntry.record_id == record.id)
    return list(db.session.scalars(select(PointsEntry).where(
        PointsEntry.record_id == record.id, PointsEntry.kind == ACCRUAL,
        PointsEntry.id.not_in(reversed_ids)).order_by(PointsEntry.id)))


def org_points(wallet: PointsWallet, org_id: int) -> int:
    """Points the wallet holds from one organization (the sum of its entries)."""
    return db.session.scalar(select(func.coalesce(func.sum(PointsEntry.points), 0)).where(
        PointsEntry.wallet_id == wallet.id, PointsEntry.org_id == org_id)) or 0


def org_balances(tenant_id: int, user_id: int, kinds: tuple[str, ...] = ()
                 ) -> dict[int, int]:
    """Points ``user_id`` holds per organization that granted them (entries summed; only
    entries of ``kinds`` when given, e.g. ``(REDEMPTION, RELEASE)``)."""
    rows = db.session.execute(
        select(PointsEntry.org_id, func.sum(PointsEntry.points)).where(
            PointsEntry.tenant_id == tenant_id, PointsEntry.user_id == user_id,
            PointsEntry.org_id.is_not(None), *([PointsEntry.kind.in_(kinds)] if kinds else []))
        .group_by(PointsEntry.org_id))
    return {org_id: int(points) for org_id, points in rows}


def hold_points(tenant_id: int, user_id: int, org_id: int, points: int, memo: str
                ) -> PointsEntry:
    """Set ``points`` granted by ``org_id`` aside for a redemption (a negative entry)."""
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise ServiceError(_l("Points to redeem or give back must be a whole number, "
                              "at least 1."))
    wallet = wallet_for(tenant_id, user_id, lock=True)
    available = min(org_points(wallet, org_id), wallet.balance)
    if points > available:
        raise ServiceError(_l("Only %(n)d points from this organization are available; you "
                              "cannot redeem more.", n=max(available, 0)))
    return _append(wallet, org_id, None, REDEMPTION, -points, memo)


def release_points(tenant_id: int, user_id: int, org_id: int, points: int, memo: str
                   ) -> PointsEntry:
    """Give back points a redemption held (its code was cancelled): a positive entry."""
    if points <= 0:
        raise ServiceError(_l("Points to redeem or give back must be a whole number, "
                              "at least 1."))
    wallet = wallet_for(tenant_id, user_id, lock=True)
    return _append(wallet, org_id, None, RELEASE, points, memo)


def credit_points(tenant: Tenant, user_id: int, org_id: int, points: int, *,
                  approver: User | None, source: str, narration: str = "志愿服务积分",
                  now: datetime | None = None) -> PointsEntry:
    """Credit points not tied to a service record (e.g. hours imported from elsewhere):
    an accrual entry and its ``IncentiveAccrual`` event, like ``record_points`` does."""
    wallet = wallet_for(tenant.id, user_id, lock=True)
    entry = _append(wallet, org_id, None, ACCRUAL, points, narration)
    entry.outbox_id = emit(
        ledger.IncentiveAccrual, tenant=tenant, date=local_date(now or utcnow()),
        narration=narration[:500], source=source[:200], approver=_approver_label(approver),
        payee=f"volunteer:{user_id}", org_id=org_id, points=points).id
    db.session.flush()
    return entry


def _approver_label(approver: User | None) -> str:
    return f"user:{approver.id}" if approver else "system:qr-checkout"


def _append(wallet: PointsWallet, org_id: int | None, record_id: int | None, kind: str,
            points: int, memo: str, reverses: PointsEntry | None = None) -> PointsEntry:
    wallet.balance += points
    entry = PointsEntry(tenant_id=wallet.tenant_id, wallet_id=wallet.id, user_id=wallet.user_id,
                        org_id=org_id, record_id=record_id, kind=kind, points=points,
                        balance_after=wallet.balance, memo=memo[:200],
                        reverses_id=reverses.id if reverses else None)
    db.session.add(entry)
    db.session.flush()
    return entry


def _accrue(wallet, record, points, tenant, approver, now) -> PointsEntry:
    entry = _append(wallet, record.org_id, record.id, ACCRUAL, points,
                    f"{record.activity_name} {record.activity_date.isoformat()}")
    outbox = emit(
        ledger.IncentiveAccrual, tenant=tenant, date=local_date(now),
        narration=f"志愿服务积分 {record.activity_name} {record.activity_date.isoformat()}"[:500],
        source=f"service-record:{record.id}", approver=_approver_label(approver),
        payee=f"volunteer:{record.user_id}", org_id=record.org_id, points=points)
    entry.outbox_id = outbox.id
    return entry


def _reverse(wallet, accrual: PointsEntry, tenant, approver, now) -> PointsEntry:
    record = db.session.get(ServiceRecord, accrual.record_id)
    entry = _append(wallet, record.org_id, record.id, REVERSAL, -accrual.points,
                    f"冲销 #{accrual.id} {record.activity_name}", reverses=accrual)
    original = db.session.get(OutboxEvent, accrual.outbox_id)
    outbox = emit(
        ledger.Reversal, tenant=tenant, date=local_date(now),
        narration=f"更正冲销 {record.activity_name} {record.activity_date.isoformat()}"[:500],
        source=f"service-record:{record.id}", approver=_approver_label(approver),
        original=original_event(tenant, original.txn_id), reason="服务时长更正")
    entry.outbox_id = outbox.id
    return entry


def entries_for(tenant_id: int, user_id: int, limit: int = 20) -> list[PointsEntry]:
    return list(db.session.scalars(select(PointsEntry).where(
        PointsEntry.tenant_id == tenant_id, PointsEntry.user_id == user_id)
        .order_by(PointsEntry.id.desc()).limit(limit)))
