"""Import jobs: check an uploaded spreadsheet, then (after the yes) write its new rows."""

from __future__ import annotations

import logging

from flask import current_app

log = logging.getLogger(__name__)


def _job(batch_id: int, who: str, work) -> str:
    from app.audit.capture import act_as
    from app.db_commit import commit
    from app.extensions import db
    from app.imports import services
    from app.imports.models import ImportBatch
    from app.tenancy.models import Tenant
    from app.tenancy.scoping import bind_tenant_for_job

    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        return "missing"
    bind_tenant_for_job(db.session.get(Tenant, batch.tenant_id))
    act_as(getattr(batch, who), f"imports.{work.__name__}")
    try:
        work(batch)
    except Exception:
        log.exception("import %s stopped", batch_id)
        db.session.rollback()
        services.stopped(batch_id, "")
        commit()
        if current_app.config.get("JOBS_INLINE_RAISE"):
            raise
        return "failed"
    commit()
    return db.session.get(ImportBatch, batch_id).status


def validate_import(batch_id: int) -> str:
    """Check every row of the upload; idempotent (a checked batch is left as it is)."""
    from app.imports import services

    return _job(batch_id, "requested_by_id", services.validate)


def run_import(batch_id: int) -> str:
    """Write the confirmed batch's new rows; run again, it writes only what is still new."""
    from app.imports import services

    return _job(batch_id, "confirmed_by_id", services.run)
