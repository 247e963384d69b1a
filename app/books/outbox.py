"""``emit``: the one way business code records money. It never touches the journal."""

from __future__ import annotations

from typing import Any

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
    row = OutboxEvent(tenant_id=tenant.id, kind=event_type.kind, payload={},
                      source=str(fields.get("source", ""))[:200])
    db.session.add(row)
    db.session.flush()
    event = event_type(txn_id=f"gz-{row.id}", tenant=tenant.slug, **fields)
    row.txn_id = event.txn_id
    row.payload = event.to_payload()
    db.session.flush()
    _schedule_drain(tenant.id)
    return row


def _schedule_drain(tenant_id: int) -> None:
    """Queue the drain job for after the commit; the books domain provides it."""
    try:
        from workers.ledger import drain
    except ImportError:  # the drain is not installed: the row waits in the outbox
        return
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(drain, tenant_id, queue="ledger", retry=3)
