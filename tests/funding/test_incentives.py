"""Step 8: points accrued from verified hours are redeemed exactly once at a partner merchant,
and the organization settles the merchant from the contract's 激励 line."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.funding import incentives
from app.funding.models_spending import RedemptionStatus
from app.funding.services import FundingError, today
from tests.factories import UserFactory
from tests.funding.factories import (
    accrue,
    funded_contract,
    make_merchant,
    make_volunteer,
    money_fields,
    outbox,
    outbox_count,
    spend,
)


def test_balance_reads_accruals_less_redemptions(fw):
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 12)
    accrue(fw, volunteer, 3, org=fw.org2, n=2)
    other = UserFactory()
    accrue(fw, other, 100, n=3)
    assert incentives.balances(volunteer.id, fw.tenant.id) == {fw.org.id: 12, fw.org2.id: 3}
    assert incentives.points_balance(volunteer.id, fw.tenant.id) == 15
    incentives.issue(volunteer, fw.org, make_merchant(fw), 5)
    assert incentives.points_balance(volunteer.id, fw.tenant.id, fw.org.id) == 7
    assert incentives.points_balance(other.id, fw.tenant.id) == 100


def test_redeemed_and_released_points_are_wallet_entries(fw):
    from sqlalchemy import select

    from app.service.models import PointsEntry

    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 10)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 4)
    incentives.cancel(redemption, volunteer)
    rows = db.session.execute(select(PointsEntry.kind, PointsEntry.points,
                                     PointsEntry.balance_after, PointsEntry.org_id)
                              .order_by(PointsEntry.id)).all()
    assert [tuple(r) for r in rows] == [("accrual", 10, 10, fw.org.id),
                                        ("redemption", -4, 6, fw.org.id),
                                        ("release", 4, 10, fw.org.id)]
    assert incentives.accrued_points(volunteer.id, fw.tenant.id) == {fw.org.id: 10}
    assert incentives.redeemed_points(volunteer.id, fw.tenant.id) == {}


def test_redeeming_sets_points_aside_with_a_one_time_code(fw):
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 30)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 20)
    assert (redemption.points, redemption.value_fen, redemption.status) == (
        20, 2000, RedemptionStatus.ISSUED)
    assert len(redemption.code) == 10 and redemption.code.isalnum()
    with pytest.raises(FundingError) as exc:
        incentives.issue(volunteer, fw.org, redemption.merchant, 11)
    assert str(exc.value) == "您在该组织的积分为 10 分，不能兑换更多。"
    assert outbox(kind="redemption-settlement") == []


def test_points_never_go_negative(fw):
    volunteer = make_volunteer(fw)
    with pytest.raises(FundingError) as exc:
        incentives.issue(volunteer, fw.org, make_merchant(fw), 1)
    assert str(exc.value) == "您在该组织的积分为 0 分，不能兑换更多。"
    with pytest.raises(FundingError) as exc:
        incentives.issue(volunteer, fw.org, make_merchant(fw, "第二家"), 0)
    assert str(exc.value) == "请兑换整数积分，至少 1 分。"


def test_only_volunteers_redeem(fw):
    accrue(fw, fw.resident, 10)
    with pytest.raises(FundingError) as exc:
        incentives.issue(fw.resident, fw.org, make_merchant(fw), 5)
    assert str(exc.value) == "只有登记的志愿者才能兑换积分。"


def test_a_code_is_consumed_exactly_once(fw):
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 30)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 10)
    with pytest.raises(FundingError) as exc:
        incentives.consume(fw.org2, redemption.code, fw.admin2)
    assert str(exc.value) == "本组织没有这个兑换码。"
    spaced = f" {redemption.code[:5].lower()}-{redemption.code[5:]} "
    incentives.consume(fw.org, spaced, fw.coordinator)
    assert redemption.status == RedemptionStatus.CONSUMED
    assert redemption.consumed_by_id == fw.coordinator.id
    with pytest.raises(FundingError) as exc:
        incentives.consume(fw.org, redemption.code, fw.coordinator)
    assert str(exc.value) == "该兑换码已使用或已取消。"


def test_a_cancelled_code_gives_the_points_back(fw):
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 10)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 10)
    incentives.cancel(redemption, volunteer)
    assert incentives.points_balance(volunteer.id, fw.tenant.id) == 10
    with pytest.raises(FundingError) as exc:
        incentives.consume(fw.org, redemption.code, fw.coordinator)
    assert str(exc.value) == "该兑换码已使用或已取消。"


def test_settlement_pays_the_merchant_from_the_incentive_line(fw):
    contract = funded_contract(fw)
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 50)
    merchant = make_merchant(fw)
    redemption = incentives.issue(volunteer, fw.org, merchant, 40)
    with pytest.raises(FundingError) as exc:
        incentives.settle(redemption, contract, fw.bookkeeper)
    assert str(exc.value) == "只有已在商户使用的兑换码才能结算。"
    incentives.consume(fw.org, redemption.code, fw.coordinator)
    incentives.settle(redemption, contract, fw.bookkeeper)
    line = incentives.incentive_line(contract)
    assert (line.spent_fen, contract.spent_fen) == (4000, 4000)
    assert (redemption.status, redemption.contract_id) == (RedemptionStatus.SETTLED, contract.id)
    [payload] = outbox(kind="redemption-settlement")
    assert money_fields(payload) == {
        "kind": "redemption-settlement", "org_id": fw.org.id, "contract_id": contract.id,
        "points": 40, "amount": "40.00", "line": "Incentives", "date": today().isoformat(),
        "source": f"redemption:{redemption.id}", "approver": f"user:{fw.bookkeeper.id}"}
    assert payload["payee"] == merchant.name
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        incentives.settle(redemption, contract, fw.bookkeeper)
    assert str(exc.value) == "该兑换已结算。"
    assert outbox_count() == before


def test_settlement_respects_the_incentive_line(fw):
    contract = funded_contract(fw, tranches=2)
    spend(fw, contract, 999_000, line="激励")  # ¥9,990 of the ¥10,000 line
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 50)
    redemption = incentives.issue(volunteer, fw.org, make_merchant(fw), 11)
    incentives.consume(fw.org, redemption.code, fw.coordinator)
    with pytest.raises(FundingError) as exc:
        incentives.settle(redemption, contract, fw.bookkeeper)
    assert str(exc.value) == "超过了预算科目“激励”的剩余额度（¥10.00）。"
    assert redemption.status == RedemptionStatus.CONSUMED


def test_merchants_are_unique_per_tenant(fw):
    make_merchant(fw)
    with pytest.raises(FundingError) as exc:
        make_merchant(fw)
    assert str(exc.value) == "已有同名商户。"
