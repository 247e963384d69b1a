"""Journey: a bureau officer at a desk proposes a new approval ladder from next month; a
second officer approves it after the confirmation dialog; a resident's phone then finds the
change on the public 资金和激励规则 page, with its day and the amounts in yuan."""

from __future__ import annotations

from datetime import timedelta

from app.parsing import local_today
from tests.browser.conftest import DESKTOP


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_two_officers_change_the_approval_ladder_and_the_public_page_says_so(journey):
    day = (local_today() + timedelta(days=30)).isoformat()
    a = journey("rules-propose", DESKTOP)
    a.page.set_default_timeout(10000)
    a.login("bureau@demo.gongzhi.cn")
    page = a.go("/t/demo/rules/settings?rule=approval_tiers_fen")
    assert "支出审批分级金额" in _text(page)
    page.fill("textarea[name=value]", "20000, 50000, 100000, 500000")
    page.fill("input[name=effective_from]", day)
    page.fill("textarea[name=reason]", "按物价调整第一档")
    a.shot("tier change proposed")
    page.click("#propose button.primary")
    body = _text(page)
    assert "等待另一位民政局工作人员批准" in body and "须由另一位民政局工作人员批准" in body

    b = journey("rules-approve", DESKTOP)
    b.page.set_default_timeout(10000)
    b.login("bureau2@demo.gongzhi.cn")
    desk = b.go("/t/demo/rules/settings")
    desk.locator("#pending button.primary", has_text="批准变更").first.click()
    b.confirm("¥20,000.00", label="approval confirmation")
    assert f"自 {day} 起" in _text(desk)
    b.shot("tier change approved")

    visitor = journey("rules-public")
    page = visitor.go("/t/demo/")
    page.click("footer a")
    body = _text(page)
    assert "资金和激励规则" in body and "¥10,000.00" in body and "¥20,000.00" in body
    assert day in body and page.locator(".qr svg").count() == 1
    visitor.shot("public rules")
