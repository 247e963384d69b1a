"""What waits for whom in the funding cycle: approvals for an organization's admin and for
the bureau, notices ending, tranches coming due and the bookkeeper's own entries (the
overseers' queue is ``app.funding.overseers``). Each answers ``(count, first rows)`` in one
query; ``limit=None`` gives them all (the bureau's approvals page)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from app.db import first_rows
from app.funding.models import Application, Award, AwardStatus, Objection
from app.funding.models_contracts import Contract, ContractStatus, Tranche, TrancheStatus
from app.funding.models_spending import (
    Expenditure,
    ExpenditureStatus,
    Merchant,
    Redemption,
    RedemptionStatus,
)
from app.orgs.models import Organization

#: A tranche planned within this many days is "coming due".
TRANCHE_HORIZON = timedelta(days=14)


def _expenditures():
    return (select(Expenditure, Organization.name)
            .join(Organization, Organization.id == Expenditure.org_id))


def for_org_approval(tenant_id: int, user_id: int, org_ids: set[int], limit: int | None = None):
    """Expenditures of the admin's organizations waiting for the organization's approval,
    which they did not record themselves: ``(count, [(expenditure, org name)])``."""
    if not org_ids:
        return 0, []
    return first_rows(_expenditures().where(
        Expenditure.tenant_id == tenant_id, Expenditure.org_id.in_(org_ids),
        Expenditure.status == ExpenditureStatus.PENDING,
        Expenditure.org_approved_by_id.is_(None), Expenditure.recorded_by_id != user_id)
        .order_by(Expenditure.id), limit)


def for_bureau_approval(tenant_id: int, limit: int | None = None):
    """Expenditures above the organization's tier still waiting for a bureau officer."""
    return first_rows(_expenditures().where(
        Expenditure.tenant_id == tenant_id, Expenditure.status == ExpenditureStatus.PENDING,
        Expenditure.needs_bureau.is_(True), Expenditure.bureau_approved_by_id.is_(None))
        .order_by(Expenditure.id), limit)


def objected(tenant_id: int, limit: int | None = None):
    """Expenditures an overseer objected to: the bureau decides."""
    return first_rows(_expenditures().where(
        Expenditure.tenant_id == tenant_id, Expenditure.status == ExpenditureStatus.OBJECTED)
        .order_by(Expenditure.id), limit)


def payments_requested(tenant_id: int, limit: int | None = None, *,
                       checker_id: int | None = None):
    """Tranches whose payment was asked for, oldest request first; with ``checker_id``, only
    those that officer may approve (someone else asked): ``(count, [(tranche, contract
    title, org name)])``."""
    stmt = (select(Tranche, Contract.title, Organization.name)
            .join(Contract, Contract.id == Tranche.contract_id)
            .join(Organization, Organization.id == Tranche.org_id)
            .where(Tranche.tenant_id == tenant_id, Tranche.status == TrancheStatus.REQUESTED))
    if checker_id is not None:
        stmt = stmt.where(or_(Tranche.requested_by_id.is_(None),
                              Tranche.requested_by_id != checker_id))
    return first_rows(stmt.order_by(Tranche.requested_at, Tranche.id), limit)


def tranches_due(tenant_id: int, today: date, limit: int | None = None):
    """Planned tranches of signed contracts due within two weeks (or overdue), earliest
    first: ``(count, [(tranche, contract title, org name)])``."""
    return first_rows(
        select(Tranche, Contract.title, Organization.name)
        .join(Contract, Contract.id == Tranche.contract_id)
        .join(Organization, Organization.id == Tranche.org_id)
        .where(Tranche.tenant_id == tenant_id, Tranche.status == TrancheStatus.PLANNED,
               Contract.status == ContractStatus.SIGNED,
               Tranche.planned_on <= today + TRANCHE_HORIZON)
        .order_by(Tranche.planned_on, Tranche.id), limit)


def notices_open(tenant_id: int, now: datetime, limit: int | None = None):
    """Awards under public notice, the period ending soonest first:
    ``(count, [(award, application title, org name)])``."""
    return first_rows(
        select(Award, Application.title, Organization.name)
        .join(Application, Application.id == Award.application_id)
        .join(Organization, Organization.id == Award.org_id)
        .where(Award.tenant_id == tenant_id, Award.status == AwardStatus.NOTICE,
               Award.notice_ends_at > now)
        .order_by(Award.notice_ends_at, Award.id), limit)


def objections_open(tenant_id: int, limit: int | None = None):
    """Objections to awards not answered yet, oldest first: ``(count, [(objection, title)])``."""
    return first_rows(
        select(Objection, Application.title)
        .join(Award, Award.id == Objection.award_id)
        .join(Application, Application.id == Award.application_id)
        .where(Objection.tenant_id == tenant_id, Objection.answer.is_(None))
        .order_by(Objection.created_at, Objection.id), limit)


def recorded_by(tenant_id: int, user_id: int, since: datetime, limit: int | None = None):
    """The bookkeeper's expenditures still on their way (waiting, in the window, objected)
    or returned since ``since``, the returned ones first."""
    return first_rows(_expenditures().where(
        Expenditure.tenant_id == tenant_id, Expenditure.recorded_by_id == user_id,
        or_(Expenditure.status.in_((ExpenditureStatus.PENDING, ExpenditureStatus.WINDOW,
                                    ExpenditureStatus.OBJECTED)),
            (Expenditure.status == ExpenditureStatus.REJECTED)
            & (Expenditure.created_at >= since)))
        .order_by((Expenditure.status == ExpenditureStatus.REJECTED).desc(), Expenditure.id),
        limit)


def to_settle(tenant_id: int, org_ids: set[int], limit: int | None = None):
    """Point redemptions used at a merchant that the organization has not paid for yet:
    ``(count, [(redemption, merchant name)])``."""
    if not org_ids:
        return 0, []
    return first_rows(
        select(Redemption, Merchant.name)
        .join(Merchant, Merchant.id == Redemption.merchant_id)
        .where(Redemption.tenant_id == tenant_id, Redemption.org_id.in_(org_ids),
               Redemption.status == RedemptionStatus.CONSUMED)
        .order_by(Redemption.consumed_at, Redemption.id), limit)
