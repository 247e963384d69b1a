"""Steps 9–10: closing returns unspent money and releases the rest of the commitment;
corrections are reversals plus new entries, never edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.funding import closing, spending
from app.funding.models import ContractStatus, Disbursement, DisbursementStatus, TrancheStatus
from app.funding.models_spending import ExpenditureStatus
from app.funding.services import FundingError, today
from tests.funding.factories import (
    funded_contract,
    money_fields,
    outbox,
    outbox_count,
    pay_tranche,
    request_tranche,
    spend,
)


def final_spend(fw, contract, amount, line="交通"):
    expense = spend(fw, contract, amount, line=line)
    spending.approve(expense, fw.admin, as_bureau=False)
    return expense


def test_closing_releases_the_rest_and_refunds_the_unspent(fw):
    contract = funded_contract(fw)  # committed 60,000; received 24,000
    final_spend(fw, contract, 500_000)
    closing.close_contract(contract, fw.officer)
    fund = contract.fund
    assert contract.status == ContractStatus.CLOSED
    assert (contract.released_fen, contract.refunded_fen, contract.cash_fen) == (
        3_600_000, 1_900_000, 0)
    assert fund.committed_fen == 2_400_000 and fund.uncommitted_fen == 47_600_000
    release, refund = outbox(kind="commitment-release")[0], outbox(kind="refund")[0]
    common = {"fund_id": fund.id, "org_id": fw.org.id, "contract_id": contract.id,
              "date": today().isoformat(), "approver": f"user:{fw.officer.id}"}
    assert money_fields(release) == {"kind": "commitment-release", "amount": "36000.00",
                                     "source": f"contract:{contract.id}:release", **common}
    assert money_fields(refund) == {"kind": "refund", "amount": "19000.00",
                                    "source": f"contract:{contract.id}:refund", **common}
    with pytest.raises(FundingError) as exc:
        spend(fw, contract, 100)
    assert str(exc.value) == "只有已签订且未结项的合同才能录入支出。"


def test_a_fully_spent_contract_closes_without_a_refund(fw):
    contract = funded_contract(fw, tranches=2)
    final_spend(fw, contract, 600_000)
    before = outbox_count()
    closing.close_contract(contract, fw.officer)
    assert [p["kind"] for p in outbox()[before:]] == ["refund"]
    assert contract.released_fen == 0


def test_closing_waits_for_open_spending_and_payment_requests(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 500_000)
    with pytest.raises(FundingError) as exc:
        closing.close_contract(contract, fw.officer)
    assert str(exc.value) == "尚有待审批或处于监督期的支出，须先处理才能结项。"
    spending.reject(expense, fw.admin, "重复录入")
    request_tranche(contract.tranches[1], fw.officer)
    with pytest.raises(FundingError) as exc:
        closing.close_contract(contract, fw.officer)
    assert str(exc.value) == "尚有付款申请未处理，请先审批或撤回。"
    assert contract.status == ContractStatus.SIGNED and outbox(kind="refund") == []


def test_a_correction_reverses_and_records_anew(fw):
    contract = funded_contract(fw)
    wrong = final_spend(fw, contract, 500_000, line="交通")
    original = outbox(kind="expenditure")[0]
    data = spending.ExpenseInput(line_id=next(x.id for x in contract.lines if x.name == "物资"),
                                 amount_fen=450_000, spent_on=today(), payee="惠民出租车公司",
                                 description="探访物资（更正科目）", method="transfer")
    corrected = closing.reverse_expenditure(wrong, fw.officer, "科目录错，应计入物资", data)
    assert wrong.status == ExpenditureStatus.REVERSED and wrong.amount_fen == 500_000
    assert wrong.reversal_reason == "科目录错，应计入物资"
    [reversal] = outbox(kind="reversal")
    assert reversal["original"] == original
    assert money_fields(reversal) == {
        "kind": "reversal", "org_id": fw.org.id, "contract_id": contract.id,
        "date": today().isoformat(), "source": f"expenditure:{wrong.id}:reversal",
        "approver": f"user:{fw.officer.id}"}
    assert reversal["reason"] == "科目录错，应计入物资"
    assert corrected.corrects_id == wrong.id and corrected.status == ExpenditureStatus.PENDING
    assert [r.stored_name for r in corrected.receipts] == [r.stored_name for r in wrong.receipts]
    lines = {x.name: x.spent_fen for x in contract.lines}
    assert (lines["交通"], lines["物资"], contract.spent_fen) == (0, 450_000, 450_000)
    spending.approve(corrected, fw.admin, as_bureau=False)
    assert [p["amount"] for p in outbox(kind="expenditure")] == ["5000.00", "4500.00"]


def test_only_final_entries_are_reversed(fw):
    contract = funded_contract(fw)
    pending = spend(fw, contract, 500_000)
    with pytest.raises(FundingError) as exc:
        closing.reverse_expenditure(pending, fw.officer, "录错")
    assert str(exc.value) == "只有已入账的支出才能冲销；尚未审批的支出请直接驳回。"
    final = final_spend(fw, contract, 100_000)
    with pytest.raises(FundingError) as exc:
        closing.reverse_expenditure(final, fw.officer, "  ")
    assert str(exc.value) == "请说明更正的原因。"
    assert outbox(kind="reversal") == []


def test_a_mistaken_payment_is_reversed_and_paid_again(fw):
    contract = funded_contract(fw)
    [payment] = outbox(kind="disbursement")
    paid = contract.tranches[0]
    first = db.session.scalar(select(Disbursement))
    tranche = closing.reverse_disbursement(first, fw.officer, "收款账户有误")
    assert first.status == DisbursementStatus.REVERSED and tranche is paid
    assert tranche.status == TrancheStatus.PLANNED and contract.disbursed_fen == 0
    [reversal] = outbox(kind="reversal")
    assert reversal["original"] == payment and reversal["reason"] == "收款账户有误"
    assert reversal["fund_id"] == contract.fund_id
    again = pay_tranche(fw, contract, 1)
    assert again.id != first.id and contract.disbursed_fen == 2_400_000
    assert len(outbox(kind="disbursement")) == 2


def test_a_spent_payment_cannot_be_reversed(fw):
    contract = funded_contract(fw)
    final_spend(fw, contract, 500_000)
    payment = db.session.scalar(select(Disbursement))
    with pytest.raises(FundingError) as exc:
        closing.reverse_disbursement(payment, fw.officer, "收款账户有误")
    assert str(exc.value) == "该组织已支出这笔拨付中的一部分，不能冲销（尚未支出 ¥19,000.00）。"
    assert outbox(kind="reversal") == []
