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
