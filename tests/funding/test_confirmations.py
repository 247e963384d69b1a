"""Money moves only after a yes: each money-moving button states, in plain words and with
its amount, what will happen; a POST without the yes does nothing and answers with a page
asking for it (the second step for browsers without script), which then completes it."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from app.extensions import db
from app.funding.models import Disbursement
from app.funding.models_spending import ExpenditureStatus, Redemption
from tests.funding.factories import (
    accrue,
    funded_contract,
    make_merchant,
    make_volunteer,
    outbox,
    request_tranche,
    spend,
)


def base(fw) -> str:
    return f"/t/{fw.tenant.slug}/funding"


def as_user(app, login, user):
    return login(user, c=app.test_client())


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def second_step(response) -> dict[str, str]:
    """The asking page: its form's hidden fields (what it posts again with the yes)."""
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "请确认" in page and "现在还没有执行任何操作。" in page
    form = page[page.index('<form method="post"', page.index('class="card narrow confirm-step"')):]
    form = form[:form.index("</form>")]
    return {html.unescape(k): html.unescape(v) for k, v in
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)}


def test_a_tranche_is_paid_only_after_the_officer_confirms_the_amount_and_payee(app, fw, login):
    contract = funded_contract(fw, tranches=0)
    tranche = contract.tranches[0]
    request_tranche(tranche, fw.officer)
    said = (f"拨付 ¥24,000.00 给 阳光社工服务中心（合同 {contract.number} 第 1 期，里程碑"
            f"“{tranche.milestone}”，计划日期 {tranche.planned_on.isoformat()}）。")
    second = as_user(app, login, fw.officer2)
    page = text(second.get(f"{base(fw)}/contracts/{contract.id}"))
    assert f'data-confirm="{said}' in page  # the dialog says it before posting
    url = f"{base(fw)}/tranches/{tranche.id}/approve"

    asked = second.post(url)
    assert said in text(asked)
    assert tranche.status == "requested" and contract.disbursed_fen == 0
    assert outbox(kind="disbursement") == []
    fields = second_step(asked)
    assert fields["confirmed"] == "yes"

    done = second.post(url, data=fields, follow_redirects=True)
    assert "该期款项已拨付。" in text(done)
    assert tranche.status == "paid" and contract.disbursed_fen == 2_400_000
    assert outbox(kind="disbursement")[0]["amount"] == "24000.00"


def test_the_approvals_queue_keeps_its_way_back_through_the_second_step(app, fw, login):
    contract = funded_contract(fw, tranches=0)
    tranche = contract.tranches[0]
    request_tranche(tranche, fw.officer)
    second = as_user(app, login, fw.officer2)
    fields = second_step(second.post(f"{base(fw)}/tranches/{tranche.id}/approve",
                                     data={"back": "approvals"}))
    assert {k: v for k, v in fields.items() if k != "csrf_token"} == {
        "back": "approvals", "confirmed": "yes"}
    done = second.post(f"{base(fw)}/tranches/{tranche.id}/approve", data=fields)
    assert done.location.endswith("/funding/approvals") and tranche.status == "paid"


def test_an_expenditure_is_approved_only_after_a_yes(app, fw, login):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 32_050)
    admin = as_user(app, login, fw.admin)
    url = f"{base(fw)}/expenditures/{expense.id}/approve"
    asked = admin.post(url)
    assert "批准 阳光社工服务中心 从预算科目“交通”支出 ¥320.50。审批后不能撤回。" in text(asked)
    assert expense.status == ExpenditureStatus.PENDING and outbox(kind="expenditure") == []
    admin.post(url, data=second_step(asked))
    assert expense.status == ExpenditureStatus.FINAL
    assert outbox(kind="expenditure")[0]["amount"] == "320.50"


