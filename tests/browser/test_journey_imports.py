"""Journey: a bureau officer at a desk uploads a volunteer list full of mistakes and reads
them row by row, then uploads a clean list and imports it after the confirmation dialog."""

from __future__ import annotations

from openpyxl import Workbook

from tests.browser.conftest import DESKTOP

HEADERS = ["真实姓名*", "身份证号码*", "性别", "出生日期", "手机号*", "居住区域", "专业技能",
           "服务类别", "同意记录个人信息*"]


def _file(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "志愿者"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_an_officer_reads_the_mistakes_then_imports_a_clean_list(journey, tmp_path):
    bad = _file(tmp_path / "有错误的名单.xlsx", [
        ["周一", "440304199201010033", "", "", "13812340001", "", "", "", "是"],
        ["周二", "320102198506120026", "", "", "13812340002", "月亮社区", "", "", "是"]])
    clean = _file(tmp_path / "志愿者名单.xlsx", [
        ["周三", "440304199201010032", "男", "1992-01-01", "13812340003", "幸福社区", "急救",
         "助老服务", "是"],
        ["周四", "320102198506120026", "", "", "13812340004", "", "", "", "是"]])
    j = journey("bureau-import", DESKTOP)
    j.page.set_default_timeout(10000)
    j.login("bureau@demo.gongzhi.cn")
    page = j.go("/t/demo/imports")
    assert "下载模板" in _text(page)
    page.set_input_files("input[name=file]", bad)
    page.click("form.upload button.primary")
    body = _text(page)
    assert "身份证号码无效" in body and "本区没有叫这个名字的区域。" in body
    assert "下载有错误的行" in body and "导入全部" not in body
    j.shot("errors listed row by row")

    page = j.go("/t/demo/imports")
    page.set_input_files("input[name=file]", clean)
    page.click("form.upload button.primary")
    assert "2\n行新数据可导入" in _text(page) or "行新数据可导入" in _text(page)
    page.get_by_role("button", name="导入全部 2 行有效数据").click()
    j.confirm("将写入 2 行新数据", label="import confirmation")
    body = _text(page)
    assert "已导入" in body and "行已导入" in body
    j.shot("clean list imported")
    assert j.problems == [], j.problems
