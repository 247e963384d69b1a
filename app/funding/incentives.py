"""Volunteer incentives: partner merchants, point balances, redemptions and their settlement.

Points are recognition, never wages (志愿服务条例): they are redeemed in kind at a partner
merchant or 爱心超市, and the organization that granted them pays the merchant from its
contract's incentive (激励) line.

Point balances are the volunteer's points wallet (``app.service.incentives``): verified
hours credit it per organization, ``issue`` holds the redeemed points with a ``redemption``
entry and ``cancel`` gives them back with a ``release`` entry; a consumed or settled code keeps
its points deducted. A volunteer redeems with an organization only the points it granted.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.books.outbox import emit
from app.db import utcnow
from app.db_unique import claim
from app.extensions import db
from app.funding import spending
from app.funding.models import Contract, ContractLine, ContractStatus
from app.funding.models_spending import (
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
from app.orgs.models import Organization
from app.service import incentives as wallet
from app.service.services import ServiceError
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile
from ledger import events as ev

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 10
EARNING = (wallet.ACCRUAL, wallet.REVERSAL)
SPENDING = (wallet.REDEMPTION, wallet.RELEASE)


def accrued_points(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points earned by ``user_id`` per organization (accruals less their reversals)."""
    return wallet.org_balances(tenant_id, user_id, EARNING)


def redeemed_points(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points set aside or used by redemptions, per organization."""
    return {org: -points for org, points in
            wallet.org_balances(tenant_id, user_id, SPENDING).items() if points}


def balances(user_id: int, tenant_id: int) -> dict[int, int]:
    """Points ``user_id`` can still redeem, per organization that owes them."""
    return dict(sorted(wallet.org_balances(tenant_id, user_id).items()))


def points_balance(user_id: int, tenant_id: int, org_id: int | None = None) -> int:
    """Points ``user_id`` can redeem in the tenant (or with one organization)."""
    if org_id is not None:
        return balances(user_id, tenant_id).get(org_id, 0)
    return wallet.balance(tenant_id, user_id)


def add_merchant(tenant: Tenant, *, name: str, kind: str, address: str = "") -> Merchant:
    name = required(name, _l("Please name the merchant."), 120)
    if kind not in set(MerchantKind):
        raise FundingError(_l("Choose the kind of merchant."))
    merchant = Merchant(tenant_id=tenant.id, name=name, kind=kind, address=(address or "").strip())
    with claim({"uq_merchant_tenant_id_name": FundingError(
            _l("A merchant with this name already exists."))}):
        db.session.add(merchant)
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
    try:  # locks the wallet: a correction cannot take these points back meanwhile
        wallet.hold_points(org.tenant_id, user.id, org.id, points,
                           oneline(f"积分兑换 {merchant.name}", 200))
    except ServiceError as refused:
        raise FundingError(refused.args[0]) from None
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
    wallet.release_points(redemption.tenant_id, redemption.user_id, redemption.org_id,
                          redemption.points, oneline(f"取消兑换 {redemption.merchant.name}", 200))
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
    spending.charge(contract, line, amount)
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
