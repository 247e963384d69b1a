"""Ledger jobs, all on the ``ledger`` queue: drain a tenant's outbox into the journal,
sweep every tenant with rows left pending, close ended months and verify each night.

A ``drain`` job is enqueued by ``app.books.outbox.emit`` after the commit that
stored the event. Jobs take ids, run in an app context, and are idempotent: a
retry posts nothing twice.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

#: Suggested schedule (cron syntax) for an operator's scheduler: ``flask ledger drain``
#: and ``flask ledger verify`` run the same work from the command line.
SCHEDULE = {"sweep": "*/10 * * * *", "nightly": "30 2 * * *"}


def drain(tenant_id: int) -> int:
    """Post the tenant's pending outbox rows; raise on failure so rq retries."""
    from app.books import drain as posting

    return posting.drain(tenant_id)


def sweep() -> dict[int, int]:
    """Re-drain every tenant with pending rows (e.g. Redis was down at commit time)."""
    from app.books import drain as posting

    done: dict[int, int] = {}
    for tenant_id in posting.pending_tenants():
        try:
            done[tenant_id] = posting.drain(tenant_id)
        except Exception:  # one tenant's broken row must not stop the others
            log.exception("sweep: tenant %s not drained", tenant_id)
    return done


def nightly() -> dict[int, bool]:
    """Close ended months, then verify every tenant's books against the index."""
    from sqlalchemy import select

    from app.books import audit
    from app.books import drain as posting
    from app.extensions import db
    from app.tenancy.models import Tenant

    sweep()
    results: dict[int, bool] = {}
    for tenant_id in db.session.scalars(select(Tenant.id).order_by(Tenant.id)).all():
        try:
            posting.close_due_months(tenant_id)
        except Exception:
            log.exception("nightly: months of tenant %s not closed", tenant_id)
        results[tenant_id] = audit.verify_tenant(tenant_id).ok
    return results
