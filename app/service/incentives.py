"""Points (积分) for verified hours: the per-volunteer wallet and its ledger events.

``record_points`` brings the points credited for one service record in line with its
verified minutes. The wallet row is locked for update while an entry is appended, entries
are never edited (a correction that removes hours posts a reversal and, if hours remain, a
new accrual), and the balance can never go below zero (checked here and by the database).
Every accrual and reversal also goes to the ledger outbox through ``emit_ledger_event``,
in the same transaction. Points are recognition, never wages (志愿服务条例).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.books.models import OutboxEvent
from app.extensions import db
from app.service.hours import local_date, points_for
from app.service.models import PointsEntry, PointsWallet, RecordStatus, ServiceRecord
from app.service.services import ServiceError
from app.tenancy.models import Tenant

ACCRUAL, REVERSAL = "accrual", "reversal"
LEDGER_ACCRUAL, LEDGER_REVERSAL = "incentive-accrual", "reversal"


def emit_ledger_event(kind: str, payload: dict[str, Any]) -> OutboxEvent:
    """Store one money event in the ledger outbox, in the caller's transaction.

    ``payload`` has the fields of the ledger's event of that ``kind`` except ``txn_id``,
    which is assigned here as ``gz-<outbox id>`` (the journal's order follows the outbox).
    The row waits with ``posted_at`` empty until the ledger worker posts it.
    """
    tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == payload["tenant"]))
    row = OutboxEvent(tenant_id=tenant_id, kind=kind, payload={},
                      source=str(payload.get("source", ""))[:200])
    db.session.add(row)
    db.session.flush()
    row.txn_id = f"gz-{row.id}"
    row.payload = {"kind": kind, "txn_id": row.txn_id, **payload}
    db.session.flush()
    _schedule_drain(tenant_id)
    return row


def _schedule_drain(tenant_id: int) -> None:
    """Queue the ledger's drain job after the commit, once the ledger provides one."""
    try:
        from workers.ledger import drain  # type: ignore[import-not-found]
    except ImportError:  # no ledger worker yet: the row waits in the outbox
        return
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(drain, tenant_id, queue="ledger", retry=3)


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
    if record.status != RecordStatus.VERIFIED:
        return 0
    return points_for(record.minutes, tenant.setting("points_per_hour"),
                      tenant.setting("points_cap_per_activity"))


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
        if wallet.balance + target - sum(e.points for e in live) < 0:
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


def _approver_label(approver: User | None) -> str:
    return f"user:{approver.id}" if approver else "system:qr-checkout"


def _append(wallet: PointsWallet, record: ServiceRecord, kind: str, points: int,
            memo: str, reverses: PointsEntry | None = None) -> PointsEntry:
    wallet.balance += points
    entry = PointsEntry(tenant_id=wallet.tenant_id, wallet_id=wallet.id, user_id=wallet.user_id,
                        org_id=record.org_id, record_id=record.id, kind=kind, points=points,
                        balance_after=wallet.balance, memo=memo[:200],
                        reverses_id=reverses.id if reverses else None)
    db.session.add(entry)
    db.session.flush()
    return entry


def _accrue(wallet, record, points, tenant, approver, now) -> PointsEntry:
    entry = _append(wallet, record, ACCRUAL, points,
                    f"{record.activity_name} {record.activity_date.isoformat()}")
    outbox = emit_ledger_event(LEDGER_ACCRUAL, {
        "tenant": tenant.slug, "date": local_date(now).isoformat(),
        "narration": f"志愿服务积分 {record.activity_name} {record.activity_date.isoformat()}"[:500],
        "source": f"service-record:{record.id}", "approver": _approver_label(approver),
        "payee": f"volunteer:{record.user_id}", "org_id": record.org_id, "points": points})
    entry.outbox_id = outbox.id
    return entry


def _reverse(wallet, accrual: PointsEntry, tenant, approver, now) -> PointsEntry:
    record = db.session.get(ServiceRecord, accrual.record_id)
    entry = _append(wallet, record, REVERSAL, -accrual.points,
                    f"冲销 #{accrual.id} {record.activity_name}", reverses=accrual)
    original = db.session.get(OutboxEvent, accrual.outbox_id)
    outbox = emit_ledger_event(LEDGER_REVERSAL, {
        "tenant": tenant.slug, "date": local_date(now).isoformat(),
        "narration": f"更正冲销 {record.activity_name} {record.activity_date.isoformat()}"[:500],
        "source": f"service-record:{record.id}", "approver": _approver_label(approver),
        "org_id": record.org_id, "original": original.payload,
        "reason": "服务时长更正"})
    entry.outbox_id = outbox.id
    return entry


def entries_for(tenant_id: int, user_id: int, limit: int = 20) -> list[PointsEntry]:
    return list(db.session.scalars(select(PointsEntry).where(
        PointsEntry.tenant_id == tenant_id, PointsEntry.user_id == user_id)
        .order_by(PointsEntry.id.desc()).limit(limit)))
