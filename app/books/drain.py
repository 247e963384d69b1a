"""Posting: the outbox drained into the journal, and the index written in the same step.

Only the ledger worker (``workers.ledger``) and the operator's CLI call these.
For each batch, in one database transaction: take the tenant's lock, read the
pending outbox rows in id order, ``ledger.post`` them (the ledger holds its own
file lock and fsyncs), mirror what was posted into the read index, mark the rows
posted, commit. A retry never posts twice: the ledger replays a txn-id it has
already written, and the index skips txn-ids it already holds.

Two drains of one tenant never interleave: on PostgreSQL a transaction-scoped
advisory lock per tenant serializes them (a waiting drain then sees the rows
the first one marked); on SQLite every transaction begins ``IMMEDIATE``
(``app.db_events``), which serializes writers the same way. Skipping locked
rows instead would post later events before earlier ones, so drains wait.
"""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select, text, update

import ledger
from app.books import index
from app.books.models import OutboxEvent
from app.db import utcnow
from app.extensions import db
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
#: First key of the advisory lock (``pg_advisory_xact_lock(int, int)``): "ldgr".
LOCK_CLASS = 0x6C646772
SHANGHAI = ZoneInfo("Asia/Shanghai")


class DrainError(RuntimeError):
    """An outbox row could not be posted; it stays pending with ``last_error`` set."""

    def __init__(self, outbox_id: int, message: str) -> None:
        super().__init__(f"ledger outbox row {outbox_id}: {message}")
        self.outbox_id = outbox_id


def ledger_dir() -> str:
    return current_app.config["LEDGER_DIR"]


def lock_tenant(tenant_id: int) -> None:
    """Hold the tenant's books lock until the current transaction ends."""
    connection = db.session.connection()  # begins the transaction (IMMEDIATE on SQLite)
    if connection.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:cls, :tenant)"),
                           {"cls": LOCK_CLASS, "tenant": tenant_id})
        # The journal is fsynced before this commit and is the record; if the server
        # loses this commit in a crash, the rows are pending again and the retry
        # replays them from the journal. So the commit need not wait for the WAL flush.
        db.session.execute(text("SET LOCAL synchronous_commit = off"))


def _tenant_slug(tenant_id: int) -> str:
    slug = db.session.scalar(select(Tenant.slug).where(Tenant.id == tenant_id))
    if slug is None:
        raise LookupError(f"no tenant {tenant_id}")
    return slug


def drain(tenant_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Post every pending outbox row of a tenant; return how many were posted.

    Raises ``DrainError`` (after committing what did post and recording the
    error on the row that failed) so a queue retries later.
    """
    from app.books.publish import publish_quietly

    slug = _tenant_slug(tenant_id)
    total = 0
    after = 0
    try:
        while True:
            count, after = _drain_batch(tenant_id, slug, batch_size, after)
            total += count
            if count < batch_size:
                return total
    finally:
        publish_quietly(slug)


def _drain_batch(tenant_id: int, slug: str, limit: int, after: int) -> tuple[int, int]:
    """Post up to ``limit`` pending rows with ids above ``after``; return (posted, last id).

    Within one drain, later batches start after the last row posted: the index
    range then skips the rows just marked posted (on PostgreSQL their old
    versions linger in the index until vacuum). A row with a lower id that
    commits meanwhile is picked up by the drain its own commit enqueues.
    """
    head: int | None = None
    try:
        lock_tenant(tenant_id)
        rows = db.session.execute(
            select(OutboxEvent.id, OutboxEvent.payload)
            .where(OutboxEvent.tenant_id == tenant_id, OutboxEvent.posted_at.is_(None),
                   OutboxEvent.id > after)
            .order_by(OutboxEvent.id).limit(limit)
        ).all()
        if not rows:
            db.session.commit()
            return 0, after
        head = rows[0].id
        events: list[tuple[int, ledger.MoneyEvent]] = []
        failure: tuple[int, str] | None = None
        for row in rows:
            try:
                events.append((row.id, ledger.event_from_payload(row.payload)))
            except (TypeError, ValueError) as exc:
                failure = (row.id, f"{type(exc).__name__}: {exc}")
                break
        posted, done, post_failure = _post(slug, events)
        failure = post_failure or failure
        by_txn = {event.txn_id: event for _, event in done}
        index.write(tenant_id, index.records_from_posted(posted, by_txn),
                    skip_known=any(p.replayed for p in posted))
        if done:
            db.session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_([outbox_id for outbox_id, _ in done]))
                .values(posted_at=utcnow(), last_error=None),
                execution_options={"synchronize_session": False})
        if failure:
            _record_failure(*failure)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        if head is not None:
            _record_failure(head, f"{type(exc).__name__}: {exc}")
            db.session.commit()
        raise
    if failure:
        raise DrainError(*failure)
    return len(done), rows[-1].id


def _post(slug: str, events: list[tuple[int, ledger.MoneyEvent]]):
    """Post the batch; if it fails, post one by one up to the event that fails."""
    if not events:
        return [], [], None
    try:
        return ledger.post(ledger_dir(), slug, [e for _, e in events]), events, None
    except Exception as exc:  # the whole batch was refused: find which event
        log.warning("ledger batch for %s refused (%s); posting one by one", slug, exc)
    posted: list[ledger.Posted] = []
    done: list[tuple[int, ledger.MoneyEvent]] = []
    for outbox_id, event in events:
        try:
            posted += ledger.post(ledger_dir(), slug, [event])
        except Exception as exc:
            return posted, done, (outbox_id, f"{type(exc).__name__}: {exc}")
        done.append((outbox_id, event))
    return posted, done, None


def _record_failure(outbox_id: int, message: str) -> None:
    log.error("ledger outbox row %s not posted: %s", outbox_id, message)
    db.session.execute(
        update(OutboxEvent).where(OutboxEvent.id == outbox_id)
        .values(attempts=OutboxEvent.attempts + 1, last_error=message[:2000]),
        execution_options={"synchronize_session": False})


def pending_tenants() -> list[int]:
    """Tenants with outbox rows not yet posted (for the sweep)."""
    return list(db.session.scalars(
        select(OutboxEvent.tenant_id).where(OutboxEvent.posted_at.is_(None))
        .group_by(OutboxEvent.tenant_id).order_by(OutboxEvent.tenant_id)))


def close_month(tenant_id: int, year: int, month: int) -> int:
    """Write the month-end balance assertions up to ``year``-``month`` (and a year-end
    carry-over when it is December); mirrors any carry-over into the index."""
    slug = _tenant_slug(tenant_id)
    try:
        lock_tenant(tenant_id)
        posted = ledger.close_month(ledger_dir(), slug, year, month)
        written = index.write(tenant_id, index.records_from_posted(posted, {}))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    from app.books.publish import publish_quietly

    publish_quietly(slug)
    return written


def month_to_close(today: datetime.date, grace_days: int) -> tuple[int, int]:
    """The last month whose books may close on ``today``: months close once
    ``grace_days`` days of the next month have passed (late vouchers still land
    in their own month)."""
    cutoff = today - datetime.timedelta(days=grace_days)
    first = cutoff.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def close_due_months(tenant_id: int, today: datetime.date | None = None) -> int:
    """Close the months that have ended (nightly job)."""
    tenant = db.session.get(Tenant, tenant_id)
    today = today or datetime.datetime.now(SHANGHAI).date()
    year, month = month_to_close(today, int(tenant.setting("ledger_month_close_grace_days")))
    return close_month(tenant_id, year, month)

