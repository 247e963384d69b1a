"""Isolation makers for service records: shifts with a confirmed volunteer and a record."""

from __future__ import annotations

from tests.isolation import maker


def _shift(world, org):
    """One shift per organization (cached in ``world.extra``) with the world's volunteer
    confirmed on it."""
    from tests.service.factories import confirm, make_project, make_shift

    cache = world.extra.setdefault("service_shifts", {})
    if org.id not in cache:
        project = make_project(world.tenant, org, name=f"{org.name}-服务项目")
        shift = make_shift(project)
        confirm(shift, world.users.volunteer)
        cache[org.id] = shift
    return cache[org.id]


@maker("shift_id")
def _shift_id(world, org):
    return _shift(world, org).id


def _record(world, org):
    from app.extensions import db
    from app.service.models import RecordMethod, RecordStatus, ServiceRecord
    from app.service.services import snapshot

    cache = world.extra.setdefault("service_records", {})
    if org.id not in cache:
        shift = _shift(world, org)
        record = ServiceRecord(**snapshot(shift), user_id=world.users.volunteer.id,
                               checked_in_at=shift.starts_at, checked_out_at=shift.ends_at,
                               minutes=180, method=RecordMethod.QR, status=RecordStatus.VERIFIED)
        db.session.add(record)
        db.session.flush()
        cache[org.id] = record
    return cache[org.id]


@maker("record_id")
def _record_id(world, org):
    return _record(world, org).id


@maker("request_id")
def _request_id(world, org):
    from app.extensions import db
    from app.service.models import HoursRequest, RequestKind

    record = _record(world, org)
    request = HoursRequest(tenant_id=record.tenant_id, org_id=org.id, shift_id=record.shift_id,
                           user_id=record.user_id, record_id=record.id,
                           kind=RequestKind.CORRECTION, starts_at=record.checked_in_at,
                           ends_at=record.checked_out_at, minutes=120, scheduled_minutes=180,
                           previous_minutes=180, reason=f"{org.name}-更正",
                           proposed_by_id=record.user_id)
    db.session.add(request)
    db.session.flush()
    return request.id


@maker("user_id")
def _user_id(world, org):
    """The world's volunteer, who signed up with every organization's shift."""
    _shift(world, org)
    return world.users.volunteer.id
