"""The findings queue: list, assign, resolve. Nothing here deletes a finding."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, func, select

from app.auth.models import Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.oversight.models import Finding, FindingStatus, Resolution, Severity
from app.tenancy.models import Tenant


class FindingError(ValueError):
    pass


@dataclass
class QueueFilter:
    status: str = "active"  # active (open + in review) / open / in_review / resolved / all
    severity: str = ""
    rule: str = ""
    org_id: int | None = None
    assignee_id: int | None = None


def queue_query(tenant: Tenant, flt: QueueFilter) -> Select:
    rank = case({Severity.HIGH.value: 3, Severity.MEDIUM.value: 2}, value=Finding.severity,
                else_=1)
    stmt = select(Finding).where(Finding.tenant_id == tenant.id)
    if flt.status == "active":
        stmt = stmt.where(Finding.status != FindingStatus.RESOLVED)
    elif flt.status in set(FindingStatus):
        stmt = stmt.where(Finding.status == flt.status)
    if flt.severity in set(Severity):
        stmt = stmt.where(Finding.severity == flt.severity)
    if flt.rule:
        stmt = stmt.where(Finding.rule == flt.rule)
    if flt.org_id:
        stmt = stmt.where(Finding.org_id == flt.org_id)
    if flt.assignee_id:
        stmt = stmt.where(Finding.assignee_id == flt.assignee_id)
    return stmt.order_by(rank.desc(), Finding.last_seen_at.desc(), Finding.id.desc())


def awaiting_review(tenant: Tenant, limit: int | None = None):
    """Findings nobody has taken up yet, the most severe first:
    ``(count, [(finding, org name or None)])``."""
    from app.db import first_rows
    from app.orgs.models import Organization

    stmt = (queue_query(tenant, QueueFilter(status=FindingStatus.OPEN.value))
            .add_columns(Organization.name)
            .outerjoin(Organization, Organization.id == Finding.org_id))
    return first_rows(stmt, limit)


def counts(tenant: Tenant) -> dict[str, int]:
    rows = db.session.execute(
        select(Finding.status, func.count()).where(Finding.tenant_id == tenant.id)
        .group_by(Finding.status)).all()
    return {status: n for status, n in rows}


def assignable_users(tenant: Tenant) -> list[User]:
    """Bureau officers: the people who investigate and close findings."""
    return list(db.session.scalars(
        select(User).join(RoleGrant).where(RoleGrant.tenant_id == tenant.id,
                                           RoleGrant.role == Role.BUREAU_OFFICER.value,
                                           User.active.is_(True))
        .order_by(User.name).distinct()))


def assign(finding: Finding, assignee: User | None, tenant: Tenant) -> Finding:
    if finding.is_resolved:
        raise FindingError(_l("This finding is resolved; its record can no longer change."))
    if assignee is not None and assignee.id not in {u.id for u in assignable_users(tenant)}:
        raise FindingError(_l("Findings can only be assigned to a bureau officer of this district."))
    finding.assignee_id = assignee.id if assignee else None
    finding.assigned_at = utcnow() if assignee else None
    finding.status = FindingStatus.IN_REVIEW if assignee else FindingStatus.OPEN
    db.session.flush()
    return finding


def resolve(finding: Finding, by: User, resolution: str, note: str) -> Finding:
    note = (note or "").strip()
    if finding.is_resolved:
        raise FindingError(_l("This finding is already resolved."))
    if resolution not in set(Resolution):
        raise FindingError(_l("Choose how the finding was resolved."))
    if len(note) < 5:
        raise FindingError(_l("Write a resolution note: what was checked and what was done."))
    finding.status, finding.resolution = FindingStatus.RESOLVED, resolution
    finding.resolution_note, finding.resolved_by_id, finding.resolved_at = note, by.id, utcnow()
    db.session.flush()
    return finding
