"""Volunteer incentives: partner merchants, point balances, redemptions and their settlement.

Points are recognition, never wages (志愿服务条例): they are redeemed in kind at a partner
merchant or 爱心超市, and the organization that granted them pays the merchant from its
contract's incentive (激励) line.

Point balances. There is no wallet table in the tree: points are earned by
``IncentiveAccrual`` events (emitted by the service-hours domain when hours are verified) and
used by redemptions here, so ``points_balance`` reads the accruals from the ledger outbox and
subtracts the redemptions holding points. An accrual names its volunteer in its ``source`` as
``user:<id>`` (e.g. ``service-record:17/user:42``); a ``Reversal`` of an accrual takes its points
back. A wallet model can replace ``accrued_points`` without changing any caller.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from app.books.models import OutboxEvent
from app.books.outbox import emit
from app.db import utcnow
from app.extensions import db
from app.funding.models import Contract, ContractLine, ContractStatus
from app.funding.models_spending import (
    HOLDING,
    Merchant,
    MerchantKind,
    Redemption,
    RedemptionStatus,
)
from app.funding.services import (
    INCENTIVE_LINE,
    FundingError,
    locked,
    oneline,
    required,
    today,
    who,
    yuan,
)
from app.money import format_fen
from app.orgs.models import Organization
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile
from ledger import events as ev

_USER_RE = re.compile(r"(?:^|[/;,\s])user:(\d+)(?=$|[/;,\s])")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10


def accrual_user_id(source: str) -> int | None:
    match = _USER_RE.search(source or "")
    return int(match.group(1)) if match else None


def accrued_points(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points earned by ``user_id`` per organization, from ``IncentiveAccrual`` events."""
    # The row's ``source`` is the event's: only this volunteer's accruals are decoded (the
    # exact match is checked below, ``user:1`` being a prefix of ``user:12``); reversals are few.
    rows = db.session.execute(select(OutboxEvent.kind, OutboxEvent.payload).where(
        OutboxEvent.tenant_id == tenant_id,
        or_(and_(OutboxEvent.kind == ev.IncentiveAccrual.kind,
                 OutboxEvent.source.contains(f"user:{user_id}", autoescape=True)),
            OutboxEvent.kind == ev.Reversal.kind)))
    totals: dict[int, int] = defaultdict(int)
    for kind, payload in rows:
        sign, event = 1, payload
        if kind == ev.Reversal.kind:
            sign, event = -1, payload.get("original") or {}
        if event.get("kind") != ev.IncentiveAccrual.kind:
            continue
        if accrual_user_id(event.get("source", "")) == user_id:
            totals[int(event["org_id"])] += sign * int(event["points"])
    return dict(totals)


