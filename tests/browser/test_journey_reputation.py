"""Journeys on a phone about reputation and matching.

A visitor opens 光荣榜 from the front page and sees the volunteers who chose to appear (张伟 by
full name, the others by surname), then an organization's public page with its verified hours,
people served, satisfaction and published grades. A volunteer with an award who had not chosen
the list turns it on from their record and finds themselves on it by surname. A volunteer opens
适合我的志愿岗位, reads why each shift suits them, and asks to be told of new ones."""

from __future__ import annotations


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_visitor_reads_the_honour_list_and_an_organizations_record(journey):
    j = journey("reputation-visitor")
    j.page.set_default_timeout(10000)
    page = j.go("/t/demo/")
    page.get_by_role("link", name="光荣榜").first.click()
    body = _text(page)
    assert "张伟" in body and "王*" in body and "2025年度优秀志愿者" in body
    assert "刘洋" not in body and "刘*" not in body
    j.shot("honour list")
    page = j.go("/t/demo/orgs")
    page.get_by_role("link", name="阳光社区服务中心").click()
    body = _text(page)
    assert "服务与评价" in body and "核实服务时长（小时）" in body and "服务对象人数" in body
    j.shot("organization record of service")


def test_a_volunteer_joins_the_honour_list(journey):
    j = journey("reputation-volunteer")
    j.page.set_default_timeout(10000)
    j.login("13800000004")
    page = j.go("/t/demo/volunteer/profile")
    section = page.locator("#honours")
    assert "未上光荣榜" in section.inner_text()
    section.get_by_label("让我出现在本区公开的光荣榜上").check()
    j.shot("choosing the honour list")
    section.get_by_role("button", name="保存我的选择").click()
    body = _text(page)
    assert "您已上光荣榜。" in body and "已上光荣榜，显示为“刘*”" in body
    j.shot("on the honour list")
    page = j.go("/t/demo/honours")
    assert "刘*" in _text(page) and "社区文明劝导志愿者" in _text(page)


def test_a_volunteer_reads_the_shifts_for_them(journey):
    j = journey("shifts-for-me")
    j.page.set_default_timeout(10000)
    j.login("13800000002")
    page = j.go("/t/demo/my/shifts/for-me")
    body = _text(page)
    assert "适合我的志愿岗位" in body and "✓" not in body  # the ticks are drawn, not text
    j.shot("shifts for me")
    notices = page.locator("#notices")
    notices.get_by_label("有适合我的新志愿岗位时通知我").check()
    notices.get_by_role("button", name="保存我的选择").click()
    body = _text(page)
    assert "有适合您的新志愿岗位时，我们会通知您。" in body
    assert page.url.endswith("/my/shifts/for-me")
    assert page.locator("#notices").get_by_label("有适合我的新志愿岗位时通知我").is_checked()
    j.shot("told of new shifts")


def test_a_volunteer_marks_when_they_are_free_and_sees_such_a_shift_first(journey):
    """On the free-times grid the volunteer taps the day and part of the day of a shift that
    was not first, saves with one button, and finds a shift at that time first, saying why."""
    j = journey("free-times")
    j.page.set_default_timeout(10000)
    j.login("13800000002")
    page = j.go("/t/demo/my/shifts/for-me")
    rows = page.locator("ul.slotlist > li[data-shift]")
    cells = [rows.nth(i).get_attribute("data-cell") for i in range(rows.count())]
    assert len(set(cells)) > 1, cells
    chosen = next(c for c in reversed(cells) if c != cells[0])
    assert "您还没有标记什么时候有空" in _text(page)
    page.get_by_role("link", name="标记我什么时候有空").click()
    body = _text(page)
    assert "我什么时候有空" in body and "一个都不选，就当您任何时间都有空。" in body
    day, part = chosen.split("-")
    names = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五",
             "sat": "周六", "sun": "周日"}
    words = names[day] + {"morning": "上午", "afternoon": "下午", "evening": "晚上"}[part]
    page.get_by_label(words, exact=True).check()
    j.shot("free times marked")
    page.get_by_role("button", name="保存").click()
    body = _text(page)
    assert page.url.endswith("/my/shifts/for-me")
    assert "已保存。您有空的时间里的岗位会排在前面。" in body
    assert f"您平时有空的时间：{words}。" in body
    first = page.locator("ul.slotlist > li[data-shift]").first
    assert first.get_attribute("data-cell") == chosen
    assert f"您{words}有空。" in first.inner_text()
    j.shot("a shift at a free time first")
