"""Journey: a bureau officer at a desk exports the district's service records in the national
volunteer system's layout, then uploads that file back: every row is already recorded, nothing
is added. On a phone, a volunteer sees the earlier service brought in from the national system
among their records."""

from __future__ import annotations

import openpyxl

from tests.browser.conftest import DESKTOP, PHONE


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_an_officer_exports_for_the_national_system_and_the_file_comes_back_unchanged(
        journey, tmp_path):
    j = journey("bureau-national", DESKTOP)
    j.page.set_default_timeout(15000)
    j.login("bureau@demo.gongzhi.cn")
    page = j.go("/t/demo/national")
    body = _text(page)
    assert "全国志愿服务信息系统" in body and "版本 2021" in body
    j.shot("national system page")
    page.locator("tr", has_text="本区（民政局）").get_by_role(
        "button", name="服务记录（全国系统格式）").click()
    page.wait_for_selector("a.button.primary:has-text('下载')")
    with page.expect_download() as info:
        page.click("a.button.primary:has-text('下载')")
    path = tmp_path / "records.xlsx"
    info.value.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True)["服务时长"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("记录编号*", "志愿者姓名*", "证件类型*", "证件号码*")
    keys = {r[0] for r in rows[2:]}
    assert "GJ20250312000187" in keys and len(keys) == len(rows) - 2
    j.shot("export ready")

    page = j.go("/t/demo/imports?kind=national_records")
    page.set_input_files("input[name=file]", str(path))
    page.click("form.upload button.primary")
    body = _text(page)
    assert "全国志愿服务信息系统的服务记录" in body
    assert f"{len(rows) - 2} 行已存在" in body
    assert "0 行有错误" in body and "0 行新数据可导入" in body
    assert "导入全部" not in body and "取消导入" not in body  # nothing new: nothing to decide
    j.shot("the same records come back already recorded")
    page.click("text=‹ 全国志愿服务信息系统")
    assert page.url.endswith("/t/demo/national")
    assert j.problems == [], j.problems


def test_a_volunteer_sees_earlier_service_from_the_national_system(journey):
    j = journey("volunteer-national", PHONE)
    j.page.set_default_timeout(15000)
    j.login("13800000001")
    page = j.go("/t/demo/service/me")
    body = _text(page)
    assert "社区义诊志愿服务" in body and "从全国系统导入" in body
    # The summary counts each record under the unit that recorded it, with its own category.
    summary = page.locator("section", has_text="按组织和服务类别").inner_text()
    assert "东街道志愿服务站" in summary and "市志愿服务联合会" in summary
    assert "社区教育" in summary
    # Each record is a card that fits the screen: its status is not cut off.
    width = page.evaluate("window.innerWidth")
    for cell in page.locator("table.records td[data-label='状态']").all()[:5]:
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
    j.shot("records from the national system")
    assert j.problems == [], j.problems
