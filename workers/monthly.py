"""Monthly reports (每月通报): at the start of a month, publish the month that just ended."""

from __future__ import annotations


def publish_last_month(tenant_id: int, now_iso: str | None = None) -> int:
    """Make one tenant's reports for the month before ``now`` (Beijing time); idempotent:
    reports already published are left as they are. Returns how many were made."""
    from datetime import datetime

    from app.db_commit import commit
    from app.extensions import db
    from app.monthly import services
    from app.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return 0
    now = datetime.fromisoformat(now_iso) if now_iso else None
    made = services.generate(tenant, *services.last_ended_month(now), now=now)
    commit()
    return made.made
