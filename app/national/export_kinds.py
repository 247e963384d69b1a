"""Exports in the national system's batch-import layout (``mapping``): the district's
volunteers and their verified service records, or one organization's.

The files carry full ID and mobile numbers, which the national system needs: they are asked
for and downloaded under ``national.export`` only (the bureau; an organization's admin for its
own), never by auditors, and each request is an audited ``export`` row.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, union

from app.exports.registry import ExportError, exporter
from app.extensions import db
from app.imports.checks import Areas
from app.national import mapping
from app.national.layout import write
from app.orgs.models import Organization
from app.projects.models import Shift, ShiftSignup
from app.service.models import RecordSource, RecordStatus, ServiceRecord
from app.volunteers.models import VolunteerProfile

RULE = "national.export"
#: Rows read per query (keyset by id: no cursor stays open while progress is committed).
CHUNK = 2000
#: Our record number, for a record made here: the district and the record.
KEY_PREFIX = "GZ"


def _params(tenant, params: dict) -> dict:
    raw = params.get("org_id") or None
    if raw is None:
        return {"org_id": None}
    try:
        org_id = int(raw)
    except (TypeError, ValueError):
        raise ExportError(_l("Choose an organization of this district.")) from None
    org = db.session.get(Organization, org_id)
    if org is None or org.tenant_id != tenant.id:
        raise ExportError(_l("Choose an organization of this district."))
    return {"org_id": org_id}


def record_key(tenant, record_id: int, source: str, source_key: str | None) -> str:
    """A record's number in the file: the national system's own for a record that came from
    it; ours (district and record) for one made here."""
    if source == RecordSource.NATIONAL and source_key:
        return source_key
    return f"{KEY_PREFIX}-{tenant.slug}-{record_id}"


def _org_volunteers(org_id: int):
    return union(
        select(ShiftSignup.user_id).join(Shift, Shift.id == ShiftSignup.shift_id)
        .where(Shift.org_id == org_id),
        select(ServiceRecord.user_id).where(ServiceRecord.org_id == org_id)).subquery()


def _by_id(stmt, id_column) -> Iterator:
    last = 0
    while True:
        rows = db.session.execute(stmt.where(id_column > last).order_by(id_column)
                                  .limit(CHUNK)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


@exporter("national_volunteers", title=_l("Volunteers, national system layout"),
          formats=("xlsx",), validate=_params, rule=RULE)
def national_volunteers(job) -> None:
    layout = mapping.current().volunteers
    p = VolunteerProfile
    stmt = select(p.id, p.real_name, p.id_number, p.gender, p.birth_date, p.phone, p.area_id,
                  p.skills, p.service_categories).where(p.tenant_id == job.tenant.id)
    if org_id := job.params.get("org_id"):
        stmt = stmt.where(p.user_id.in_(select(_org_volunteers(org_id).c.user_id)))
    areas = {v: k for k, v in Areas(job.tenant.id).by_label.items()}

    def values() -> Iterator[dict]:
        for row in _by_id(stmt, p.id):
            yield {"real_name": row.real_name, "id_number": row.id_number, "gender": row.gender,
                   "birth_date": row.birth_date, "phone": row.phone,
                   "area": areas.get(row.area_id, ""), "skills": row.skills,
                   "categories": row.service_categories or []}

    job.export.rows = write(job.path, layout, values())


@exporter("national_records", title=_l("Service records, national system layout"),
          formats=("xlsx",), validate=_params, rule=RULE)
def national_records(job) -> None:
    """Verified records only: what the national system counts as service time."""
    layout = mapping.current().records
    r, p = ServiceRecord, VolunteerProfile
    stmt = (select(r.id, r.source, r.source_key, p.real_name, p.id_number, r.activity_name,
                   r.activity_date, r.place, r.content, r.minutes, r.category,
                   r.organizing_unit, r.leader_name)
            .join(p, (p.user_id == r.user_id) & (p.tenant_id == r.tenant_id))
            .where(r.tenant_id == job.tenant.id, r.status == RecordStatus.VERIFIED,
                   r.minutes > 0))
    if org_id := job.params.get("org_id"):
        stmt = stmt.where(r.org_id == org_id)
    total = db.session.scalar(select(db.func.count()).select_from(stmt.subquery())) or 0
    tenant = job.tenant

    def values() -> Iterator[dict]:
        for done, row in enumerate(_by_id(stmt, r.id), start=1):
            if done % CHUNK == 0:
                job.progress(done, total)
            yield {"record_key": record_key(tenant, row.id, row.source, row.source_key),
                   "real_name": row.real_name, "id_number": row.id_number,
                   "activity": row.activity_name, "date": row.activity_date,
                   "place": row.place, "content": row.content, "hours": row.minutes,
                   "category": row.category, "organizing_unit": row.organizing_unit,
                   "leader_name": row.leader_name}

    job.export.rows = write(job.path, layout, values())

