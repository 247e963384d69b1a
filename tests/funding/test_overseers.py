"""The resident overseers' review: which spending they see (the tenant's scope), their
sign-off, and an objection that holds the spending un-final until the bureau answers — on
the pages, through the API and from the daily job; another district's overseer reaches none
of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.funding import overseers, spending
from app.funding.models_spending import ExpenditureStatus, OverseerSignoff
from app.funding.services import FundingError
from app.notifications.models import Notification
from app.tenancy.models import DEFAULT_SETTINGS
from tests.factories import user_with
from tests.funding.factories import funded_contract, funding_world, outbox, spend


def base(w) -> str:
    return f"/t/{w.tenant.slug}/funding"


def as_user(app, login, user):
    return login(user, c=app.test_client())


def in_window(w, amount_fen: int = 50_000, contract=None):
    """Spending of ``amount_fen`` approved by the organization, open to the overseers (the
    district reviews every expenditure, the domain's default)."""
    w.tenant.settings = {**w.tenant.settings, "overseer_scope": "all"}
    expense = spend(w, contract or funded_contract(w), amount_fen)
    spending.approve(expense, w.admin, as_bureau=False)
    assert expense.status == ExpenditureStatus.WINDOW
    return expense


def test_by_default_the_overseers_review_every_expenditure(fw):
    assert DEFAULT_SETTINGS["overseer_scope"] == "all"
    fw.tenant.settings = {k: v for k, v in fw.tenant.settings.items() if k != "overseer_scope"}
    expense = spend(fw, funded_contract(fw), 50_000)  # ¥500, far below the threshold
    spending.approve(expense, fw.admin, as_bureau=False)
    assert expense.needs_window and expense.status == ExpenditureStatus.WINDOW
    assert expense.window_ends_at - expense.org_approved_at == timedelta(days=5)
    assert outbox(kind="expenditure") == []  # not in the books until the window has passed


def test_with_the_threshold_scope_small_spending_is_final_at_once(fw):
    fw.tenant.settings = {**fw.tenant.settings, "overseer_scope": "threshold"}
    contract = funded_contract(fw)
    small = spend(fw, contract, 999_999)
    spending.approve(small, fw.admin, as_bureau=False)
    assert not small.needs_window and small.status == ExpenditureStatus.FINAL
    large = spend(fw, contract, 1_000_000, line="物资")
    assert large.needs_window


def test_a_signoff_is_recorded_once_per_overseer_and_audited(fw):
    expense = in_window(fw)
    second = user_with(fw.tenant, Role.OVERSEER, name="钱监督")
    overseers.sign_off(expense, fw.overseer)
    overseers.sign_off(expense, second)
    rows = db.session.scalars(select(OverseerSignoff).order_by(OverseerSignoff.id)).all()
    assert [(r.expenditure_id, r.overseer_id) for r in rows] == [
        (expense.id, fw.overseer.id), (expense.id, second.id)]
    with pytest.raises(FundingError, match="已对这笔支出签字确认"):
        overseers.sign_off(expense, fw.overseer)
    with pytest.raises(FundingError, match="已对这笔支出签字确认"):  # signed: no objection after
        spending.object_to(expense, fw.overseer, "改主意了")
    db.session.flush()
    assert db.session.scalar(select(AuditEntry.object_type).where(
        AuditEntry.object_type == "overseer_signoff")) == "overseer_signoff"
    # A sign-off does not shorten the window: the other overseers still have their time.
    assert expense.status == ExpenditureStatus.WINDOW
    assert spending.finalize_if_due(expense) is False


def test_no_signoff_outside_the_window(fw):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 50_000)  # still waiting for approval
    with pytest.raises(FundingError, match="不在居务监督审核期内"):
        overseers.sign_off(expense, fw.overseer)
    expense = in_window(fw, contract=contract)
    expense.window_ends_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(FundingError, match="不在居务监督审核期内"):
        overseers.sign_off(expense, fw.overseer)


def test_an_objection_keeps_it_unfinal_through_the_daily_job_until_the_bureau_answers(app, fw):
    expense = in_window(fw)
    objection = spending.object_to(expense, fw.overseer, "出租车票日期与探访记录对不上")
    with pytest.raises(FundingError, match="等民政局答复"):
        overseers.sign_off(expense, fw.overseer)
    expense.window_ends_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["funding", "finalize-due"])
    assert result.exit_code == 0, result.output
    db.session.refresh(expense)
    assert expense.status == ExpenditureStatus.OBJECTED and expense.final_at is None
    assert outbox(kind="expenditure") == []
    spending.resolve(objection, fw.officer, uphold=False, note="已核对行车记录，日期无误")
    assert expense.status == ExpenditureStatus.FINAL and len(outbox(kind="expenditure")) == 1
    told = db.session.scalars(select(Notification).where(
        Notification.user_id == fw.overseer.id)).all()
    assert any("答复" in n.title for n in told)


