"""Audit jobs: sealing the log after each commit that wrote to it, and anomaly scans
(nightly for every tenant, or on demand for one)."""

from __future__ import annotations

SEAL = "audit-seal"


def seal() -> int:
    from app.audit import chain
    from app.db_commit import commit
    from workers.queue import coalesced

    coalesced(SEAL)
    count = chain.seal()
    commit()
    return count


def scan(tenant_id: int, scan_id: int | None = None, trigger: str = "nightly") -> int | None:
    """Run the anomaly rules for one tenant; returns the scan id. Idempotent: a finished
    scan is not run again, and findings are keyed by rule + subject."""
    from app.audit.capture import act_as
    from app.db_commit import commit
    from app.extensions import db
    from app.oversight import scan as scanning
    from app.oversight.models import ScanRun, ScanStatus
    from app.tenancy.models import Tenant
    from app.tenancy.scoping import bind_tenant_for_job

    tenant = db.session.get(Tenant, tenant_id)
    if tenant is None:
        return None
    bind_tenant_for_job(tenant)
    run = db.session.get(ScanRun, scan_id) if scan_id else None
    if run is not None and run.status != ScanStatus.QUEUED:
        return run.id
    act_as(run.requested_by_id if run else None, "audit.scan")
    if run is None:
        run = scanning.start_scan(tenant, trigger)
    scanning.run_scan(run)
    commit()
    return run.id


def nightly() -> list[int]:
    """Every tenant's nightly scan, then seal the log."""
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    done = [scan(tenant_id) for tenant_id in db.session.scalars(select(Tenant.id).order_by(Tenant.id))]
    seal()
    return [d for d in done if d is not None]
