"""Journey: a resident registers on a phone, becomes a volunteer with the real-name
fields and consent, and sees their record with ID and phone masked."""

from __future__ import annotations

import itertools

_numbers = itertools.count(1)


def test_register_and_become_volunteer(journey):
    j = journey("volunteer-register")
    page = j.go("/t/demo/")
    assert "示范区民政局" in page.content()
    j.shot("front page")

    page = j.go("/t/demo/register")
    phone = f"1370000{next(_numbers):04d}"
    page.fill("#name", "林小雨")
    page.fill("#account", phone)
    page.fill("#password", "lin2026abc")
    page.fill("#confirm", "lin2026abc")
    j.shot("register form")
    page.click("button.primary")
    page.wait_for_load_state()
    assert "欢迎！您的账号已开通。" in page.content()

    page = j.go("/t/demo/volunteer/register")
    page.fill("#real_name", "林小雨")
    page.check("input[name=gender][value=F]")
    page.fill("#birth_date", "1990-06-15")
    page.fill("#id_number", "110102199006150021")
    page.fill("#phone", phone)
    page.check("input[name=service_categories][value=助老服务]")
    # Without consent the form is refused with a clear message.
    page.click("button.primary")
    page.wait_for_load_state()
    assert "注册需要您同意我们使用您的个人信息。" in page.content()
    j.shot("consent missing")
    page.fill("#id_number", "110102199006150021")
    page.fill("#phone", phone)
    page.check("#consent")
    page.click("button.primary")
    page.wait_for_load_state()
    body = page.content()
    assert "您已成功注册为志愿者。" in body
    assert "110************021" in body and "110102199006150021" not in body
    assert phone not in body
    j.shot("volunteer record masked")


def test_language_switch_and_phone_menu(journey):
    j = journey("language")
    page = j.go("/t/demo/")
    page.click("text=English")
    assert "Sign in" in page.content()
    page.click("summary")
    j.shot("english menu open")
    page.click("text=中文")
    assert "登录" in page.content()
