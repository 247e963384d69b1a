"""Journey: a resident on a phone posts a need (需求) in her grid; it waits in 我的需求; the
coordinator of the organization serving 幸福社区 takes it on at a desk after the confirmation
dialog; the resident's phone then says it is being handled, and the community's wish wall
shows it with her name masked."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

WISH = "想请志愿者帮忙把阳台上的旧花盆搬下楼"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_resident_posts_a_need_and_an_organization_takes_it_on(journey):
    j = journey("resident-need")
    j.page.set_default_timeout(10000)
    j.login("13900000006")
    page = j.go("/t/demo/needs/new")
    assert "提需求" in _text(page)
    page.fill("textarea[name=what]", WISH)
    page.select_option("select[name=category]", "助老服务")
    page.select_option("select[name=target_group]", "独居老人")
    page.select_option("select[name=area_id]", label="幸福社区 · 幸福社区第1网格（网格）")
    page.check("input[name=urgency][value=soon]")
    j.shot("need form filled")
    page.click("form button.primary")
    body = _text(page)
    assert "需求已提交" in body and WISH in body and "等待组织承接" in body
    j.shot("need posted")

    page = j.go("/t/demo/needs/mine")
    assert WISH in _text(page)
    j.shot("my needs waiting")

    staff = journey("coordinator-need", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("sun-coord@demo.gongzhi.cn")
    desk = staff.go("/t/demo/needs/queue")
    assert WISH in _text(desk)
    desk.click(f"text={WISH}")
    desk.locator("button", has_text="承接").first.click()
    said = staff.confirm("其他组织将不再看到它", label="claim confirmation")
    assert said
    assert "已承接这件需求" in _text(desk)
    staff.shot("need taken on")

    page = j.go("/t/demo/needs/mine")
    row = page.locator("li", has_text=WISH)
    assert "正在办理" in row.inner_text()
    j.shot("my need being handled")

    page = j.go("/t/demo/needs/wall")
    page.get_by_role("link", name="幸福社区", exact=True).click()
    body = _text(page)
    assert WISH in body and "幸福社区心愿墙" in body
    assert "朱**" in body and "朱同学" not in body
    j.shot("wish wall")
