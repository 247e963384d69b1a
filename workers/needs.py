"""Jobs of the needs domain: escalate needs that passed their deadline unmet."""

from __future__ import annotations


def escalate_overdue(tenant_id: int, now_iso: str | None = None) -> int:
    """Mark one tenant's late needs 超期 and tell the bureau, once per need."""
    from datetime import datetime

    from app.db_commit import commit
    from app.extensions import db
    from app.needs import services
    from app.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    escalated = services.escalate_overdue(
        tenant, datetime.fromisoformat(now_iso) if now_iso else None)
    commit()
    return escalated
