"""The rules of changing rules: a bureau officer proposes a new value from a day not in the
past; a money rule waits for a second, different bureau officer to approve it; any other rule
is in force from its day at once. ``Tenant.setting(key, on)`` answers what is in force on a
day; this module keeps the tenant's timeline it reads in step with the approved changes."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.inbound import text_problem
from app.parsing import local_today
from app.rules.catalogue import CATALOGUE, MONEY_RULES, RuleError, parse, spec_of
from app.rules.models import REASON_MAX, ChangeStatus, RuleChange
from app.tenancy.models import Tenant

__all__ = ["RuleError", "approve", "history", "in_force", "pending", "propose", "reject"]


def in_force(tenant: Tenant, key: str, on: date | None = None) -> Any:
    """The value of rule ``key`` in force on ``on`` (default today, Beijing time)."""
    spec_of(key)
    return tenant.setting(key, on)


def is_officer(user: User, tenant: Tenant) -> bool:
    return user is not None and user.has_role(tenant.id, Role.BUREAU_OFFICER)


def _officer(user: User, tenant: Tenant) -> None:
    if not is_officer(user, tenant):
        raise RuleError(_("Only bureau officers may change the district's rules."), 403)


def _reason(text: str | None, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise RuleError(_("Say why."))
    if len(text) > REASON_MAX:
        raise RuleError(_("Please keep it to %(n)s characters.", n=REASON_MAX))
    if problem := text_problem(text):
        raise RuleError(problem)
    return text


def _not_past(day: date, today: date) -> None:
    if day < today:
        raise RuleError(_("A rule changes from today or a later day, never in the past."))


def timeline(tenant: Tenant) -> dict[str, list]:
    """{key: [[first day, value], …]} of the approved changes, in the order they take effect
    (two on the same day: the one approved later wins)."""
    rows = db.session.scalars(select(RuleChange).where(
        RuleChange.tenant_id == tenant.id, RuleChange.status == ChangeStatus.APPROVED)
        .order_by(RuleChange.effective_from, RuleChange.decided_at, RuleChange.id))
    out: dict[str, list] = {}
    for row in rows:
        out.setdefault(row.rule, []).append([row.effective_from.isoformat(), row.after])
    return out


def _take_effect(change: RuleChange, tenant: Tenant, by: User | None) -> None:
    change.status, change.decided_at = ChangeStatus.APPROVED, utcnow()
    change.decided_by_id = by.id if by is not None else None
    db.session.flush()
    tenant.rule_timeline = timeline(tenant)
    db.session.flush()


def propose(tenant: Tenant, user: User, key: str, value_text: str, effective_from: date,
            reason: str = "", today: date | None = None) -> RuleChange:
    """A new value for rule ``key`` from ``effective_from``: in force from that day if it is
    not a money rule, otherwise waiting for a second bureau officer."""
    _officer(user, tenant)
    spec = spec_of(key)
    value = parse(spec, value_text)
    if effective_from is None:
        raise RuleError(_("Say from which day the new value applies."))
    _not_past(effective_from, today or local_today())
    reason = _reason(reason, required=False)
    old = tenant.setting(key, effective_from)
    if value == old:
        raise RuleError(_("That is already the rule on that day."))
    change = RuleChange(tenant_id=tenant.id, rule=key, old_value=RuleChange.stored(old),
                        new_value=RuleChange.stored(value),
                        effective_from=effective_from, reason=reason,
                        status=ChangeStatus.PENDING, proposed_by_id=user.id)
    db.session.add(change)
    db.session.flush()
    if key not in MONEY_RULES:
        _take_effect(change, tenant, None)
    return change


def approve(change: RuleChange, user: User, today: date | None = None) -> RuleChange:
    """A second bureau officer approves a money rule's change: in force from its day."""
    tenant = db.session.get(Tenant, change.tenant_id)
    _officer(user, tenant)
    if change.status != ChangeStatus.PENDING:
        raise RuleError(_("This change has already been decided."), 409)
    if user.id == change.proposed_by_id:
        raise RuleError(_("A change to a money rule is approved by a second bureau officer, "
                          "not by the one who proposed it."), 403)
    if change.effective_from < (today or local_today()):
        raise RuleError(_("The day this change was to take effect has passed. Reject it and "
                          "propose it again from a new day."), 409)
    change.old_value = RuleChange.stored(tenant.setting(change.rule, change.effective_from))
    _take_effect(change, tenant, user)
    return change


def reject(change: RuleChange, user: User, reason: str) -> RuleChange:
    """Turn a pending change down with a reason (its proposer may withdraw it the same way)."""
    tenant = db.session.get(Tenant, change.tenant_id)
    _officer(user, tenant)
    reason = _reason(reason, required=True)
    if change.status != ChangeStatus.PENDING:
        raise RuleError(_("This change has already been decided."), 409)
    change.status, change.decided_at = ChangeStatus.REJECTED, utcnow()
    change.decided_by_id, change.decision_reason = user.id, reason
    db.session.flush()
    return change


def pending(tenant: Tenant) -> list[RuleChange]:
    return list(db.session.scalars(select(RuleChange).where(
        RuleChange.tenant_id == tenant.id, RuleChange.status == ChangeStatus.PENDING)
        .order_by(RuleChange.effective_from, RuleChange.id)))


def history(tenant: Tenant, keys=None, limit: int = 300) -> list[RuleChange]:
    """Approved changes, latest day first (``keys``: only these rules)."""
    stmt = select(RuleChange).where(RuleChange.tenant_id == tenant.id,
                                    RuleChange.status == ChangeStatus.APPROVED)
    if keys is not None:
        stmt = stmt.where(RuleChange.rule.in_(list(keys)))
    return list(db.session.scalars(stmt.order_by(RuleChange.effective_from.desc(),
                                                 RuleChange.id.desc()).limit(limit)))


def decided(tenant: Tenant, limit: int = 50) -> list[RuleChange]:
    """Approved and rejected changes, the latest first (the bureau's record)."""
    return list(db.session.scalars(select(RuleChange).where(
        RuleChange.tenant_id == tenant.id, RuleChange.status != ChangeStatus.PENDING)
        .order_by(RuleChange.id.desc()).limit(limit)))


def upcoming(tenant: Tenant, today: date | None = None) -> dict[str, list[RuleChange]]:
    """Approved changes not yet in force, by rule."""
    today = today or local_today()
    out: dict[str, list[RuleChange]] = {}
    for change in reversed(history(tenant)):
        if change.effective_from > today:
            out.setdefault(change.rule, []).append(change)
    return out


def rules() -> list:
    return list(CATALOGUE.values())
