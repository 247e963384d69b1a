"""Journeys of public funding.

The whole flow: a bureau officer appropriates a fund and publishes a call; an
organization's admin applies; the bureau proposes the award, which goes on public notice;
a member of the public objects and the bureau answers publicly; once the notice period is
over the contract is signed; the first tranche is asked for by one officer and approved
and paid by a second (four eyes); the organization's bookkeeper records an expenditure
with its receipt, its admin approves it, the resident overseer signs it off on her phone,
and once her window has passed it is final and shows in the organization's statement.

And on the demo contract: the second tranche, asked for and paid by two officers, arrives
in the organization's statement."""

from __future__ import annotations

from datetime import timedelta

from PIL import Image, ImageDraw

from app.db import utcnow
from app.db_commit import commit
from app.extensions import db
from app.funding.models import Award
from app.funding.services import today
from tests.browser.conftest import DESKTOP
from tests.orgs.files import PDF

CONTRACT = "GZ2026-0001 银龄守望独居老人关爱服务合同"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _staff(journey, name: str, account: str):
    j = journey(name, DESKTOP)
    j.page.set_default_timeout(10000)
    j.login(account)
    return j


def test_tranche_requested_approved_and_received(journey):
    b = _staff(journey, "funding-request", "bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/funding/")
    body = _text(page)
    assert "社区服务专项资金" in body and "¥500,000.00" in body and "¥440,000.00" in body
    b.shot("funds")

    page = b.go("/t/demo/funding/contracts")
    row = page.locator("tr", has_text=CONTRACT)
    assert "阳光社区服务中心" in row.inner_text() and "¥60,000.00" in row.inner_text()
    page.click("text=GZ2026-0001")
    body = _text(page)
    assert "第 1 期 已支付 · 40% · ¥24,000.00" in body
    assert "第 2 期 计划 · 60% · ¥36,000.00" in body
    b.shot("contract")
    contract_url = page.url

    page.click("summary:has-text('里程碑已完成：申请付款')")
    form = page.locator("details.inline-form", has_text="里程碑已完成：申请付款").locator("form")
    form.locator("textarea[name=note]").fill("中期评估已合格，申请拨付第 2 期。")
    # Before its planned date and without a file: the reason is asked for, then given.
    form.locator("button:has-text('申请付款')").click()
    assert "请写明现在拨付的理由" in _text(page)
    page.click("summary:has-text('里程碑已完成：申请付款')")
    form = page.locator("details.inline-form", has_text="里程碑已完成：申请付款").locator("form")
    form.locator("textarea[name=note]").fill("中期评估已合格，申请拨付第 2 期。")
    form.locator("textarea[name=reason]").fill("区里提前组织了中期评估，评估已合格，按评估结论拨付。")
    form.locator("button:has-text('申请付款')").click()
    body = _text(page)
    assert "已提出付款申请，须由另一位工作人员审批。" in body
    assert "第 2 期 待审批 · 60% · ¥36,000.00" in body
    # The approval card says who asked, on what evidence, why now, and warns of both slips
    # (the demo plans the second tranche 180 days after a start two days ago).
    planned = today() + timedelta(days=178)
    for shown in ("申请人\n王科长", "里程碑达成的依据\n中期评估已合格，申请拨付第 2 期。",
                  "理由\n区里提前组织了中期评估", f"比计划日期 {planned:%Y-%m-%d} 早",
                  "未附任何佐证材料"):
        assert shown in body, shown
    # The officer who asked may not approve.
    assert "须由另一位工作人员审批您的申请。" in body and "审批并拨付" not in body
    b.shot("payment requested")

    b2 = _staff(journey, "funding-approve", "bureau2@demo.gongzhi.cn")
    page = b2.go("/t/demo/funding/approvals")
    body = _text(page)
    assert f"{CONTRACT} · 第 2 期 · ¥36,000.00" in body
    b2.shot("approvals queue")
    page.goto(contract_url)
    page.click("button:has-text('审批并拨付')")
    b2.confirm("拨付 ¥36,000.00 给 阳光社区服务中心", "asked before paying")
    body = _text(page)
    assert "该期款项已拨付。" in body
    assert "第 2 期 已支付 · 60% · ¥36,000.00" in body
    assert "第 2 期 · ¥36,000.00 已支付" in body
    b2.shot("paid")

    o = _staff(journey, "funding-org", "sun-admin@demo.gongzhi.cn")
    page = o.go("/t/demo/funding/mine")
    page.click("text=资金报表")
    body = _text(page)
    assert f"资金报表：{CONTRACT}" in body
    assert "已拨付\n¥60,000.00" in body and "账面余额\n¥59,138.00" in body
    # Available: held less the demo's two purchases awaiting approval.
    assert "尚未拨付\n¥0.00" in body and "可用余额\n¥36,738.00" in body
    row = page.locator("tr", has_text="2 (60%)")
    assert "¥36,000.00" in row.inner_text()
    o.shot("statement")


