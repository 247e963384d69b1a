"""Journey: a resident on a phone finds a 助老 service in 幸福社区 through the marketplace
search and filters, books a place in a service slot, sees it confirmed and finds it under
"my sign-ups"; a resident whose demo booking is already past rates the service."""

from __future__ import annotations

import re

PROJECT = "幸福社区独居老人陪伴助老行动"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_find_and_book_elderly_service(journey):
    j = journey("resident-book")
    j.page.set_default_timeout(10000)
    j.login("13900000004")
    page = j.go("/t/demo/projects")
    assert "找服务、找志愿岗位" in _text(page)

    page.fill("input[name=q]", "助老")
    page.select_option("select[name=category]", "助老服务")
    page.click("form.search summary")
    page.select_option("select[name=area]", label="幸福社区")
    page.click("form.search button.primary")
    body = _text(page)
    # Both of 幸福社区's 助老 projects; the appliance repairs there are of another category.
    assert "共找到 2 个项目" in body
    assert PROJECT in body and "邻里助老送餐（演示）" in body and "家电义务维修进社区" not in body
    assert "阳光社区服务中心" in body
    j.shot("search results")

    page.click(f"text={PROJECT}")
    body = _text(page)
    assert "服务名额" in body
    assert "（共 6 个）" in body and "限独居老人" in body
    j.shot("project page")

    slot = page.locator("ul.slotlist li", has_text="幸福社区活动室")
    left = int(re.search(r"剩余 (\d+) 个名额（共 6 个）", slot.inner_text()).group(1))
    slot.locator("input[name=declared_group]").check()
    slot.locator("button", has_text="预约名额").click()
    body = _text(page)
    assert "预约成功，名额已确认。" in body
    assert "名额已确认" in slot.inner_text() and "取消预约" in slot.inner_text()
    assert f"剩余 {left - 1} 个名额（共 6 个）" in body  # another journey may have booked too
    j.shot("booking confirmed")

    page = j.go("/t/demo/my/signups")
    body = _text(page)
    assert "我的预约" in body, body
    row = page.locator("li", has_text=PROJECT)
    assert "已确认" in row.inner_text()
    assert "幸福社区活动室" in row.inner_text()
    j.shot("my sign-ups")


def test_rate_a_past_service(journey):
    # The demo gives 13900000001 a confirmed booking for a service three days ago.
    j = journey("resident-rate")
    j.page.set_default_timeout(10000)
    j.login("13900000001")
    page = j.go("/t/demo/service/received")
    body = _text(page)
    assert "我的服务评价" in body
    row = page.locator("ul.list > li", has_text="邻里助老送餐（演示）")
    assert "居民家中" in row.inner_text()
    j.shot("services received")
    row.get_by_label("4星").check()  # the fourth star, as a finger taps it
    assert row.get_by_label("4星").is_checked()
    row.locator("input[name=comment]").fill("志愿者很耐心，饭菜还热。")
    row.locator("button", has_text="评价").click()
    body = _text(page)
    assert "感谢您的评价。" in body
    row = page.locator("ul.list > li", has_text="邻里助老送餐（演示）")
    assert "★★★★☆" in row.inner_text()
    assert "志愿者很耐心，饭菜还热。" in row.inner_text()
    assert row.locator("button", has_text="评价").count() == 0
    j.shot("service rated")
