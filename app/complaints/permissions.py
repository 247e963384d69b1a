"""Complaints: any member of the district (not in an auditor's read-only hat) files one and
gives the verdict on their own; the handling organization's admins and coordinators see and
handle it; the bureau handles what it is given or escalated, and with the
auditors sees all."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, rule, tenant_of
from app.service.permissions import COORDINATING


@rule("complaint.file")
def _file(user, tenant) -> bool:
    return bool(user.roles_in(tenant_of(tenant)) - {Role.AUDITOR})


@rule("complaint.view")
def _view(user, complaint) -> bool:
    if user.id in (getattr(complaint, "user_id", None), getattr(complaint, "handler_id", None)):
        return True
    org_id = getattr(complaint, "org_id", None)
    return is_staff(user, tenant_of(complaint), org_id, *COORDINATING) or has_tenant_role(
        user, complaint, *OVERSIGHT)


@rule("complaint.handle")
def _handle(user, complaint) -> bool:
    from app.complaints.models import Complaint
    from app.complaints.services import may_handle

    return isinstance(complaint, Complaint) and may_handle(user, complaint)


@rule("complaint.verdict")
def _verdict(user, complaint) -> bool:
    """Satisfied or not: only the resident who filed it."""
    return getattr(complaint, "user_id", None) == user.id


@rule("complaint.queue.view")
def _queue(user, tenant) -> bool:
    return bool(user.org_ids(tenant_of(tenant), *COORDINATING)) or has_tenant_role(
        user, tenant, Role.BUREAU_OFFICER)


@rule("complaint.overview.view")
def _oversee(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)
