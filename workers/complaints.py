"""Jobs of the complaints domain: escalate to the bureau the complaints that are late or
were reopened (上报民政局), once per round."""

from __future__ import annotations


def escalate_due(tenant_id: int, now_iso: str | None = None) -> int:
    """Escalate one tenant's late or reopened complaints and tell the bureau; idempotent."""
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
