"""Journey: a bureau officer at a desk opens a residents' consultation (居民议事) for 幸福社区
on one of its open needs and two proposed projects; two residents on the roll vote on their
phones after the confirmation dialog (one comments), and a second vote is refused; the officer
ends the voting, enters the votes of a paper ballot box, publishes the result, and publishes a
call that cites it; the call's public page links to the result, which lists the call."""

from __future__ import annotations

from datetime import timedelta

from app.funding.services import today
from tests.browser.conftest import DESKTOP

TITLE = "幸福社区明年助老服务先买哪一项"
FIRST = "开设老年助餐点"
SECOND = "楼道加装扶手"
CALL = "幸福社区老年助餐点运营项目"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _vote(journey, name: str, account: str, choice: str, comment: str = ""):
    j = journey(name)
    j.page.set_default_timeout(10000)
    j.login(account)
    page = j.go("/t/demo/consultations/")
    body = _text(page)
    assert "您登记为幸福社区第1网格居民" in body and TITLE in body
    page.click(f"text={TITLE}")
    page.locator("label.option", has_text=choice).click()
    j.shot("ballot chosen")
    page.click("button.primary.big")
    said = j.confirm(f"您要投给「{choice}」。每人只有一票", label="vote confirmation")
    assert said == f"您要投给「{choice}」。每人只有一票，投出后不能更改。"
    body = _text(page)
    assert "谢谢您，您的一票已计入。" in body and f"您投给了：{choice}" in body
    j.shot("voted")
    if comment:
        page.fill("textarea[name=body]", comment)
        page.click("text=发表意见")
        assert comment in _text(page)
        j.shot("commented")
    return j


def test_a_consultation_is_opened_voted_published_and_cited_by_a_call(journey):
    staff = journey("consultation-bureau", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("bureau@demo.gongzhi.cn")
    desk = staff.go("/t/demo/consultations/")
    body = _text(desk)
    assert "幸福社区2027年为老服务先办哪件事" in body and "结果已公布" in body  # the demo's
    desk.click("text=发起居民议事")
    desk.select_option("#pick-area", label="幸福社区")
    desk.click("text=查看该社区需求")
    desk.fill("#title", TITLE)
    desk.fill("#description", "区里明年给幸福社区买一项助老服务。请选出您最希望先办的一项，每人一票。")
    desk.fill("#closes_on", (today() + timedelta(days=10)).isoformat())
    desk.locator("input[name=need_ids]").first.check()
    desk.fill("#proposals", f"{FIRST}\n{SECOND}")
    staff.shot("consultation form filled")
    desk.click("button.primary:has-text('开始议事')")
    body = _text(desk)
    assert "居民议事已开始" in body and TITLE in body and "登记在册居民" in body
    staff.shot("consultation open")
    url = desk.url.removeprefix(staff.base)

    grandma = _vote(journey, "consultation-resident", "13900000003", FIRST,
                    comment="助餐点最好离3号楼近一点，中午能打到热饭。")
    _vote(journey, "consultation-neighbour", "13900000006", SECOND)
    page = grandma.go(url)
    assert page.locator("button.primary.big").count() == 0
    assert f"您投给了：{FIRST}" in _text(page)  # the ballot is gone: one vote each

    desk = staff.go(url)
    desk.click("button:has-text('截止投票')")
    staff.confirm("不能再在网上投票", label="end voting confirmation")
    assert "投票已截止" in _text(desk)
    desk.select_option("#option_id", label=FIRST)
    desk.check("input[name=source][value=paper]")
    desk.fill("#held_on", today().isoformat())
    facts = desk.locator("dl.facts").inner_text()
    assert "民政局已提前截止，原定至" in facts  # ended early: the actual end is shown
    # More paper votes than residents on the roll: refused, saying how many are left.
    desk.fill("#votes", "500")
    desk.fill("#note", "3号楼纸质票箱，两名居民代表开箱计票")
    desk.click("button:has-text('录入票数')")
    body = _text(desk)
    assert "登记在册居民共" in body and "最多还能录入" in body and "票数已录入" not in body
    staff.shot("too many paper votes refused")
    left = int(body.split("最多还能录入")[1].split("票")[0])
    assert left >= 3, left
    desk.select_option("#option_id", label=FIRST)
    desk.check("input[name=source][value=paper]")
    desk.fill("#held_on", today().isoformat())
    desk.fill("#votes", "3")
    desk.fill("#note", "3号楼纸质票箱，两名居民代表开箱计票")
    desk.click("button:has-text('录入票数')")
    body = _text(desk)
    assert "票数已录入" in body and "3号楼纸质票箱" in body
    assert "居民议事会" in desk.locator("table.counts thead").inner_text()
    staff.shot("paper votes entered")
    desk.click("button:has-text('公布结果')")
    staff.confirm("向所有人公开", label="publish confirmation")
    body = _text(desk)
    assert f"议事结果：{TITLE}" in body and "得票最多" in body
    assert "登记在册居民" in body and "助餐点最好离3号楼近一点" in body
    staff.shot("result published")
    result_url = desk.url.removeprefix(staff.base)

    desk.click("text=发布引用此结果的申报通知")
    desk.click("text=社区服务专项资金")
    desk.fill("#title", CALL)
    desk.select_option("#category", "助老服务")
    desk.fill("#description", "按幸福社区居民议事结果，开设并运营老年助餐点，每周六天供应午餐。")
    desk.fill("#ceiling", "60000")
    desk.fill("#deadline", (today() + timedelta(days=20)).isoformat())
    desk.select_option("#consultation_id", label=f"{TITLE}（幸福社区）")
    staff.shot("call citing the consultation")
    desk.click("button.primary:has-text('发布')")
    body = _text(desk)
    assert "申报通知已发布。" in body and "居民议定的优先事项" in body and TITLE in body
    assert desk.locator("dd.cited-result a").inner_text() == FIRST  # what residents put first
    desk.click("text=该申报通知的公开页面")
    assert "居民议定的优先事项" in _text(desk)
    assert desk.locator("dd.cited-result a").inner_text() == FIRST
    staff.shot("public call cites the result")

    page = grandma.go(result_url)
    body = _text(page)
    assert CALL in body and "引用这次议事结果的申报通知" in body
    assert FIRST in body and "纸质投票" in body
    grandma.shot("result on the phone")