def test_the_overseer_signs_off_on_the_phone_page_and_staff_see_it(app, fw, login):
    expense = in_window(fw)
    receipt_id = expense.receipts[0].id
    expense.payee = "张三 13812345678"
    db.session.commit()
    overseer = as_user(app, login, fw.overseer)
    page = overseer.get(f"{base(fw)}/oversight").get_data(as_text=True)
    assert "待您审核的支出" in page and "138****5678" in page and "13812345678" not in page
    assert f"/funding/receipts/{receipt_id}" in page
    assert overseer.get(f"{base(fw)}/receipts/{receipt_id}").status_code == 200
    # Without the yes nothing is signed; with it, the signature is recorded.
    asked = overseer.post(f"{base(fw)}/expenditures/{expense.id}/sign-off")
    assert asked.status_code == 200 and db.session.scalar(select(OverseerSignoff.id)) is None
    r = overseer.post(f"{base(fw)}/expenditures/{expense.id}/sign-off",
                      data={"confirmed": "yes"}, follow_redirects=True)
    assert "您的签字确认已登记" in r.get_data(as_text=True)
    page = overseer.get(f"{base(fw)}/oversight").get_data(as_text=True)
    assert "目前没有待您审核的支出" in page and "您已签字确认的支出" in page
    for who in (fw.officer, fw.auditor, fw.admin):
        shown = as_user(app, login, who).get(f"{base(fw)}/expenditures/{expense.id}")
        assert "居务监督员签字确认" in shown.get_data(as_text=True)
        assert fw.overseer.name in shown.get_data(as_text=True)


def test_the_bureaus_answer_is_shown_to_the_overseer(app, fw, login):
    expense = in_window(fw)
    objection = spending.object_to(expense, fw.overseer, "价格偏高")
    spending.resolve(objection, fw.officer, uphold=False, note="已比价，价格合理")
    db.session.commit()
    page = as_user(app, login, fw.overseer).get(f"{base(fw)}/oversight").get_data(as_text=True)
    assert "价格偏高" in page and "已比价，价格合理" in page


def test_signoff_through_the_api(app, fw, login):
    expense = in_window(fw)
    db.session.commit()
    url = f"/api/v1/t/{fw.tenant.slug}/funding/expenditures/{expense.id}/signoffs"
    assert as_user(app, login, fw.admin).post(url).status_code == 403
    r = as_user(app, login, fw.overseer).post(url)
    assert r.status_code == 201, r.get_data(as_text=True)
    assert [s["overseer_id"] for s in r.get_json()["signoffs"]] == [fw.overseer.id]
    again = as_user(app, login, fw.overseer).post(url)
    assert again.status_code == 422


def test_another_districts_overseer_can_neither_see_nor_sign(app, fw, login):
    expense = in_window(fw)
    receipt_id = expense.receipts[0].id
    other = funding_world(slug="other-district")
    db.session.commit()
    stranger = as_user(app, login, other.overseer)
    # Naming this district's expenditure from the stranger's own district: not found.
    theirs = f"/t/{other.tenant.slug}/funding"
    assert stranger.get(f"{theirs}/expenditures/{expense.id}").status_code == 404
    assert stranger.get(f"{theirs}/receipts/{receipt_id}").status_code == 404
    assert stranger.post(f"{theirs}/expenditures/{expense.id}/sign-off",
                         data={"confirmed": "yes"}).status_code == 404
    api = f"/api/v1/t/{other.tenant.slug}/funding/expenditures/{expense.id}/signoffs"
    assert stranger.post(api).status_code == 404
    assert "惠民出租车公司" not in stranger.get(f"{theirs}/oversight").get_data(as_text=True)
    # In this district's address they hold no role at all.
    assert stranger.post(f"{base(fw)}/expenditures/{expense.id}/sign-off",
                         data={"confirmed": "yes"}).status_code in (403, 404)
    assert stranger.get(f"{base(fw)}/receipts/{receipt_id}").status_code in (403, 404)
    assert db.session.scalar(select(OverseerSignoff.id)) is None


def test_overseers_see_no_receipt_before_the_spending_is_open_to_them(app, fw, login):
    fw.tenant.settings = {**fw.tenant.settings, "overseer_scope": "all"}
    expense = spend(fw, funded_contract(fw), 50_000)  # awaiting the organization's approval
    receipt_id = expense.receipts[0].id
    db.session.commit()
    assert as_user(app, login, fw.overseer).get(
        f"{base(fw)}/receipts/{receipt_id}").status_code == 403
    assert as_user(app, login, fw.resident).get(
        f"{base(fw)}/receipts/{receipt_id}").status_code == 403
