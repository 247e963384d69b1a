"""Journey: a grid worker at a desk registers an elderly resident who has no phone (代办),
with her spoken consent; books a coming service for her; and, for another resident he keeps,
passes on after the confirmation dialog that he received yesterday's service. The resident's
page names the grid worker on each booking and shows the consent."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

NAME = "冯玉珍"
ID_NUMBER = "110105194902150050"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_grid_worker_books_for_an_elderly_resident_without_a_phone(journey):
    j = journey("grid-worker-proxy", DESKTOP)
    j.page.set_default_timeout(10000)
    j.login("grid@demo.gongzhi.cn")
    page = j.go("/t/demo/residents/offline")
    body = _text(page)
    assert "代办居民" in body and "郑桂兰" in body and "钱福生" in body
    assert "孙秀英" in body  # the bureau's staff see the organizations' residents too
    j.shot("residents kept")

    page.click("text=登记居民")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=id_number]", "110105194902150051")
    page.select_option("select[name=area_id]", label="幸福社区 · 幸福社区第1网格（网格）")
    page.select_option("select[name=target_group]", "独居老人")
    page.check("input[name=consent_how][value=spoken]")
    page.click("form button.primary")
    assert "身份证号码无效" in _text(page)
    j.shot("wrong id number")
    page.fill("input[name=id_number]", ID_NUMBER)
    page.check("input[name=consent_how][value=spoken]")
    j.shot("registration filled")
    page.click("form button.primary")
    body = _text(page)
    assert f"已登记 {NAME}" in body and "110************050" in body and ID_NUMBER not in body
    assert "口头同意" in body and "居民本人" in body and "刘网格员 记录" in body
    assert "没有号码：请当面告知" in body
    j.shot("resident registered")

    page.click(f"text=为 {NAME} 代办预约")
    assert "上门" in _text(page) or "剩余" in _text(page)
    j.shot("coming services")
    page.locator("button", has_text=f"为 {NAME} 预约").first.click()
    body = _text(page)
    assert f"已为 {NAME} 预约" in body and "由 刘网格员 代办预约" in body
    j.shot("booked on her behalf")

    page = j.go("/t/demo/residents/offline")
    page.click("text=钱福生")
    page.locator("button", has_text="居民已接受服务").first.click()
    said = j.confirm("钱福生 告诉您已接受这次服务", label="confirm for the resident")
    assert "不能撤销" in said
    body = _text(page)
    assert "已记录：钱福生 已接受服务" in body and "代为确认" in body
    j.shot("confirmed on his behalf")
