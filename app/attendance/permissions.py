"""Attendance: the organization's admins and coordinators mark the roster and show the slot's
code; its staff, the bureau and auditors read the roster; a resident scans and confirms only
their own booking."""

from __future__ import annotations

from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, rule, tenant_of
from app.service.permissions import COORDINATING


@rule("attendance.mark")
def _mark(user, slot) -> bool:
    return is_staff(user, tenant_of(slot), org_of(slot), *COORDINATING)


@rule("attendance.roster.view")
def _roster(user, slot) -> bool:
    return is_staff(user, tenant_of(slot), org_of(slot)) or has_tenant_role(user, slot, *OVERSIGHT)


@rule("attendance.staff_home")
def _staff_home(user, tenant) -> bool:
    return bool(user.org_ids(tenant_of(tenant), *COORDINATING))


@rule("attendance.scan")
def _scan(user, slot) -> bool:
    """Scanning a slot's code: a resident holding a confirmed booking on it."""
    from app.attendance.services import booking_of

    return booking_of(slot, user.id) is not None


@rule("attendance.confirm")
def _confirm(user, booking) -> bool:
    """我已接受服务: only the resident who booked."""
    return getattr(booking, "user_id", None) == user.id
