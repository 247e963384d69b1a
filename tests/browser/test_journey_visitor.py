"""Journeys of a visitor on a phone who starts to act before having signed in.

A resident finds the elderly-care project, taps 预约名额, signs in and lands back on the
project with that place highlighted and "登录成功，请确认报名"; one more tap books it.

A newcomer taps 报名 on a volunteer shift, registers instead of signing in, is asked to
register as a volunteer first, and after that lands back on the same shift, which one more
tap signs them up for."""

from __future__ import annotations

from stdnum.cn import ric

PROJECT = "幸福社区独居老人陪伴助老行动"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_visitor_signs_in_and_books(journey):
    j = journey("visitor-book")
    j.page.set_default_timeout(10000)
    page = j.go("/t/demo/projects")
    page.click(f"text={PROJECT}")
    place = page.locator("ul.slotlist li", has_text="幸福社区活动室")
    assert "登录后报名" not in _text(page)
    assert place.get_by_role("link", name="预约名额").count() == 1
    j.shot("project as a visitor")

    place.get_by_role("link", name="预约名额").click()
    assert page.url.split("?")[0].endswith("/login")
    j.shot("asked to sign in")
    page.fill("#account", "13900000005")
    page.fill("#password", "gongzhi2026")
    page.click("button.primary")
    body = _text(page)
    assert "405" not in body and PROJECT in body
    place = page.locator("li.intent")
    assert "幸福社区活动室" in place.inner_text()
    assert "登录成功，请确认报名" in place.inner_text()
    assert page.evaluate("document.activeElement.textContent.trim()") == "预约名额"
    j.shot("back on the project with the booking offered")

    place_id = place.get_attribute("id")
    place.get_by_label("本人属于：独居老人").check()
    place.get_by_role("button", name="预约名额").click()
    body = _text(page)
    assert "预约成功，名额已确认。" in body
    assert "名额已确认" in page.locator(f"#{place_id}").inner_text()
    j.shot("booked")


def test_a_newcomer_registers_becomes_a_volunteer_and_signs_up(journey):
    j = journey("visitor-sign-up")
    j.page.set_default_timeout(10000)
    page = j.go("/t/demo/projects")
    page.click(f"text={PROJECT}")
    shift = page.locator("ul.slotlist li", has_text="剩余 4 个名额（共 4 个）")
    shift_id = shift.get_attribute("id")
    shift.get_by_role("link", name="报名").click()
    page.locator("main").get_by_role("link", name="注册", exact=True).click()
    j.shot("register instead")
    page.fill("#name", "赵晓东")
    page.fill("#account", "13755550001")
    page.fill("#password", "zhao2026abc")
    page.fill("#confirm", "zhao2026abc")
    page.check("#agree")
    page.click("button.primary")
    body = _text(page)
    assert "欢迎！您的账号已开通。" in body and PROJECT in body
    offered = page.locator(f"#{shift_id}.intent")
    assert "登录成功。报名志愿岗位前，请先注册为志愿者。" in offered.inner_text()
    j.shot("asked to register as a volunteer")

    offered.get_by_role("link", name="注册为志愿者后即可报名").click()
    base = "11010519850307003"
    page.fill("#real_name", "赵晓东")
    page.check("input[name=gender][value=M]")
    page.fill("#birth_date", "1985-03-07")
    page.fill("#id_number", base + ric.calc_check_digit(base + "0"))
    page.fill("#phone", "13755550001")
    page.check("#consent")
    j.shot("volunteer form")
    page.click("button.primary")
    body = _text(page)
    assert "您已成功注册为志愿者。" in body and PROJECT in body
    offered = page.locator(f"#{shift_id}.intent")
    assert "登录成功，请确认报名" in offered.inner_text()
    j.shot("back on the shift")
    offered.get_by_role("button", name="报名").click()
    assert "报名成功，名额已确认。" in _text(page)
    assert "名额已确认" in page.locator(f"#{shift_id}").inner_text()
    j.shot("signed up")