FUND = "社区文体活动专项资金"
CALL = "社区文体活动项目征集"
PROJECT = "彩虹广场舞与健身操进社区"
ORG = "彩虹文体协会"


def _notice_period_passes(app, award_id: int) -> None:
    """The tenant's notice period (7 days) passes. The server's clock is not faked: the
    notice, and the objection and answer made during it, are moved back by the time left,
    so the period ended a minute ago (as the demo does with its own notice). This goes
    through the app's models and its one commit, inside the app context."""
    with app.app_context():
        award = db.session.get(Award, award_id)
        span = award.notice_ends_at - utcnow() + timedelta(minutes=1)
        award.notice_starts_at -= span
        award.notice_ends_at -= span
        for objection in award.objections:
            objection.created_at -= span
            if objection.answered_at:
                objection.answered_at -= span
        commit()


def _window_passes(app, expenditure_id: int) -> None:
    """The overseers' window ends a minute ago (moved back, as the notice is) and the daily
    finalize job runs."""
    from app.funding.models_spending import Expenditure
    from workers.funding import finalize_due

    with app.app_context():
        expense = db.session.get(Expenditure, expenditure_id)
        expense.window_ends_at = utcnow() - timedelta(minutes=1)
        commit()
        assert finalize_due(expense.tenant_id) == 1


def _receipt(path):
    """A small, real PNG: a shop's slip with a few printed lines."""
    image = Image.new("RGB", (240, 200), "white")
    draw = ImageDraw.Draw(image)
    for y, line in enumerate(["RECEIPT No. 20260318", "Sports goods store",
                              "Speakers x2, mats x20", "Total CNY 1,280.00"]):
        draw.text((16, 20 + 36 * y), line, fill="black")
    image.save(path, "PNG")
    return path


