"""Isolation makers for the audit log, the anomaly queue, spot checks, evaluations and
exports (every object the oversight pages name by id)."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


def _add(row):
    from app.extensions import db

    db.session.add(row)
    db.session.flush()
    return row.id


@maker("audit_entry_id")
def _audit_entry(world, org):
    from app.audit.models import AuditEntry

    return _add(AuditEntry(tenant_id=world.tenant.id, action="update", object_type="organization",
                           object_id=str(org.id), changes={"name": [org.name, org.name]}))


@maker("scan_id")
def _scan(world, org):
    from app.oversight.models import ScanRun

    return _add(ScanRun(tenant_id=world.tenant.id, trigger="manual", status="done"))


@maker("finding_id")
def _finding(world, org):
    from app.oversight.models import Finding

    return _add(Finding(tenant_id=world.tenant.id, rule="identity.shared_id_number",
                        subject_key=f"maker:{org.id}", org_id=org.id, severity="high",
                        details={"accounts": 1, "org": org.name}, evidence=[]))


def _check(world, org):
    from app.db import utcnow
    from app.spotchecks.models import SpotCheck

    check = SpotCheck(tenant_id=world.tenant.id, kind="service_record", params={"org_id": org.id},
                      sample_size=1, seed="1", population_count=1, population_digest="0" * 64,
                      cutoff_at=utcnow(), drawn_by_id=world.users.officer.id)
    _add(check)
    return check


@maker("spot_check_id")
def _spot_check(world, org):
    return _check(world, org).id


@maker("spot_item_id")
def _spot_item(world, org):
    from app.spotchecks.models import SpotCheckItem

    check = _check(world, org)
    return _add(SpotCheckItem(tenant_id=world.tenant.id, spot_check_id=check.id, position=1,
                              object_type="service_record", object_id=1, org_id=org.id))


@maker("evaluation_id")
def _evaluation(world, org):
    from app.evaluation import services
    from app.evaluation.models import Mode

    return services.start(world.tenant, world.users.officer, org, Mode.DEPARTMENT.value,
                          "2026年度").id


@maker("export_id")
def _export(world, org):
    from app.exports.models import Export

    return _add(Export(tenant_id=world.tenant.id, kind="audit_log", fmt="xlsx",
                       params={"org_name": org.name}, requested_by_id=world.users.auditor.id))


PUBLIC_ENDPOINTS.update({"spotchecks.results"})
PUBLIC_ENDPOINTS.update({"disclosure.index", "disclosure.contract", "disclosure.org"})
# Figures by place and group: totals only, for anyone.
PUBLIC_ENDPOINTS.update({"disclosure.places", "disclosure.places_xlsx"})
