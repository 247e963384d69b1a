"""Isolation makers for imports: an organization's checked batch, with a problem listed."""

from __future__ import annotations

from tests.isolation import maker


@maker("import_id")
def _batch(world, org):
    from app.extensions import db
    from app.imports.models import ImportBatch, ImportStatus

    admin = world.users.admin if org.id == world.orgs[0].id else world.users.admin2
    batch = ImportBatch(tenant_id=org.tenant_id, kind="volunteers", org_id=org.id,
                        status=ImportStatus.READY, file_key=f"{org.tenant_id}/imports/none.xlsx",
                        original_name=f"{org.name}的志愿者名单.xlsx", size_bytes=1, sha256="0" * 64,
                        total_rows=2, valid_rows=1, error_rows=1, requested_by_id=admin.id,
                        errors=[{"row": 2, "column": "真实姓名", "message": f"{org.name}机密"}])
    db.session.add(batch)
    db.session.flush()
    return batch.id
