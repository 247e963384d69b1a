"""Journey: the grid worker of 幸福社区 writes a community notice to the community's elderly
living alone (独居老人); before it goes, the page says how many it reaches and how many by
text message; the list of notices shows the counts. On her phone, a resident finds it in her
messages and stops community notices with one tap; her settings page says so."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP, PHONE

TITLE = "周五免费体检"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_community_staff_send_a_notice_and_a_resident_stops_them(journey):
    staff = journey("community-notice-staff", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("grid@demo.gongzhi.cn")
    page = staff.go("/t/demo/notices")
    body = _text(page)
    assert "社区通知" in body and "您负责：幸福社区" in body
    page.click("text=发社区通知")
    options = page.locator("select[name=area_id] option").all_inner_texts()
    assert any("幸福社区（社区）" in o for o in options)
    assert not any("和平社区" in o for o in options)  # not his community
    page.select_option("select[name=area_id]", label="东湖街道 · 幸福社区（社区）")
    page.select_option("select[name=target_group]", "独居老人")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=body]", "本周五上午9点，社区卫生服务站为独居老人免费体检，请带身份证。行动不便的可打电话，我们上门。")
    staff.shot("notice written")
    page.click("form button.primary")
    body = _text(page)
    assert "请确认" in body and "将发给 4 位居民" in body
    assert "其中 1 位同时收到短信" in body and "幸福社区及其下级区域的独居老人" in body
    staff.shot("confirm the reach")
    page.click("button:has-text('发送通知')")
    body = _text(page)
    assert "通知正在发送" in body and TITLE in body
    assert "已发送" in body  # the job ran (inline) before the page was shown
    staff.shot("notice sent")
    page.click("text=全部社区通知")
    row = page.locator("tr", has_text=TITLE)
    assert row.locator("[data-reached]").inner_text() == "4"
    assert row.locator("[data-sms]").inner_text() == "1"
    staff.shot("notices sent with counts")

    resident = journey("community-notice-resident", PHONE)
    resident.page.set_default_timeout(10000)
    resident.login("13900000001")
    page = resident.go("/t/demo/inbox")
    body = _text(page)
    assert TITLE in body and "不再接收社区通知" in body
    resident.shot("notice in her messages")
    page.locator("li", has_text=TITLE).locator("button", has_text="不再接收社区通知").click()
    body = _text(page)
    assert "您不会再收到社区通知" in body and TITLE in body
    assert "不再接收社区通知" not in body  # nothing left to stop
    resident.shot("stopped with one tap")
    page = resident.go("/t/demo/notices/settings")
    assert not page.locator("input[name=community]").is_checked()
    assert "通知设置" in _text(page)
    resident.shot("her notification settings")