def test_signing_a_contract_says_what_is_committed(app, fw, login):
    from tests.funding.factories import make_award, make_contract

    draft = make_contract(fw, make_award(fw), signed=False)
    officer = as_user(app, login, fw.officer)
    asked = officer.post(f"{base(fw)}/contracts/{draft.id}/sign")
    assert "从资金“社区服务专项”中为 阳光社工服务中心 的合同占用 ¥60,000.00，合同向社会公开。" in text(asked)
    assert draft.status == "draft" and outbox(kind="commitment") == []
    officer.post(f"{base(fw)}/contracts/{draft.id}/sign", data=second_step(asked))
    assert draft.status == "signed"


def test_closing_a_contract_says_what_is_released_and_returned(app, fw, login):
    contract = funded_contract(fw)  # ¥24,000 of ¥60,000 paid, nothing spent
    officer = as_user(app, login, fw.officer)
    asked = officer.post(f"{base(fw)}/contracts/{contract.id}/close")
    assert ("未拨付的 ¥36,000.00 释放，阳光社工服务中心 手中结存的 ¥24,000.00 退回资金。"
            in text(asked))
    assert contract.status == "signed"
    officer.post(f"{base(fw)}/contracts/{contract.id}/close", data=second_step(asked))
    assert contract.status == "closed" and contract.refunded_fen == 2_400_000


def test_a_payment_reversal_keeps_its_reason_through_the_second_step(app, fw, login):
    contract = funded_contract(fw)
    payment = db.session.scalar(select(Disbursement).where(Disbursement.contract_id == contract.id))
    officer = as_user(app, login, fw.officer)
    url = f"{base(fw)}/disbursements/{payment.id}/reverse"
    asked = officer.post(url, data={"reason": "银行退票"})
    assert "冲销" in text(asked) and "¥24,000.00" in text(asked)
    assert payment.status == "paid"
    fields = second_step(asked)
    assert fields["reason"] == "银行退票"
    officer.post(url, data=fields)
    assert payment.status == "reversed" and payment.reversal_reason == "银行退票"


def test_points_and_merchant_settlement_move_only_after_a_yes(app, fw, login):
    contract = funded_contract(fw)
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 30)
    merchant = make_merchant(fw)
    me = as_user(app, login, volunteer)
    choice = {"org_id": fw.org.id, "merchant_id": merchant.id, "points": 12}
    asked = me.post(f"{base(fw)}/points", data=choice)
    assert "将立即从您的账户扣除所填积分" in text(asked)
    assert db.session.scalar(select(Redemption)) is None
    me.post(f"{base(fw)}/points", data=second_step(asked))
    redemption = db.session.scalar(select(Redemption))
    assert redemption.points == 12

    coordinator = as_user(app, login, fw.coordinator)
    coordinator.post(f"{base(fw)}/orgs/{fw.org.id}/redemptions",
                     data={"code": redemption.code, "confirmed": "yes"})
    books = as_user(app, login, fw.bookkeeper)
    url = f"{base(fw)}/redemptions/{redemption.id}/settle"
    asked = books.post(url, data={"contract_id": contract.id})
    assert "从所选合同的激励科目付给 幸福爱心超市 ¥12.00，确认后立即记账。" in text(asked)
    assert redemption.status == "consumed" and outbox(kind="redemption-settlement") == []
    books.post(url, data=second_step(asked))
    assert redemption.status == "settled" and len(outbox(kind="redemption-settlement")) == 1


def test_the_second_step_still_checks_who_may_act(app, fw, login):
    contract = funded_contract(fw, tranches=0)
    tranche = contract.tranches[0]
    request_tranche(tranche, fw.officer)
    outsider = as_user(app, login, fw.admin)  # an organization's admin, not the bureau
    url = f"{base(fw)}/tranches/{tranche.id}/approve"
    assert outsider.post(url).status_code == 403
    assert outsider.post(url, data={"confirmed": "yes"}).status_code == 403
    assert tranche.status == "requested" and contract.disbursed_fen == 0
