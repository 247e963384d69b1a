"""Journey: the bureau officer checks the fund and the demo contract and asks for the
second tranche once its milestone is met; a second officer approves and pays it (four
eyes); the organization's admin then sees the money arrive in the contract statement."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

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
    form.locator("button:has-text('申请付款')").click()
    body = _text(page)
    assert "已提出付款申请，须由另一位工作人员审批。" in body
    assert "第 2 期 待审批 · 60% · ¥36,000.00" in body
    assert "申请支付：¥36,000.00 — 中期评估已合格，申请拨付第 2 期。" in body
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
    body = _text(page)
    assert "该期款项已拨付。" in body
    assert "第 2 期 已支付 · 60% · ¥36,000.00" in body
    assert "第 2 期 · ¥36,000.00 已支付" in body
    b2.shot("paid")

    o = _staff(journey, "funding-org", "sun-admin@demo.gongzhi.cn")
    page = o.go("/t/demo/funding/mine")
    page.click("text=资金报表")
    body = _text(page)
    assert f"资金报表: {CONTRACT}" in body
    figures = page.locator(".figure", has_text="已到账")
    assert "¥60,000.00" in (figures.first.inner_text() if figures.count() else body)
    # Held: received less spent and less the demo's two purchases awaiting approval.
    assert "尚未拨付\n¥0.00" in body and "组织结存\n¥36,738.00" in body
    row = page.locator("tr", has_text="2 (60%)")
    assert "¥36,000.00" in row.inner_text()
    o.shot("statement")
