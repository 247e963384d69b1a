"""Journey: every demo role signs in, on a phone and on a desktop, and lands on their
workbench: a short header (at most nine entries), sections whose counts match their lists,
each line opening the page where the thing is done, nothing wider than the screen. The
header's menus open one at a time; 长辈版 makes the text large and stays on for the person."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DESKTOP, PHONE

ACCOUNTS = {
    "resident": "13900000001", "volunteer": "13800000001",
    "org-admin": "sun-admin@demo.gongzhi.cn", "coordinator": "sun-coord@demo.gongzhi.cn",
    "bookkeeper": "sun-books@demo.gongzhi.cn", "bureau": "bureau@demo.gongzhi.cn",
    "bureau2": "bureau2@demo.gongzhi.cn", "auditor": "auditor@demo.gongzhi.cn",
    "overseer": "overseer@demo.gongzhi.cn",
}
#: A section each role always has on its workbench (with or without anything in it).
EXPECTED = {
    "resident": "resident.bookings", "volunteer": "volunteer.progress",
    "org-admin": "org.today", "coordinator": "org.today", "bookkeeper": "books.mine",
    "bureau": "oversight.dashboard", "bureau2": "oversight.dashboard",
    "auditor": "oversight.dashboard", "overseer": "overseer.windows",
}
SHOWN = 5


def _sections(page) -> list[dict]:
    return page.eval_on_selector_all("section.wb-section", """nodes => nodes.map(n => ({
        key: n.dataset.key, count: Number(n.dataset.count),
        links: [...n.querySelectorAll('.wb-items a')].map(a => a.getAttribute('href'))}))""")


@pytest.mark.parametrize("role", list(ACCOUNTS))
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_each_role_lands_on_its_workbench(journey, role, width):
    j = journey(f"workbench-{role}-{width}", PHONE if width == "phone" else DESKTOP)
    j.page.set_default_timeout(10000)
    j.login(ACCOUNTS[role])
    page = j.page
    page.wait_for_load_state()
    assert page.url.endswith("/t/demo/"), page.url
    assert page.title() == "工作台 · 示范区民政局"
    assert page.locator(".wb-welcome h1").inner_text().endswith("您好")
    top = page.locator("nav.primary > ul > li")
    assert 4 <= top.count() <= 9, [top.nth(i).inner_text() for i in range(top.count())]
    sections = _sections(page)
    assert EXPECTED[role] in [s["key"] for s in sections]
    for section in sections:  # the count says how many the list holds (or could hold)
        assert len(section["links"]) == min(section["count"], SHOWN) or (
            section["count"] == 0 and len(section["links"]) <= 1), section
        for href in section["links"]:
            assert page.request.get(j.base + href).status == 200, (section["key"], href)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    j.shot("workbench")
    page.goto(j.base + "/t/demo/inbox")
    assert page.locator(".topbar .tenant-name").inner_text() == "示范区民政局"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    j.shot("inbox")


def test_menus_open_one_at_a_time_and_close_on_escape(journey):
    j = journey("workbench-menus", DESKTOP)
    j.page.set_default_timeout(10000)
    j.login(ACCOUNTS["bureau"])
    page = j.page
    money, oversight = (page.locator("details.dropdown", has=page.locator(f"summary:text-is('{t}')"))
                        for t in ("资金与账簿", "监管审计"))
    money.locator("summary").click()
    assert money.evaluate("d => d.open") and money.locator("a:text-is('审批')").is_visible()
    j.shot("money menu open")
    oversight.locator("summary").click()
    assert oversight.evaluate("d => d.open") and not money.evaluate("d => d.open")
    page.keyboard.press("Escape")
    assert not oversight.evaluate("d => d.open")
    oversight.locator("summary").click()
    page.click("h1")  # a click elsewhere closes it
    assert not oversight.evaluate("d => d.open")


def test_my_things_unfold_in_the_phone_menu(journey):
    j = journey("workbench-phone-menu", PHONE)
    j.page.set_default_timeout(10000)
    j.login(ACCOUNTS["volunteer"])
    page = j.page
    page.click("details.menu > summary")
    mine = page.locator("details.dropdown.account")
    assert mine.evaluate("d => d.open")
    for label in ("我的预约", "我的志愿服务", "我的时长与证明", "我的积分", "退出登录"):
        assert mine.locator(f"text={label}").first.is_visible(), label
    j.shot("phone menu")


def test_large_text_stays_on_for_the_person(journey, browser, live_server):
    j = journey("workbench-large-text", PHONE)
    j.page.set_default_timeout(10000)
    j.login("13900000003")
    page = j.page

    def body_px() -> float:
        return page.locator("body").evaluate("b => parseFloat(getComputedStyle(b).fontSize)")

    assert body_px() == 16
    page.click("button.tool:has-text('长辈版')")
    page.wait_for_load_state()
    assert "large-text" in page.get_attribute("body", "class")
    assert body_px() >= 18
    row = page.locator(".wb-row").first
    assert row.bounding_box()["height"] >= 48
    assert page.locator("footer").is_hidden()
    j.shot("large text")
    again = journey("workbench-large-text-again", DESKTOP)  # another device, signed in
    again.login("13900000003")
    assert "large-text" in again.page.get_attribute("body", "class")
    again.page.click("button.tool:has-text('标准版')")
    again.page.wait_for_load_state()
    assert "large-text" not in (again.page.get_attribute("body", "class") or "")
    j.page.reload()
    assert body_px() == 16
