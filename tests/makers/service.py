"""Isolation makers for service records: shifts with a confirmed volunteer and a record."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


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


def _certificate(world, org):
    from datetime import date

    from app.service.certificates import issue

    cache = world.extra.setdefault("service_certificates", {})
    if org.id not in cache:
        _record(world, org)
        volunteer = world.users.volunteer
        cache[org.id] = issue(world.tenant, volunteer, volunteer, date(2026, 1, 1),
                              date(2026, 3, 31))
    return cache[org.id]


@maker("certificate_id")
def _certificate_id(world, org):
    return _certificate(world, org).id


@maker("number")
def _number(world, org):
    return _certificate(world, org).number


def _booking(world, org):
    from datetime import timedelta

    from app.db import utcnow
    from tests.service.factories import book, make_slot

    cache = world.extra.setdefault("service_bookings", {})
    if org.id not in cache:
        project = _shift(world, org).project
        slot = make_slot(project, starts_at=utcnow() - timedelta(days=1))
        cache[org.id] = book(slot, world.users.resident)
    return cache[org.id]


@maker("booking_id")
def _booking_id(world, org):
    return _booking(world, org).id


@maker("rating_id")
def _rating_id(world, org):
    from app.extensions import db
    from app.service.models import ServiceRating

    booking = _booking(world, org)
    rating = ServiceRating(tenant_id=booking.tenant_id, org_id=org.id, booking_id=booking.id,
                           user_id=booking.user_id, score=4, comment=f"{org.name}-评价")
    db.session.add(rating)
    db.session.flush()
    return rating.id


@maker("complaint_id")
def _complaint_id(world, org):
    from app.complaints.models import Complaint
    from app.extensions import db

    booking = _booking(world, org)
    complaint = Complaint(tenant_id=booking.tenant_id, org_id=org.id, booking_id=booking.id,
                          user_id=booking.user_id, body=f"{org.name}-投诉")
    db.session.add(complaint)
    db.session.flush()
    return complaint.id


PUBLIC_ENDPOINTS.update({"service.verify", "service.verify_form"})
PUBLIC_ENDPOINTS.add("api_service.Verification")
