"""Steps 5–6: a contract with the 102号令 fields and tranches is signed (the commitment) and
tranches are paid when a second officer approves the milestone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.funding import awards, contracts
from app.funding.models import (
    AwardStatus,
    Contract,
    ContractStatus,
    Disbursement,
    TrancheStatus,
)
from app.funding.services import FundingError, today
from tests.funding.factories import (
    end_notice,
    make_application,
    make_award,
    make_call,
    make_contract,
    make_fund,
    money_fields,
    outbox,
    outbox_count,
    pay_tranche,
    request_tranche,
    terms,
    tranche_inputs,
)


def test_signing_commits_the_price_and_publishes(fw):
    contract = make_contract(fw)
    fund = contract.fund
    assert contract.status == ContractStatus.SIGNED and contract.is_published
    assert contract.number == f"GZ{today().year}-{contract.id:04d}"
    assert (contract.price_fen, contract.committed_fen) == (6_000_000, 6_000_000)
    assert fund.committed_fen == 6_000_000 and fund.uncommitted_fen == 44_000_000
    assert contract.award.status == AwardStatus.CONTRACTED
    assert [(t.seq, t.percent_bp, t.amount_fen) for t in contract.tranches] == [
        (1, 4000, 2_400_000), (2, 6000, 3_600_000)]
    assert [(line.name, line.code, line.budget_fen) for line in contract.lines] == [
        ("交通", "Transport", 2_000_000), ("物资", "Materials", 3_000_000),
        ("激励", "Incentives", 1_000_000)]
    payload = outbox(kind="commitment")[0]
    assert money_fields(payload) == {
        "kind": "commitment", "fund_id": fund.id, "org_id": fw.org.id, "contract_id": contract.id,
        "amount": "60000.00", "date": today().isoformat(), "source": f"contract:{contract.id}",
        "approver": f"user:{fw.officer.id}"}
    assert payload["payee"] == fw.org.name


def test_uneven_shares_leave_the_remainder_on_the_last_tranche():
    assert contracts.tranche_amounts(1000_01, [3333, 3333, 3334]) == [33_330, 33_330, 33_341]


@pytest.mark.parametrize("shares, message", [
    ((4000, 5000), "各期比例合计必须恰好为 100%（现为 90%）。"),
    ((6000, 6000), "各期比例合计必须恰好为 100%（现为 120%）。"),
    ((0, 10000), "每期比例须大于 0% 且不超过 100%。"),
])
def test_tranches_must_add_up_to_exactly_100_percent(fw, shares, message):
    award = make_award(fw)
    with pytest.raises(FundingError) as exc:
        contracts.save_draft(award, fw.officer, terms(), [("交通", award.amount_fen)],
                             tranche_inputs(*shares))
    assert str(exc.value) == message
    assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_contract_term_is_capped_by_the_tenant_setting(fw):
    award = make_award(fw)
    long_terms = terms(ends_on=today() + timedelta(days=366))  # 367 days inclusive
    with pytest.raises(FundingError) as exc:
        contracts.save_draft(award, fw.officer, long_terms, [("交通", award.amount_fen)],
                             tranche_inputs())
    assert str(exc.value) == "合同期限超过了允许的天数（366 天）。"
    fw.tenant.settings = {"contract_max_term_days": 3 * 366}
    contract = contracts.save_draft(award, fw.officer, long_terms, [("交通", award.amount_fen)],
                                    tranche_inputs())
    assert contract.ends_on - contract.starts_on == timedelta(days=366)


def test_budget_lines_must_add_up_to_the_price(fw):
    award = make_award(fw)
    with pytest.raises(FundingError) as exc:
        contracts.save_draft(award, fw.officer, terms(), [("交通", 100)], tranche_inputs())
    assert str(exc.value) == "预算科目合计为 ¥1.00，与合同价格 ¥60,000.00 不符。"


def test_every_102_field_is_required(fw):
    award = make_award(fw)
    with pytest.raises(FundingError) as exc:
        contracts.save_draft(award, fw.officer, terms(liability=" "), [("交通", award.amount_fen)],
                             tranche_inputs())
    assert str(exc.value) == "请写明违约责任。"


def test_a_draft_can_be_revised_until_signed(fw):
    award = make_award(fw)
    contract = make_contract(fw, award, signed=False)
    contracts.save_draft(award, fw.officer, terms(title="修订后的合同"), [("人员", award.amount_fen)],
                         tranche_inputs(10000))
    assert contract.title == "修订后的合同"
    assert [(line.name, line.code) for line in contract.lines] == [("人员", "Personnel")]
    assert [t.amount_fen for t in contract.tranches] == [award.amount_fen]
    contracts.sign_contract(contract, fw.officer)
    with pytest.raises(FundingError) as exc:
        contracts.save_draft(award, fw.officer, terms(), [("人员", award.amount_fen)],
                             tranche_inputs(10000))
    assert str(exc.value) == "该资助当前不在等待签订合同。"


def test_no_signing_during_the_notice_period(fw):
    award = make_award(fw, ended=False)
    contract = make_contract(fw, award, signed=False)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        contracts.sign_contract(contract, fw.officer)
    assert str(exc.value) == "公示期尚未结束。"
    assert contract.status == ContractStatus.DRAFT and outbox_count() == before
    assert contract.fund.committed_fen == 0


def test_no_signing_while_an_objection_is_unanswered(fw):
    award = make_award(fw, ended=False)
    objection = awards.file_objection(award, text="有异议")
    contract = make_contract(fw, award, signed=False)
    end_notice(award)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        contracts.sign_contract(contract, fw.officer)
    assert str(exc.value) == "该资助的异议须先答复，才能签订合同。"
    assert outbox_count() == before
    awards.answer_objection(objection, fw.officer, "已核实")
    contracts.sign_contract(contract, fw.officer)
    assert contract.status == ContractStatus.SIGNED


def test_commitments_never_exceed_the_fund(fw):
    fund = make_fund(fw, amount_fen=10_000_000)
    call = make_call(fw, fund, ceiling_fen=6_000_000)
    first = make_award(fw, make_application(fw, call))
    second = make_award(fw, make_application(fw, call, org=fw.org2))
    make_contract(fw, first)
    draft = make_contract(fw, second, signed=False)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        contracts.sign_contract(draft, fw.officer)
    assert str(exc.value) == "专项资金的可用余额不足以签订该合同（剩余 ¥40,000.00）。"
    assert outbox_count() == before and draft.status == ContractStatus.DRAFT
    assert fund.committed_fen == 6_000_000


def test_a_tranche_is_paid_by_a_second_officer(fw):
    contract = make_contract(fw)
    tranche = contract.tranches[0]
    request_tranche(tranche, fw.officer)
    assert tranche.status == TrancheStatus.REQUESTED
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        contracts.approve_payment(tranche, fw.officer)
    assert str(exc.value) == "该付款由您发起，须由另一位工作人员审批。"
    assert outbox_count() == before and contract.disbursed_fen == 0
    payment = contracts.approve_payment(tranche, fw.officer2)
    assert (payment.amount_fen, payment.requested_by_id, payment.approved_by_id) == (
        2_400_000, fw.officer.id, fw.officer2.id)
    assert tranche.status == TrancheStatus.PAID and tranche.paid_on == today()
    assert tranche.planned_on == today()  # planned and actual dates are both kept
    assert contract.disbursed_fen == 2_400_000 and contract.cash_fen == 2_400_000
    assert money_fields(outbox(kind="disbursement")[0]) == {
        "kind": "disbursement", "fund_id": contract.fund_id, "org_id": fw.org.id,
        "contract_id": contract.id, "tranche_id": tranche.id, "amount": "24000.00",
        "date": today().isoformat(), "source": f"disbursement:{payment.id}",
        "approver": f"user:{fw.officer2.id}"}
    with pytest.raises(FundingError) as exc:
        contracts.approve_payment(tranche, fw.officer2)
    assert str(exc.value) == "该期款项不在待审批状态。"


def test_a_disbursement_beyond_the_commitment_is_refused(fw):
    contract = make_contract(fw)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        request_tranche(contract.tranches[0], fw.officer, amount_fen=6_000_001)
    assert str(exc.value) == "本次拨付超过了合同尚未拨付的占用额度（¥60,000.00）。"
    pay_tranche(fw, contract, 1, amount_fen=5_000_000)  # paid more than planned, within commitment
    with pytest.raises(FundingError) as exc:
        pay_tranche(fw, contract, 2)
    assert str(exc.value) == "本次拨付超过了合同尚未拨付的占用额度（¥10,000.00）。"
    assert contract.disbursed_fen == 5_000_000
    assert len(outbox(kind="disbursement")) == 1 and outbox_count() == before + 1


def test_the_database_refuses_maker_as_checker(fw):
    contract = make_contract(fw)
    tranche = contract.tranches[0]
    tranche.requested_by_id = tranche.approved_by_id = fw.officer.id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_overcommitting_a_fund(fw):
    fund = make_fund(fw, amount_fen=100)
    fund.committed_fen = 101
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_paying_beyond_the_commitment(fw):
    contract = make_contract(fw)
    contract.disbursed_fen = contract.committed_fen + 1
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Disbursement.id))) == 0


@pytest.mark.parametrize("bp, text", [(4000, "40%"), (10000, "100%"), (3333, "33.33%"),
                                      (3350, "33.5%"), (5, "0.05%")])
def test_shares_are_shown_as_people_write_them(bp, text):
    from app.funding.models import Tranche

    assert Tranche(percent_bp=bp).percent_text == text
