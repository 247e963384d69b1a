"""``emit``: the one way business code records money. It never touches the journal."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

import ledger
from app.books.models import OutboxEvent
from app.extensions import db
from app.tenancy.models import Tenant


def emit(event_type: type, *, tenant: Tenant, **fields: Any) -> OutboxEvent:
    """Validate a money event and store it in the outbox, in the caller's transaction.

    ``event_type`` is one of ``ledger``'s event classes; ``fields`` are its fields
    except ``txn_id`` and ``tenant``, which are assigned here (``gz-<outbox id>``, so
    journal order follows outbox order). A validation error raises ``ValueError``
    before anything is committed. The ledger worker posts the event after commit.
    """
    # Validate before the row exists, so a refused event leaves nothing to commit.
    event = event_type(txn_id="gz-new", tenant=tenant.slug, **fields)
    row = OutboxEvent(tenant_id=tenant.id, kind=event_type.kind, payload={},
                      source=event.source[:200])
    db.session.add(row)
    db.session.flush()
    event = dataclasses.replace(event, txn_id=f"gz-{row.id}")
    row.txn_id = event.txn_id
    row.payload = event.to_payload()
    db.session.flush()
    _schedule_drain(tenant.id)
    return row


def _schedule_drain(tenant_id: int) -> None:
    """Queue the drain job for after the commit, once per tenant and transaction."""
    from workers.ledger import drain
    from workers.queue import enqueue_after_commit

    scheduled = db.session().info.setdefault(_SCHEDULED, set())
    if tenant_id in scheduled:
        return
    scheduled.add(tenant_id)
    enqueue_after_commit(drain, tenant_id, queue="ledger", retry=3)


def _forget_scheduled(session, *args) -> None:
    session.info.pop(_SCHEDULED, None)


_SCHEDULED = "gz_ledger_drains"
# The set lives as long as the transaction; the job list it mirrors does too.
sa_event.listen(Session, "after_commit", _forget_scheduled)
sa_event.listen(Session, "after_rollback", _forget_scheduled)


def original_event(tenant: Tenant, txn_id: str) -> ledger.MoneyEvent:
    """The stored event with ``txn_id`` (``gz-<id>``), to pass as ``original`` of a
    ``Reversal``: ``emit(Reversal, tenant=t, original=original_event(t, txn_id), ...)``."""
    payload = db.session.scalar(select(OutboxEvent.payload).where(
        OutboxEvent.tenant_id == tenant.id, OutboxEvent.txn_id == txn_id))
    if payload is None:
        raise LookupError(f"no money event {txn_id} in tenant {tenant.slug}")
    return ledger.event_from_payload(payload)
