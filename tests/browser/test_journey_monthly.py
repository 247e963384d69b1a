"""Journey: the month in numbers (每月通报). A resident on a phone opens 信息公开, then the
monthly reports, reads the district's month and 阳光社区服务中心's with the change from the
month before and the money of its contracts, and downloads the PDF. At the bureau an
officer asks to publish that month again and is told it stays as it was published."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

ORG = "阳光社区服务中心"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_a_resident_reads_the_month_and_the_bureau_cannot_change_it(journey):
    j = journey("monthly-resident")
    j.page.set_default_timeout(10000)
    page = j.go("/t/demo/open")
    page.get_by_role("link", name="每月通报").first.click()
    body = _text(page)
    assert "示范区民政局" in body and ORG in body
    j.shot("months and reports")

    page.get_by_role("link", name=ORG).click()
    body = _text(page)
    assert "本月服务" in body and "上月" in body and "服务对象人数" in body
    assert "发布后不会再更改" in body
    j.shot("an organization's month")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    officer = journey("monthly-bureau", DESKTOP)
    officer.login("bureau@demo.gongzhi.cn")
    page = officer.go("/t/demo/monthly")
    month = page.input_value("#month")
    page.get_by_role("button", name="发布该月通报").click()
    officer.confirm("不会再更改", "asked before publishing")
    body = _text(page)
    assert f"{month} 的通报此前已发布，保持原样不变。" in body
    officer.shot("already published")
