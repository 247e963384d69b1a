"""The funding flow through the pages, as each role uses them, with bad input refused clearly
and nothing posted to the ledger outbox."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.funding.models import Application, Award, Call, Contract, ContractStatus, Fund
from app.funding.models_spending import Expenditure, ExpenditureStatus
from app.funding.samples import receipt_pdf, receipt_png
from app.funding.services import today
from tests.funding.factories import (
    end_notice,
    funded_contract,
    make_award,
    outbox,
    outbox_count,
    spend,
)


def base(fw) -> str:
    return f"/t/{fw.tenant.slug}/funding"


def as_user(app, login, user):
    return login(user, c=app.test_client())


def body(response) -> str:
    return response.get_data(as_text=True)


def test_the_bureau_appropriates_publishes_and_awards(app, fw, login):
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{base(fw)}/", data={"confirmed": "yes", "fiscal_year": today().year, "name": "社区服务专项",
                                           "source": "区级财政", "amount": "500,000"})
    fund = db.session.scalar(select(Fund))
    assert r.status_code == 302 and r.location.endswith(f"/funding/funds/{fund.id}")
    assert fund.amount_fen == 50_000_000 and outbox()[0]["amount"] == "500000.00"
    deadline = (today() + timedelta(days=10)).isoformat()
    r = officer.post(f"{base(fw)}/funds/{fund.id}", data={
        "title": "助老服务项目", "category": "助老服务", "description": "上门探访",
        "ceiling": "80000", "deadline": deadline})
    call = db.session.scalar(select(Call))
    assert r.status_code == 302 and call.ceiling_fen == 8_000_000

    admin = as_user(app, login, fw.admin)
    assert "助老服务项目" in body(admin.get(f"{base(fw)}/orgs/{fw.org.id}"))
    r = admin.post(f"{base(fw)}/orgs/{fw.org.id}/calls/{call.id}/apply", data={
        "title": "银龄守望", "plan": "每周探访", "line_0": "20000", "line_1": "30000.50",
        "line_4": ""})
    application = db.session.scalar(select(Application))
    assert r.status_code == 302
    assert [(x.name, x.amount_fen) for x in application.lines] == [("交通", 2_000_000),
                                                                   ("物资", 3_000_050)]
    r = officer.post(f"{base(fw)}/applications/{application.id}/award",
                     data={"confirmed": "yes", "amount": "50000.50", "reasons": "方案完整"})
    award = db.session.scalar(select(Award))
    assert r.status_code == 302 and r.location.endswith(f"/funding/awards/{award.id}")
    assert award.amount_fen == 5_000_050
    assert [p["kind"] for p in outbox()] == ["appropriation"]


def test_amounts_with_more_than_two_decimals_are_refused_on_the_page(app, fw, login):
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{base(fw)}/", data={"fiscal_year": today().year, "name": "专项",
                                           "source": "区级财政", "amount": "100.123"})
    assert r.status_code == 422
    assert "金额以元为单位，最多两位小数（分）。" in body(r)
    r = officer.post(f"{base(fw)}/", data={"fiscal_year": today().year, "name": "专项",
                                           "source": "区级财政", "amount": "-3", "confirmed": "yes"})
    assert "金额必须大于零。" in body(r)
    assert db.session.scalar(select(func.count(Fund.id))) == 0 and outbox_count() == 0


def test_anyone_objects_on_the_public_notice_and_the_bureau_answers(app, fw, login, client):
    award = make_award(fw, ended=False)
    page = client.get(f"{base(fw)}/notices/{award.id}")
    assert page.status_code == 200
    html = body(page)
    assert "拟资助项目公示" in html and fw.org.name in html and "¥60,000.00" in html
    assert f"/funding/notices/{award.id}/qr.svg" in html
    r = client.post(f"{base(fw)}/notices/{award.id}", data={
        "text": "该组织去年的项目拖延，联系我 13912345678", "name": "", "contact": "13912345678"})
    assert r.status_code == 302
    html = body(client.get(f"{base(fw)}/notices/{award.id}"))
    assert "139****5678" in html and "13912345678" not in html
    assert "等待民政局答复。" in html
    r = client.post(f"{base(fw)}/notices/{award.id}", data={"text": "  "})
    assert r.status_code == 422
    officer = as_user(app, login, fw.officer)
    objection = award.objections[0]
    assert objection.contact == "13912345678"
    officer.post(f"{base(fw)}/objections/{objection.id}/answer", data={"answer": "已核实，按期完成"})
    assert "已核实，按期完成" in body(client.get(f"{base(fw)}/notices/{award.id}"))


def test_the_notice_qr_code_points_at_the_stable_address(fw, client):
    award = make_award(fw, ended=False)
    r = client.get(f"{base(fw)}/notices/{award.id}/qr.svg")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    assert body(r).lstrip().startswith("<?xml") and "<svg" in body(r)


def test_objections_are_throttled(fw, client):
    award = make_award(fw, ended=False)
    codes = [client.post(f"{base(fw)}/notices/{award.id}", data={"text": f"异议{i}"}).status_code
             for i in range(6)]
    assert codes == [302] * 5 + [429]
    assert len(award.objections) == 5


def test_signing_during_the_notice_is_refused_on_the_page(app, fw, login):
    award = make_award(fw, ended=False)
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{base(fw)}/awards/{award.id}/contract", data=contract_data())
    contract = db.session.scalar(select(Contract))
    assert r.status_code == 302 and contract.status == ContractStatus.DRAFT
    page = body(officer.get(f"{base(fw)}/contracts/{contract.id}"))
    assert "公示期尚未结束。" in page and "签订并公开" not in page
    r = officer.post(f"{base(fw)}/contracts/{contract.id}/sign", data={"confirmed": "yes"}, follow_redirects=True)
    assert "公示期尚未结束。" in body(r)
    assert contract.status == ContractStatus.DRAFT and outbox(kind="commitment") == []
    end_notice(award)
    r = officer.post(f"{base(fw)}/contracts/{contract.id}/sign", data={"confirmed": "yes"}, follow_redirects=True)
    assert "合同已签订并公开，资金已占用。" in body(r)
    assert contract.status == ContractStatus.SIGNED and len(outbox(kind="commitment")) == 1


def contract_data(**changes):
    start = today()
    data = {"title": "银龄守望服务合同", "content": "上门探访", "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=300)).isoformat(), "quantity": "2000 人次",
            "quality": "满意度 90%", "settlement": "分期", "duties": "按约履行",
            "liability": "按比例扣减", "line_0": "20000", "line_1": "30000", "line_4": "10000",
            "share_1": "40", "date_1": start.isoformat(), "milestone_1": "启动",
            "share_2": "60", "date_2": (start + timedelta(days=90)).isoformat(),
            "milestone_2": "中期评估"}
    data.update(changes)
    return data


def test_tranches_not_adding_up_to_100_percent_are_refused(app, fw, login):
    award = make_award(fw)
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{base(fw)}/awards/{award.id}/contract", data=contract_data(share_2="50"))
    assert r.status_code == 422 and "各期比例合计必须恰好为 100%（现为 90%）。" in body(r)
    assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_payments_need_a_second_officer(app, fw, login):
    award = make_award(fw)
    officer = as_user(app, login, fw.officer)
    officer.post(f"{base(fw)}/awards/{award.id}/contract", data=contract_data())
    contract = db.session.scalar(select(Contract))
    officer.post(f"{base(fw)}/contracts/{contract.id}/sign", data={"confirmed": "yes"})
    tranche = contract.tranches[0]
    officer.post(f"{base(fw)}/tranches/{tranche.id}/request", content_type="multipart/form-data",
                 data={"amount": "", "note": "启动会", "files": [(io.BytesIO(receipt_pdf()), "签到表.pdf")]})
    page = body(officer.get(f"{base(fw)}/contracts/{contract.id}"))
    assert "须由另一位工作人员审批您的申请。" in page
    assert "第 1 期</strong> <span class=\"tag tag-requested\">待审批</span> · 40% · ¥24,000.00" in page
    r = officer.post(f"{base(fw)}/tranches/{tranche.id}/approve", data={"confirmed": "yes"}, follow_redirects=True)
    assert "该付款由您发起，须由另一位工作人员审批。" in body(r)
    assert outbox(kind="disbursement") == []
    second = as_user(app, login, fw.officer2)
    r = second.post(f"{base(fw)}/tranches/{tranche.id}/approve", data={"confirmed": "yes"}, follow_redirects=True)
    assert "该期款项已拨付。" in body(r) and contract.disbursed_fen == 2_400_000
    statement = body(second.get(f"{base(fw)}/contracts/{contract.id}/statement"))
    assert "¥24,000.00" in statement and today().isoformat() in statement


def test_a_disbursement_beyond_the_commitment_is_refused_on_the_page(app, fw, login):
    contract = funded_contract(fw, tranches=0)
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{base(fw)}/tranches/{contract.tranches[0].id}/request",
                     data={"amount": "60000.01"}, follow_redirects=True)
    assert "本次拨付超过了合同尚未拨付的占用额度（¥60,000.00）。" in body(r)
    assert contract.tranches[0].status == "planned"


def record(client, fw, contract, files, **changes):
    data = {"line_id": contract.lines[0].id, "amount": "320.50", "spent_on": today().isoformat(),
            "payee": "惠民出租车公司", "description": "探访交通", "method": "transfer",
            "receipts": files}
    data.update(changes)
    return client.post(f"{base(fw)}/contracts/{contract.id}/expenditures", data=data,
                       content_type="multipart/form-data")


def test_the_bookkeeper_records_with_a_receipt_and_the_admin_approves(app, fw, login):
    contract = funded_contract(fw)
    books = as_user(app, login, fw.bookkeeper)
    r = record(books, fw, contract, [(io.BytesIO(receipt_png()), "票据.png"),
                                    (io.BytesIO(receipt_pdf()), "发票.pdf")])
    expense = db.session.scalar(select(Expenditure))
    assert r.status_code == 302 and expense.amount_fen == 32_050
    assert [x.content_type for x in expense.receipts] == ["image/png", "application/pdf"]
    r = books.post(f"{base(fw)}/expenditures/{expense.id}/approve", data={"confirmed": "yes"}, follow_redirects=True)
    assert r.status_code == 403  # a bookkeeper is not an approver at all
    admin = as_user(app, login, fw.admin)
    r = admin.post(f"{base(fw)}/expenditures/{expense.id}/approve", data={"confirmed": "yes"}, follow_redirects=True)
    assert "已审批。" in body(r) and expense.status == ExpenditureStatus.FINAL
    assert outbox(kind="expenditure")[0]["amount"] == "320.50"
    file = admin.get(f"{base(fw)}/receipts/{expense.receipts[0].id}")
    assert file.status_code == 200 and file.data == receipt_png()
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert as_user(app, login, fw.auditor).get(
        f"{base(fw)}/receipts/{expense.receipts[1].id}").data == receipt_pdf()
    for outsider in (fw.admin2, fw.overseer, fw.volunteer):
        assert as_user(app, login, outsider).get(
            f"{base(fw)}/receipts/{expense.receipts[0].id}").status_code == 403


def test_a_lying_receipt_is_refused_and_nothing_is_recorded(app, fw, login):
    contract = funded_contract(fw)
    books = as_user(app, login, fw.bookkeeper)
    r = record(books, fw, contract, [(io.BytesIO(b"#!/bin/sh\nrm -rf /\n"), "发票.jpg")])
    assert r.status_code == 422
    assert "票据须为照片（JPEG、PNG、WebP）或 PDF 文件。" in body(r)
    r = record(books, fw, contract, [], amount="1.234")
    assert "金额以元为单位，最多两位小数（分）。" in body(r)
    assert db.session.scalar(select(func.count(Expenditure.id))) == 0 and contract.spent_fen == 0
    assert outbox(kind="expenditure") == []


def test_spending_beyond_the_line_is_refused_on_the_page(app, fw, login):
    contract = funded_contract(fw, tranches=2)
    books = as_user(app, login, fw.bookkeeper)
    r = record(books, fw, contract, [(io.BytesIO(receipt_png()), "票.png")], amount="20000.01")
    assert "超过了预算科目“交通”的剩余额度（¥20,000.00）。" in body(r)
    assert db.session.scalar(select(func.count(Expenditure.id))) == 0


def test_approving_ones_own_expenditure_is_refused(app, fw, login):
    contract = funded_contract(fw)
    expense = spend(fw, contract, 50_000, by=fw.admin)
    admin = as_user(app, login, fw.admin)
    assert "这笔支出由您录入，将由他人审批。" in body(admin.get(f"{base(fw)}/expenditures/{expense.id}"))
    r = admin.post(f"{base(fw)}/expenditures/{expense.id}/approve", data={"confirmed": "yes"}, follow_redirects=True)
    assert "这笔支出由您录入，须由他人审批。" in body(r)
    assert expense.status == ExpenditureStatus.PENDING and outbox(kind="expenditure") == []


def test_overseers_see_the_window_and_object(app, fw, login):
    from app.funding import spending

    contract = funded_contract(fw)
    expense = spend(fw, contract, 1_500_000, line="物资")
    small = spend(fw, contract, 10_000)
    spending.approve(expense, fw.admin, as_bureau=False)
    spending.approve(expense, fw.officer, as_bureau=True)
    overseer = as_user(app, login, fw.overseer)
    queue = body(overseer.get(f"{base(fw)}/oversight"))
    assert "¥15,000.00" in queue and "监督公示中" in queue
    assert overseer.get(f"{base(fw)}/expenditures/{small.id}").status_code == 403
    page = body(overseer.get(f"{base(fw)}/expenditures/{expense.id}"))
    # The overseers review it with its receipts (those of spending open to them only).
    assert f"/funding/receipts/{expense.receipts[0].id}" in page
    r = overseer.post(f"{base(fw)}/expenditures/{expense.id}/object",
                      data={"text": "价格偏高"}, follow_redirects=True)
    assert "您的异议已登记，将由民政局处理。" in body(r)
    assert expense.status == ExpenditureStatus.OBJECTED
    objection = expense.objections[0]
    officer = as_user(app, login, fw.officer2)
    officer.post(f"{base(fw)}/oversight-objections/{objection.id}/resolve",
                 data={"decision": "uphold", "note": "确实偏高，不予列支"})
    assert expense.status == ExpenditureStatus.REJECTED and contract.spent_fen == 10_000


def test_published_contract_is_public_without_personal_data(app, fw, client):
    contract = funded_contract(fw)
    contract.content = "服务对象联系人电话 13812345678"
    db.session.flush()
    r = client.get(f"{base(fw)}/published/{contract.id}")
    html = body(r)
    assert r.status_code == 200 and contract.number in html and fw.org.name in html
    assert "138****5678" in html and "13812345678" not in html
    assert fw.officer.name not in html and fw.officer.phone not in html
    assert contract.number in body(client.get(f"{base(fw)}/published"))


def test_a_draft_contract_is_not_public(fw, client):
    award = make_award(fw)
    from tests.funding.factories import make_contract

    draft = make_contract(fw, award, signed=False)
    assert client.get(f"{base(fw)}/published/{draft.id}").status_code == 404


def test_volunteer_redeems_and_the_org_accepts_and_settles(app, fw, login):
    from tests.funding.factories import accrue, make_merchant, make_volunteer

    contract = funded_contract(fw)
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 30)
    merchant = make_merchant(fw)
    me = as_user(app, login, volunteer)
    page = body(me.get(f"{base(fw)}/points"))
    assert "我的积分：30" in page
    r = me.post(f"{base(fw)}/points", data={"confirmed": "yes", "org_id": fw.org.id, "merchant_id": merchant.id,
                                            "points": 12})
    assert r.status_code == 302
    page = body(me.get(r.location))
    code = re.search(r'class="code">([A-Z0-9]{5})-([A-Z0-9]{5})<', page)
    assert code and "<svg" in page
    coordinator = as_user(app, login, fw.coordinator)
    r = coordinator.post(f"{base(fw)}/orgs/{fw.org.id}/redemptions",
                         data={"confirmed": "yes", "code": code.group(1) + code.group(2)}, follow_redirects=True)
    assert "兑换码有效，请交付物品。" in body(r)
    r = coordinator.post(f"{base(fw)}/orgs/{fw.org.id}/redemptions",
                         data={"confirmed": "yes", "code": code.group(1) + code.group(2)})
    assert r.status_code == 422 and "该兑换码已使用或已取消。" in body(r)
    from app.funding.models_spending import Redemption

    redemption = db.session.scalar(select(Redemption))
    books = as_user(app, login, fw.bookkeeper)
    r = books.post(f"{base(fw)}/redemptions/{redemption.id}/settle",
                   data={"confirmed": "yes", "contract_id": contract.id}, follow_redirects=True)
    assert "已与商户结算。" in body(r)
    [payload] = outbox(kind="redemption-settlement")
    assert (payload["points"], payload["amount"], payload["line"]) == (12, "12.00", "Incentives")


def test_the_statement_page_offers_its_export_to_the_bureau_and_auditors(app, fw, login):
    """Exports are read-outs for the bureau and auditors: the organization sees no button."""
    contract = funded_contract(fw)
    path = f"{base(fw)}/contracts/{contract.id}/statement"
    for user, offered in ((fw.auditor, True), (fw.officer, True), (fw.admin, False)):
        page = body(as_user(app, login, user).get(path))
        assert ('name="kind" value="statement"' in page) is offered, user.name
        assert ("最近季度收支明细（Excel）" in page) is offered, user.name
    page = body(as_user(app, login, fw.auditor).get(path))
    assert f'name="p_contract_id" value="{contract.id}"' in page


def test_pages_render_for_each_role(app, fw, login):
    """Every page a role reaches from the menu answers 200, laid out for phones."""
    contract = funded_contract(fw)
    spend(fw, contract, 50_000)
    walk = {
        fw.officer: ["/", "/calls", "/awards", "/contracts", "/approvals", "/merchants",
                     f"/contracts/{contract.id}", f"/awards/{contract.award_id}",
                     f"/awards/{contract.award_id}/contract",
                     f"/applications/{contract.award.application_id}"],
        fw.auditor: ["/", f"/contracts/{contract.id}/statement"],
        fw.admin: [f"/orgs/{fw.org.id}", f"/contracts/{contract.id}/expenditures",
                   f"/orgs/{fw.org.id}/redemptions"],
        fw.overseer: ["/oversight"],
        fw.volunteer: ["/points"],
    }
    for user, paths in walk.items():
        c = as_user(app, login, user)
        for path in paths:
            r = c.get(base(fw) + path)
            assert r.status_code == 200, (user.name, path, r.status_code)
            assert 'name="viewport"' in body(r)
    assert as_user(app, login, fw.admin).get(f"{base(fw)}/mine").location.endswith(
        f"/funding/orgs/{fw.org.id}")
