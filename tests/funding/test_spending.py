"""Step 7: expenditures with receipts, approval tiers, separation of duties, petty cash and the
resident overseers' objection window."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.extensions import db
from app.funding import spending
from app.funding.models_spending import Expenditure, ExpenditureStatus, Receipt
from app.funding.receipts import Upload
from app.funding.samples import receipt_png
from app.funding.services import FundingError, today
from tests.funding.factories import (
    funded_contract,
    money_fields,
    outbox,
    outbox_count,
    receipt,
    spend,
)


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def stored_files(app) -> set[Path]:
    return set(Path(app.config["UPLOAD_DIR"]).rglob("*.*"))


def test_small_spending_is_final_once_the_org_admin_approves(fw, app):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 50_000)
    assert expense.status == ExpenditureStatus.PENDING
    assert (expense.tier, expense.needs_bureau, expense.needs_window) == (0, False, False)
    assert contract.spent_fen == 50_000 and expense.line.spent_fen == 50_000
    assert outbox(kind="expenditure") == []
    spending.approve(expense, fw.admin, as_bureau=False)
    assert expense.status == ExpenditureStatus.FINAL and expense.final_at is not None
    [payload] = outbox(kind="expenditure")
    assert money_fields(payload) == {
        "kind": "expenditure", "org_id": fw.org.id, "contract_id": contract.id,
        "line": "Transport", "amount": "500.00", "date": today().isoformat(),
        "source": f"expenditure:{expense.id}", "approver": f"user:{fw.admin.id}"}
    assert payload["payee"] == "惠民出租车公司"
    [stored] = expense.receipts
    path = Path(app.config["UPLOAD_DIR"]) / stored.stored_name
    assert path.read_bytes() == receipt_png()
    assert (stored.content_type, stored.original_name, stored.size) == (
        "image/png", "发票.png", len(receipt_png()))
    assert "发票" not in stored.stored_name and stored.stored_name.endswith(".png")


def test_the_recorder_never_approves(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 50_000, by=fw.admin)
    with pytest.raises(FundingError) as exc:
        spending.approve(expense, fw.admin, as_bureau=False)
    assert str(exc.value) == "这笔支出由您录入，须由他人审批。"
    assert outbox(kind="expenditure") == []
    spending.approve(expense, fw.admin_b, as_bureau=False)
    assert expense.status == ExpenditureStatus.FINAL


def test_the_database_refuses_recorder_as_approver(fw):
    expense = spend(fw, funded_contract(fw), 50_000)
    expense.org_approved_by_id = expense.recorded_by_id
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_tiers_follow_the_tenant_setting(fw):
    plan = spending.approval_plan
    assert plan(fw.tenant, 999_999) == spending.ApprovalPlan(0, False, False)
    assert plan(fw.tenant, 1_000_000) == spending.ApprovalPlan(1, True, True, ("org", "bureau"))
    assert plan(fw.tenant, 5_000_000).tier == 2
    fw.tenant.settings = {"approval_tiers_fen": [200_000], "overseer_threshold_fen": 300_000,
                          "overseer_scope": "threshold"}
    assert plan(fw.tenant, 250_000) == spending.ApprovalPlan(
        1, True, False, ("org", "bureau", "assembly"))  # the default ladder's second rung


def test_above_the_first_tier_the_bureau_approves_too_then_overseers_may_object(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_500_000, line="物资")
    assert (expense.tier, expense.needs_bureau, expense.needs_window) == (1, True, True)
    spending.approve(expense, fw.admin, as_bureau=False)
    assert expense.status == ExpenditureStatus.PENDING
    with pytest.raises(FundingError) as exc:
        spending.approve(expense, fw.admin_b, as_bureau=False)
    assert str(exc.value) == "组织已审批过这笔支出。"
    spending.approve(expense, fw.officer, as_bureau=True)
    assert expense.status == ExpenditureStatus.WINDOW
    assert expense.window_ends_at - expense.bureau_approved_at == timedelta(days=5)
    assert not spending.finalize_if_due(expense)
    assert outbox(kind="expenditure") == []
    expense.window_ends_at = utcnow() - timedelta(seconds=1)
    assert spending.due_for_finalizing(fw.tenant.id) == [expense.id]
    assert spending.finalize_if_due(expense)
    assert expense.status == ExpenditureStatus.FINAL
    assert money_fields(outbox(kind="expenditure")[0])["approver"] == f"user:{fw.officer.id}"
    assert not spending.finalize_if_due(expense)  # idempotent
    assert len(outbox(kind="expenditure")) == 1


def test_an_overseer_objection_holds_it_until_the_bureau_resolves(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_200_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    spending.approve(expense, fw.officer, as_bureau=True)
    objection = spending.object_to(expense, fw.overseer, "同类物资市场价明显更低")
    assert expense.status == ExpenditureStatus.OBJECTED
    expense.window_ends_at = utcnow() - timedelta(seconds=1)
    assert not spending.finalize_if_due(expense)
    with pytest.raises(FundingError) as exc:
        spending.object_to(expense, fw.overseer, "再提一次")
    assert str(exc.value) == "这笔支出当前不接受异议。"
    spending.resolve(objection, fw.officer2, uphold=False, note="已比价三家，价格合理")
    assert (objection.resolution, objection.resolved_by_id) == ("dismissed", fw.officer2.id)
    assert expense.status == ExpenditureStatus.FINAL
    assert len(outbox(kind="expenditure")) == 1


def test_an_upheld_objection_refuses_the_spending_and_frees_the_line(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_200_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    spending.approve(expense, fw.officer, as_bureau=True)
    objection = spending.object_to(expense, fw.overseer, "与项目无关")
    spending.resolve(objection, fw.officer, uphold=True, note="确与项目无关，不予列支")
    assert expense.status == ExpenditureStatus.REJECTED
    assert contract.spent_fen == 0 and expense.line.spent_fen == 0
    assert outbox(kind="expenditure") == []


def test_cash_above_the_petty_cash_cap_is_refused(fw):
    contract = funded_contract(fw)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        spend(fw, contract, 100_001, method="cash")
    assert str(exc.value) == "现金支付不得超过备用金限额（¥1,000.00），请通过银行转账支付。"
    assert count(Expenditure) == 0 and contract.spent_fen == 0 and outbox_count() == before
    assert spend(fw, contract, 100_000, method="cash").status == ExpenditureStatus.PENDING


def test_spending_never_exceeds_what_was_received(fw):
    contract = funded_contract(fw)  # ¥24,000 received of ¥60,000
    spend(fw, contract, 2_000_000, line="交通")
    with pytest.raises(FundingError) as exc:
        spend(fw, contract, 500_000, line="物资")
    assert str(exc.value) == "超过了本合同已拨付且尚未支出的金额（¥4,000.00）。"
    assert contract.spent_fen == 2_000_000 and count(Expenditure) == 1


def test_spending_never_exceeds_a_capped_line(fw):
    contract = funded_contract(fw, tranches=2)
    with pytest.raises(FundingError) as exc:
        spend(fw, contract, 2_000_001, line="交通")
    assert str(exc.value) == "超过了预算科目“交通”的剩余额度（¥20,000.00）。"
    spend(fw, contract, 2_000_000, line="交通")
    line = next(x for x in contract.lines if x.name == "交通")
    assert line.remaining_fen == 0


def test_a_rejected_expenditure_gives_the_money_back(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 300_000)
    with pytest.raises(FundingError) as exc:
        spending.reject(expense, fw.admin, " ")
    assert str(exc.value) == "请说明理由。"
    spending.reject(expense, fw.admin, "发票抬头不符")
    assert expense.status == ExpenditureStatus.REJECTED and contract.spent_fen == 0
    assert outbox(kind="expenditure") == []


@pytest.mark.parametrize("upload, message", [
    (Upload(b"MZ\x90\x00 this is a program", "发票.jpg"), "票据须为照片（JPEG、PNG、WebP）或 PDF 文件。"),
    (Upload(b"<html><script>alert(1)</script>", "发票.pdf"), "票据须为照片（JPEG、PNG、WebP）或 PDF 文件。"),
    (Upload(b"", "发票.png"), "票据文件是空的。"),
])
def test_a_receipt_must_really_be_an_image_or_pdf(fw, app, upload, message):
    contract = funded_contract(fw)
    before, files = outbox_count(), stored_files(app)
    with pytest.raises(FundingError) as exc:
        spend(fw, contract, 50_000, uploads=[receipt(), upload])
    assert str(exc.value) == message
    assert count(Expenditure) == 0 and count(Receipt) == 0 and outbox_count() == before
    assert contract.spent_fen == 0
    assert stored_files(app) == files  # not even the good file was written


def test_a_receipt_has_a_size_limit(fw, app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    big = Upload(receipt_png() + b"\0" * (1024 * 1024), "扫描件.png")
    with pytest.raises(FundingError) as exc:
        spend(fw, funded_contract(fw), 50_000, uploads=[big])
    assert str(exc.value) == "票据文件超过 1 MB。"
    assert count(Receipt) == 0


def test_a_receipt_is_required(fw):
    with pytest.raises(FundingError) as exc:
        spend(fw, funded_contract(fw), 50_000, uploads=[])
    assert str(exc.value) == "请至少附上一张票据（照片或 PDF）。"


def test_a_pdf_receipt_is_accepted(fw):
    expense = spend(fw, funded_contract(fw), 50_000, uploads=[receipt("pdf")])
    assert [r.content_type for r in expense.receipts] == ["application/pdf"]


def test_the_finalize_job_sweeps_expired_windows(fw):
    from workers.funding import finalize_due

    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_100_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    spending.approve(expense, fw.officer, as_bureau=True)
    assert finalize_due(fw.tenant.id) == 0
    expense.window_ends_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert finalize_due(fw.tenant.id) == 1
    assert expense.status == ExpenditureStatus.FINAL
    assert finalize_due(fw.tenant.id) == 0


def test_the_daily_command_makes_due_expenditures_final(app, fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_100_000, line="物资")
    spending.approve(expense, fw.admin, as_bureau=False)
    spending.approve(expense, fw.officer, as_bureau=True)
    expense.window_ends_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["funding", "finalize-due"])
    assert result.exit_code == 0, result.output
    assert f"{fw.tenant.slug}: finalize job queued" in result.output
    db.session.refresh(expense)
    assert expense.status == ExpenditureStatus.FINAL
    assert len(outbox(kind="expenditure")) == 1