def test_whole_funding_flow_from_fund_to_statement(journey, live_server, tmp_path):
    _base, app = live_server

    # The bureau appropriates a fund and publishes a call for proposals.
    b = _staff(journey, "flow-bureau", "bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/funding/")
    page.fill("#name", FUND)
    page.fill("#source", "区级福利彩票公益金")
    page.fill("#amount", "200000")
    page.click("button.primary:has-text('下达')")
    b.confirm("记入账本", "asked before appropriating")
    body = _text(page)
    assert "专项资金已下达。" in body and FUND in body and "区级福利彩票公益金" in body
    assert "未占用余额\n¥200,000.00" in body
    b.shot("fund appropriated")

    page.fill("#title", CALL)
    page.select_option("#category", "文体活动")
    page.fill("#description", "面向辖区居民开展广场舞、健身操等文体活动，每月不少于 4 次。")
    page.fill("#ceiling", "50000")
    page.fill("#deadline", (today() + timedelta(days=20)).isoformat())
    page.click("button.primary:has-text('发布')")
    body = _text(page)
    assert "申报通知已发布。" in body and CALL in body and "暂无申报。" in body
    b.shot("call published")

    # The organization's admin finds the open call and applies with a budget.
    o = _staff(journey, "flow-org-admin", "rainbow-admin@demo.gongzhi.cn")
    page = o.go("/t/demo/funding/mine")
    assert ORG in _text(page)
    page.locator("li", has_text=CALL).locator("a", has_text="申报").click()
    page.fill("#title", PROJECT)
    page.fill("#plan", "组建 3 支居民文体队，每周两次在彩虹广场教学；每季度一次社区展演。")
    for label, amount in (("交通", "3000"), ("物资", "20000"), ("激励", "7000")):
        page.get_by_label(label, exact=True).fill(amount)
    o.shot("application form")
    page.click("button.primary:has-text('提交申报')")
    body = _text(page)
    assert "申报已提交。" in body and f"{PROJECT} 已提交" in body and "¥30,000.00" in body
    o.shot("application submitted")

    # The bureau proposes the award: it is published for public notice.
    page = b.go("/t/demo/funding/calls")
    page.click(f"text={CALL}")
    page.click(f"text={PROJECT}")
    assert page.input_value("#amount") == "30000.00"
    page.fill("#reasons", "方案具体，队伍稳定，预算与活动量相符。")
    page.click("button.primary:has-text('发布公示')")
    b.confirm("公示栏")
    body = _text(page)
    assert "拟资助结果已进入公示。" in body and f"{PROJECT} 公示中" in body
    award_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    b.shot("award under notice")

    # A member of the public, not signed in, objects on the notice page.
    p = journey("flow-public", DESKTOP)
    page = p.go("/t/demo/funding/notices")
    page.click(f"text={PROJECT}")
    body = _text(page)
    assert "拟资助项目公示" in body and ORG in body and "¥30,000.00" in body
    assert "目前没有异议。" in body
    page.fill("#text", "该协会去年的活动经费是否公开过？请说明评审依据。")
    page.fill("#name", "老李")
    page.fill("#contact", "13912345678")
    page.click("button.primary:has-text('提交异议')")
    body = _text(page)
    assert "您的异议已收到，答复将在本页公开。" in body
    assert "该协会去年的活动经费是否公开过？" in body and "等待民政局答复。" in body
    assert "13912345678" not in body and "老李" not in body  # contact and name stay private
    p.shot("objection lodged")
    notice_url = page.url

    # The bureau answers it publicly and drafts the contract; it cannot be signed yet.
    page = b.go(f"/t/demo/funding/awards/{award_id}")
    body = _text(page)
    assert "该资助的异议须先答复，才能签订合同。" in body and "公示期尚未结束。" in body
    assert "老李" in body and "139****5678" in body and "13912345678" not in body
    page.fill("textarea[name=answer]", "该协会 2025 年项目经费已在区民政局网站公开；"
                                       "本次评审依据申报书和专家评分，评分表可在民政局查阅。")
    page.click("button.primary:has-text('公开答复')")
    body = _text(page)
    assert "答复已公开。" in body and "该资助的异议须先答复" not in body
    assert "公示期尚未结束。" in body
    b.shot("objection answered")

    page.click("a.button:has-text('起草合同')")
    assert page.input_value("#title") == PROJECT
    for name, text in (("quantity", "广场舞和健身操教学不少于 96 次，展演 4 次"),
                       ("quality", "参与居民满意度不低于 90%，活动记录完整可查"),
                       ("settlement", "分两期支付：签约后 50%，中期评估合格后 50%"),
                       ("duties", "甲方按期支付并监督评估；乙方按标准组织活动并如实记录"),
                       ("liability", "未达服务标准的，按未完成比例扣减服务费")):
        page.fill(f"#{name}", text)
    page.fill("#share_1", "50")
    page.fill("#date_1", today().isoformat())
    page.fill("#milestone_1", "合同签订，文体队组建完成")
    page.fill("#share_2", "50")
    page.fill("#date_2", (today() + timedelta(days=180)).isoformat())
    page.fill("#milestone_2", "中期评估合格")
    b.shot("contract draft")
    page.click("button.primary:has-text('保存草稿')")
    body = _text(page)
    assert "合同草稿已保存。" in body and "公示期尚未结束。" in body
    assert page.locator("button:has-text('签订并公开')").count() == 0
    contract_url = page.url

    p.page.reload()
    body = _text(p.page)
    assert "民政局答复" in body and "该协会 2025 年项目经费已在区民政局网站公开" in body
    p.shot("answer published")

    _notice_period_passes(app, award_id)

    # The notice period is over and every objection answered: the contract is signed.
    p.page.reload()
    assert "异议期已结束。" in _text(p.page)
    page.goto(contract_url)
    page.click("button.primary:has-text('签订并公开')")
    b.confirm("¥30,000.00")
    body = _text(page)
    assert "合同已签订并公开，资金已占用。" in body and f"{PROJECT} 已签订" in body
    number = page.locator("dl.facts dt:text-is('合同编号') + dd").inner_text()
    contract = f"{number} {PROJECT}"
    b.shot("contract signed")
    p.page.goto(notice_url)
    assert "拟资助项目公示 已签约" in _text(p.page)
    p.page.click("text=已签订的合同")
    body = _text(p.page)
    assert f"{PROJECT} 已签订" in body and number in body and "¥30,000.00" in body
    assert "广场舞和健身操教学不少于 96 次，展演 4 次" in body
    p.shot("published contract")

    # The first tranche: one officer asks, a second approves and pays.
    page.click("summary:has-text('里程碑已完成：申请付款')")
    form = page.locator("details.inline-form", has_text="里程碑已完成：申请付款").first
    form.locator("textarea[name=note]").fill("合同已签订，三支文体队已组建。")
    form.locator("input[name=files]").set_input_files(files=[
        {"name": "组建会签到表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    form.locator("button:has-text('申请付款')").click()
    body = _text(page)
    assert "已提出付款申请，须由另一位工作人员审批。" in body
    assert "第 1 期 待审批 · 50% · ¥15,000.00" in body
    assert "须由另一位工作人员审批您的申请。" in body and "审批并拨付" not in body
    b.shot("tranche requested")

    b2 = _staff(journey, "flow-bureau2", "bureau2@demo.gongzhi.cn")
    page = b2.go("/t/demo/funding/approvals")
    assert f"{contract} · 第 1 期 · ¥15,000.00" in _text(page)
    page.goto(contract_url)
    page.click("button:has-text('审批并拨付')")
    b2.confirm("拨付 ¥15,000.00")
    body = _text(page)
    assert "该期款项已拨付。" in body and "第 1 期 已支付 · 50% · ¥15,000.00" in body
    b2.shot("tranche paid")

    # The bookkeeper records an expenditure with its receipt; the admin approves it.
    k = _staff(journey, "flow-org-books", "rainbow-books@demo.gongzhi.cn")
    page = k.go("/t/demo/funding/mine")
    assert f"{PROJECT} 已获资助" in _text(page)
    row = page.locator("li", has_text=contract)
    assert "已拨付 ¥15,000.00" in row.inner_text()
    row.locator("a", has_text="支出").click()
    page.select_option("#line_id", label="物资")
    page.fill("#amount", "1280")
    page.fill("#payee", "动感体育用品店")
    page.fill("#description", "便携音箱 2 台、健身垫 20 张")
    page.set_input_files("input[name=receipts]", _receipt(tmp_path / "购物小票.png"))
    k.shot("expenditure form")
    page.click("button.primary:has-text('录入')")
    body = _text(page)
    assert "支出已录入，等待审批。" in body and "¥1,280.00 · 物资 待审批" in body
    assert "购物小票.png" in body
    href = page.locator("a", has_text="购物小票.png").get_attribute("href")
    receipt = page.request.get(k.base + href)
    assert receipt.ok and receipt.body() == (tmp_path / "购物小票.png").read_bytes()
    k.shot("expenditure recorded")
    expenditure_url = page.url

    o.page.goto(expenditure_url)
    o.page.click("button.primary:has-text('组织审批通过')")
    o.confirm("¥1,280.00")
    body = _text(o.page)
    assert "已审批。" in body and "¥1,280.00 · 物资 监督公示中" in body
    o.shot("expenditure approved")

    # The resident overseer reviews it on her phone, with its receipt, and signs it off.
    v = journey("flow-overseer")
    v.page.set_default_timeout(10000)
    v.login("overseer@demo.gongzhi.cn")
    page = v.go("/t/demo/funding/oversight")
    body = _text(page)
    assert "待您审核的支出" in body and "¥1,280.00" in body and "购物小票.png" in body
    v.shot("overseer queue")
    page.locator("section.review", has_text="¥1,280.00").locator(
        "button.primary:has-text('签字确认')").click()
    v.confirm("¥1,280.00", "asked before signing off")
    body = _text(v.page)
    assert "您的签字确认已登记。" in body and "您已签字确认的支出" in body
    v.shot("signed off")

    # Her window passes without an objection: the daily job makes it final.
    _window_passes(app, int(expenditure_url.rstrip("/").rsplit("/", 1)[1]))
    o.page.goto(expenditure_url)
    body = _text(o.page)
    assert "¥1,280.00 · 物资 已入账" in body and "居务监督员签字确认" in body and "赵监督" in body
    o.shot("expenditure final and signed off")

    # It shows in the organization's statement.
    page = o.go("/t/demo/funding/mine")
    page.locator("li", has_text=contract).locator("a", has_text="资金报表").click()
    body = _text(page)
    assert f"资金报表：{contract}" in body
    for figure, value in (("合同金额", "¥30,000.00"), ("已拨付", "¥15,000.00"), ("已支出", "¥1,280.00"),
                          ("待审批支出", "¥0.00"), ("可用余额", "¥13,720.00"),
                          ("账面余额", "¥13,720.00"), ("已退回", "¥0.00"), ("尚未拨付", "¥15,000.00")):
        assert f"{figure}\n{value}" in body, figure
    line = page.locator("tr", has_text="物资").inner_text()
    assert "¥20,000.00" in line and "¥1,280.00" in line and "¥18,720.00" in line
    o.shot("statement")