def redeemed_points(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points set aside or used by redemptions, per organization."""
    rows = db.session.execute(
        select(Redemption.org_id, func.sum(Redemption.points)).where(
            Redemption.tenant_id == tenant_id, Redemption.user_id == user_id,
            Redemption.status.in_([str(s) for s in HOLDING])).group_by(Redemption.org_id))
    return {org_id: int(points) for org_id, points in rows}


def balances(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points ``user_id`` can still redeem, per organization that owes them."""
    earned, used = accrued_points(user_id, tenant_id), redeemed_points(user_id, tenant_id)
    return {org: earned.get(org, 0) - used.get(org, 0) for org in sorted({*earned, *used})}


def points_balance(user_id: int, tenant_id: int, org_id: int | None = None) -> int:
    """Points ``user_id`` can redeem in the tenant (or with one organization)."""
    per_org = balances(user_id, tenant_id)
    return per_org.get(org_id, 0) if org_id is not None else sum(per_org.values())


def add_merchant(tenant: Tenant, *, name: str, kind: str, address: str = "") -> Merchant:
    name = required(name, _l("Please name the merchant."), 120)
    if kind not in set(MerchantKind):
        raise FundingError(_l("Choose the kind of merchant."))
    if db.session.scalar(select(Merchant.id).where(Merchant.tenant_id == tenant.id,
                                                   Merchant.name == name)):
        raise FundingError(_l("A merchant with this name already exists."))
    merchant = Merchant(tenant_id=tenant.id, name=name, kind=kind, address=(address or "").strip())
    db.session.add(merchant)
    db.session.flush()
    return merchant


def issue(user, org: Organization, merchant: Merchant, points: int) -> Redemption:
    """The volunteer asks to redeem: points are set aside and a one-time code is issued."""
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.tenant_id == org.tenant_id, VolunteerProfile.user_id == user.id)
        .with_for_update())  # one redemption at a time per volunteer: no double spending
    if profile is None:
        raise FundingError(_l("Only registered volunteers can redeem points."))
    if merchant.tenant_id != org.tenant_id or not merchant.active:
        raise FundingError(_l("Choose an active partner merchant."))
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise FundingError(_l("Redeem a whole number of points, at least 1."))
    balance = points_balance(user.id, org.tenant_id, org.id)
    if points > balance:
        raise FundingError(_l("You have %(n)d points from this organization; you cannot redeem "
                              "more.", n=max(balance, 0)))
    tenant = db.session.get(Tenant, org.tenant_id)
    redemption = Redemption(
        tenant_id=org.tenant_id, org_id=org.id, user_id=user.id, merchant_id=merchant.id,
        points=points, value_fen=points * int(tenant.setting("point_value_fen")),
        code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    db.session.add(redemption)
    db.session.flush()
    return redemption


def cancel(redemption: Redemption, user) -> Redemption:
    redemption = locked(Redemption, redemption.id)
    if redemption.user_id != user.id or redemption.status != RedemptionStatus.ISSUED:
        raise FundingError(_l("Only an unused code can be cancelled."))
    redemption.status = RedemptionStatus.CANCELLED
    db.session.flush()
    return redemption


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def consume(org: Organization, code: str, staff) -> Redemption:
    """The organization confirms the code at the merchant: it is consumed exactly once."""
    redemption = db.session.scalar(
        select(Redemption).where(Redemption.tenant_id == org.tenant_id,
                                 Redemption.code == normalize_code(code))
        .with_for_update().execution_options(populate_existing=True))
    if redemption is None or redemption.org_id != org.id:
        raise FundingError(_l("No redemption with this code for your organization."))
    if redemption.status != RedemptionStatus.ISSUED:
        raise FundingError(_l("This code has already been used or cancelled."))
    redemption.status = RedemptionStatus.CONSUMED
    redemption.consumed_at, redemption.consumed_by_id = utcnow(), staff.id
    db.session.flush()
    return redemption


def incentive_line(contract: Contract) -> ContractLine | None:
    return next((line for line in contract.lines if line.name == INCENTIVE_LINE), None)


def settle(redemption: Redemption, contract: Contract | None, user) -> Redemption:
    """Pay the merchant from the contract's 激励 line → ``RedemptionSettlement`` event."""
    redemption = locked(Redemption, redemption.id)
    if redemption.status == RedemptionStatus.SETTLED:
        raise FundingError(_l("This redemption has already been settled."))
    if redemption.status != RedemptionStatus.CONSUMED:
        raise FundingError(_l("Only a code used at the merchant can be settled."))
    if (contract is None or contract.org_id != redemption.org_id
            or contract.status != ContractStatus.SIGNED):
        raise FundingError(_l("Settle from a signed, open contract of the same organization."))
    line = incentive_line(contract)
    if line is None:
        raise FundingError(_l("This contract has no incentive (激励) budget line."))
    contract = locked(Contract, contract.id)
    line = locked(ContractLine, line.id)
    amount = redemption.value_fen
    if amount > contract.cash_fen:
        raise FundingError(_l("This is more than the organization has received and not yet spent "
                              "on this contract (%(left)s).", left=format_fen(contract.cash_fen)))
    if line.capped and amount > line.remaining_fen:
        raise FundingError(_l("This is more than is left on the budget line %(line)s (%(left)s).",
                              line=line.name, left=format_fen(line.remaining_fen)))
    contract.spent_fen += amount
    line.spent_fen += amount
    redemption.status = RedemptionStatus.SETTLED
    redemption.contract_id, redemption.line_id = contract.id, line.id
    redemption.settled_at, redemption.settled_by_id = utcnow(), user.id
    db.session.flush()
    merchant = redemption.merchant
    event = emit(ev.RedemptionSettlement, tenant=db.session.get(Tenant, contract.tenant_id),
                 org_id=contract.org_id, contract_id=contract.id, points=redemption.points,
                 amount=yuan(amount), line=line.code, date=today(),
                 payee=oneline(merchant.name, 200),
                 narration=oneline(f"积分兑换结算 {contract.number}：{merchant.name} "
                                   f"{redemption.points} 分", 500),
                 source=f"redemption:{redemption.id}", approver=who(user))
    redemption.event_id = event.id
    db.session.flush()
    return redemption
