"""The export job (queue ``exports``)."""

from __future__ import annotations


def run_export(export_id: int) -> str:
    """Build one export's file; idempotent (a ready export is left as it is)."""
    from app.audit.capture import act_as
    from app.db_commit import commit
    from app.exports import services
    from app.exports.models import Export
    from app.extensions import db
    from app.tenancy.models import Tenant
    from app.tenancy.scoping import bind_tenant_for_job

    export = db.session.get(Export, export_id)
    if export is None:
        return "missing"
    bind_tenant_for_job(db.session.get(Tenant, export.tenant_id))
    act_as(export.requested_by_id, "exports.run")
    services.run(export)
    commit()
    return export.status
