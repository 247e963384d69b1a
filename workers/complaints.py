"""Jobs of the complaints domain: take the complaints that are late or were reopened one step
up the area tree (community, street, bureau: 逐级上报), each step once."""

from __future__ import annotations


def escalate_due(tenant_id: int, now_iso: str | None = None) -> int:
    """One step up for each of a tenant's late or reopened complaints that is due one, its
    staff told; idempotent."""
    from datetime import datetime

    from app.complaints import services
    from app.db_commit import commit
    from app.extensions import db
    from app.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    escalated = services.escalate_due(tenant,
                                      datetime.fromisoformat(now_iso) if now_iso else None)
    commit()
    return escalated
