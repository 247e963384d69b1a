"""Isolation makers for attendance and return visits: the organization's past service slot
with the world's resident booked on it (so the resident may scan its code; this replaces the
projects' bare slot), and a return-visit sample drawn around the resident's attendance there,
its visit made (so its remarks show).
Loaded after ``projects`` (alphabetical order), so its ``slot_id`` is the one used."""

from __future__ import annotations

from tests.isolation import maker


def _visit(world, org):
    from app.attendance import services as attendance
    from app.attendance.models import AttendanceSource
    from app.extensions import db
    from app.returnvisits.models import ReturnVisit, ReturnVisitSample
    from tests.makers.service import _booking

    cache = world.extra.setdefault("return_visits", {})
    if org.id not in cache:
        booking = _booking(world, org)
        slot = booking.slot
        came = attendance.record(booking, slot, attended=True, source=AttendanceSource.STAFF,
                                 now=slot.starts_at, marked_by=world.users.coordinator)
        sample = ReturnVisitSample(tenant_id=world.tenant.id, params={"org_id": org.id},
                                   sample_size=1, seed="7", algorithm="x", population_count=1,
                                   population_digest="0" * 64, cutoff_at=came.created_at,
                                   drawn_by_id=world.users.officer.id)
        db.session.add(sample)
        db.session.flush()
        visit = ReturnVisit(tenant_id=world.tenant.id, org_id=org.id, sample_id=sample.id,
                            position=1, attendance_id=came.id, slot_id=slot.id,
                            resident_id=booking.user_id, remarks=f"{org.name}-回访",
                            visited_by_id=world.users.officer.id, taken_at=came.created_at,
                            method="phone", reached=True, confirmed=True, satisfaction=4,
                            visited_at=came.created_at)
        db.session.add(visit)
        db.session.flush()
        cache[org.id] = visit
    return cache[org.id]


@maker("slot_id")
def _slot_id(world, org):
    from tests.makers.service import _booking

    return _booking(world, org).slot_id


@maker("sample_id")
def _sample_id(world, org):
    return _visit(world, org).sample_id


@maker("visit_id")
def _visit_id(world, org):
    return _visit(world, org).id
