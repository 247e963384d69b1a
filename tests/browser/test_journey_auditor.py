"""Journey: the auditor opens the oversight dashboard, follows the money spent down to
the ledger transactions behind it, sees the anomaly queue (read-only: the auditor may not
start a scan), and exports the audit log to Excel; the bureau officer runs the anomaly
scan. The demo data raise no finding, so there is nothing to resolve."""

from __future__ import annotations

import openpyxl

from tests.browser.conftest import DESKTOP


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_auditor_follows_the_money_and_exports(journey, tmp_path):
    j = journey("auditor", DESKTOP)
    j.page.set_default_timeout(10000)
    j.login("auditor@demo.gongzhi.cn")
    page = j.go("/t/demo/oversight/")
    body = _text(page)
    assert "监管总览" in body
    assert "2026 社区服务专项资金" in body and "GZ2026-0001 银龄守望独居老人关爱服务合同" in body
    spent = page.locator(".figure", has_text="已支出")
    assert spent.locator(".value").inner_text() == "¥862.00"
    j.shot("oversight dashboard")

    spent.locator("a").click()
    body = _text(page)
    assert "已支出: ¥862.00" in body
    assert "构成该数字的账簿分录，按记账顺序排列，合计即为该数字。" in body
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert "支出 GZ2026-0001 交通：探访交通费（3 月）" in rows.nth(0).inner_text()
    assert "¥860.00" in rows.nth(0).inner_text() and "¥2.00" in rows.nth(1).inner_text()
    j.shot("money spent drill-down")

    rows.nth(0).locator("a", has_text="交通").click()
    body = _text(page)
    assert "/books/txns/" in page.url
    assert "惠民出租车公司" in body
    assert "Expenses:FY2026:Org:O1:C1:Transport" in body and "-¥860.00" in body
    assert "账簿原文" in body
    j.shot("ledger transaction")

    page = j.go("/t/demo/oversight/findings")
    body = _text(page)
    assert "异常线索" in body and "没有符合条件的线索。" in body
    assert "立即扫描" not in body  # the auditor only reads
    j.shot("anomaly queue read-only")

    page = j.go("/t/demo/audit/log")
    assert "审计日志" in _text(page)
    page.click("button:has-text('导出 Excel')")
    body = _text(page)
    assert "审计日志摘录 (xlsx)" in body and "已就绪" in body and "李审计" in body
    j.shot("export ready")
    with page.expect_download() as info:
        page.click("a.button.primary:has-text('下载')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    cells = [str(c) for row in rows for c in row if c is not None]
    assert len(rows) > 10
    assert any("积分兑换" in c for c in cells)
    book.close()


def test_bureau_runs_the_anomaly_scan(journey):
    b = journey("bureau-scan", DESKTOP)
    b.page.set_default_timeout(10000)
    b.login("bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/oversight/findings")
    page.click("form.inline button.primary:has-text('立即扫描')")
    body = _text(page)
    assert "扫描已开始，结束后新线索会出现在队列中。" in body
    assert "已完成" in body and "手动触发 · 王科长" in body
    assert "同一身份证号对应两个账号" in body and "满意度异常跃升" in body
    b.shot("scan finished")
    page = b.go("/t/demo/oversight/findings")
    body = _text(page)
    assert "最近扫描" in body and "(已完成)" in body
    # The demo data are clean: no finding to resolve.
    assert "待处理 0 · 核查中 0 · 已办结 0" in body and "没有符合条件的线索。" in body
    b.shot("queue after scan")
