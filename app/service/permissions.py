"""Who may record, approve, see and certify service. Objects carry ``tenant_id`` and,
when an organization owns them, ``org_id``."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, rule, tenant_of

COORDINATING = (Role.ORG_ADMIN, Role.ORG_COORDINATOR)


def _coordinates(user, obj) -> bool:
    return is_staff(user, tenant_of(obj), org_of(obj), *COORDINATING)


@rule("service.attendance", "service.propose_hours", "service.decide", "service.record_honours",
      "feedback.answer")
def _coordinator(user, obj) -> bool:
    """Attendance, hours proposals and decisions, training/award records, answering residents:
    the organization's admins and coordinators."""
    return _coordinates(user, obj)


@rule("service.decide_late")
def _late(user, obj) -> bool:
    """Records completed after the working-day deadline need the bureau's approval."""
    return has_tenant_role(user, obj, Role.BUREAU_OFFICER)


@rule("service.org_records.view", "feedback.org.view")
def _org_records(user, obj) -> bool:
    """An organization's records and feedback: its staff, the bureau and auditors."""
    return is_staff(user, tenant_of(obj), org_of(obj)) or has_tenant_role(user, obj, *OVERSIGHT)


@rule("service.staff_home")
def _staff_home(user, tenant) -> bool:
    return bool(user.org_ids(tenant_of(tenant), *COORDINATING)) or has_tenant_role(
        user, tenant, Role.BUREAU_OFFICER)


@rule("feedback.all.view")
def _feedback_oversee(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)


@rule("service.own.view")
def _member(user, tenant) -> bool:
    """A person's own dashboard, records, requests and certificates in a tenant they belong to."""
    return bool(user.roles_in(tenant_of(tenant)))


@rule("service.view_record", "service.request_correction", "certificate.download")
def _owner(user, obj) -> bool:
    """Only the volunteer the record (or certificate) belongs to."""
    return getattr(obj, "user_id", None) == user.id


@rule("feedback.give")
def _resident(user, booking) -> bool:
    """Rating or complaining about a service: the resident who booked and received it."""
    return getattr(booking, "user_id", None) == user.id
