"""Jobs of the needs domain: remind whoever holds a need coming due, and take late needs one
step up the area tree."""

from __future__ import annotations


def _run(tenant_id: int, now_iso: str | None, action) -> int:
    from datetime import datetime

    from app.db_commit import commit
    from app.extensions import db
    from app.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    done = action(tenant, datetime.fromisoformat(now_iso) if now_iso else None)
    commit()
    return done


def escalate_overdue(tenant_id: int, now_iso: str | None = None) -> int:
    """One step up (community, street, bureau) for each of the tenant's late needs due one."""
    from app.needs import escalation

    return _run(tenant_id, now_iso, escalation.escalate_overdue)


def remind_due(tenant_id: int, now_iso: str | None = None) -> int:
    """Remind whoever holds each of the tenant's needs coming due, once per need."""
    from app.needs import escalation

    return _run(tenant_id, now_iso, escalation.remind_due)
