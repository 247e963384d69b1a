"""Journey: the auditor opens the oversight dashboard, follows the money spent down to
the ledger transactions behind it, exports the audit log and an organization's quarterly
statement to Excel (the statement's figures match the page), and opens the finding the
anomaly scan raised (read-only: the auditor may neither start a scan nor resolve it). A
bureau officer resolves the finding with a note; the auditor then sees it resolved. The
bureau officer also runs the anomaly scan by hand: it sees the finding again, adding none."""

from __future__ import annotations

import re

import openpyxl

from tests.browser.conftest import DESKTOP

CONTRACT = "GZ2026-0001 银龄守望独居老人关爱服务合同"
SPLIT = "拆分采购规避审批"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _staff(journey, name: str, account: str):
    j = journey(name, DESKTOP)
    j.page.set_default_timeout(10000)
    j.login(account)
    return j


def _yuan(text: str) -> float:
    """"¥1,234.50" → 1234.5"""
    return float(re.sub(r"[^\d.\-]", "", text))


def _download(page, tmp_path):
    with page.expect_download() as info:
        page.click("a.button.primary:has-text('下载')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return openpyxl.load_workbook(path, read_only=True)


def _sheet(sheet, header: str) -> tuple[dict, list[tuple]]:
    """An export's sheet: the heading rows above the table (label → value), then the
    table's rows below its header (the row whose first cell is ``header``)."""
    meta, rows, table = {}, [], False
    for row in sheet.iter_rows(values_only=True):
        if table:
            rows.append(row)
        elif row and row[0] == header:
            table = True
        elif row and row[0] is not None:
            meta[row[0]] = row[1]
    return meta, rows


def test_auditor_follows_the_money_and_exports(journey, tmp_path):
    j = _staff(journey, "auditor", "auditor@demo.gongzhi.cn")
    page = j.go("/t/demo/oversight/")
    body = _text(page)
    assert "监管总览" in body
    assert "2026 社区服务专项资金" in body and CONTRACT in body
    spent = page.locator(".figure", has_text="已支出")
    assert spent.locator(".value").inner_text() == "¥862.00"
    j.shot("oversight dashboard")

    spent.locator("a").click()
    body = _text(page)
    assert "已支出：¥862.00" in body
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
    assert "业务活动成本—交通费（阳光社区服务中心·GZ2026-0001）" in body and "贷 ¥860.00" in body
    assert "审批人" in body and "阳光负责人（组织管理员）" in body
    assert "Expenses:FY2026" not in body  # the key is a technical detail, collapsed
    page.click("details.tech summary")
    body = _text(page)
    assert "Expenses:FY2026:Org:O1:C1:Transport" in body and "账簿原文" in body
    j.shot("ledger transaction")

    page = j.go("/t/demo/audit/log")
    assert "审计日志" in _text(page)
    page.click("button:has-text('导出 Excel')")
    body = _text(page)
    assert "审计日志摘录 (xlsx)" in body and "已就绪" in body and "李审计" in body
    j.shot("export ready")
    book = _download(page, tmp_path)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    cells = [str(c) for row in rows for c in row if c is not None]
    assert len(rows) > 10
    assert any("积分兑换" in c for c in cells)
    book.close()


def test_auditor_exports_an_organization_statement(journey, tmp_path):
    """The organization's statement page, then its latest quarterly statement in Excel: the
    demo contract's money all moved this quarter, so the quarter's figures are the page's."""
    j = _staff(journey, "auditor-statement", "auditor@demo.gongzhi.cn")
    page = j.go("/t/demo/funding/contracts")
    page.click("text=GZ2026-0001")
    page.click("a.button:has-text('资金报表')")
    body = _text(page)
    assert f"资金报表：{CONTRACT}" in body and "阳光社区服务中心" in body

    def fact(label: str) -> float:
        """A contract figure as the shared figure table shows it: its name, then its value."""
        value = body.split(f"\n{label}\n", 1)[1].split()[0]
        return _yuan(value)

    received, spent, returned = fact("已拨付"), fact("已支出"), fact("已退回")
    assert received >= 24_000 and spent >= 862
    by_line = {}
    for row in page.locator("table").first.locator("tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        if _yuan(cells[2]):
            by_line[cells[0]] = _yuan(cells[2])
    assert by_line["交通"] == 860
    j.shot("organization statement")

    page.click("button:has-text('最近季度收支明细（Excel）')")
    body = _text(page)
    assert "/exports/" in page.url
    assert "季度收支明细 (xlsx)" in body and "已就绪" in body and "李审计" in body
    j.shot("statement export ready")
    book = _download(page, tmp_path)
    meta, items = _sheet(book.worksheets[0], "日期")
    assert meta["组织"] == "阳光社区服务中心" and meta["合同"] == CONTRACT
    assert (meta["本季度收到"], meta["本季度支出"], meta["本季度退回"]) == (received, spent, returned)
    assert meta["本季度期末余额"] == meta["期初余额"] + received - spent - returned
    assert sum(row[2] for row in items) == meta["本季度期末余额"] - meta["期初余额"]
    _, lines = _sheet(book.worksheets[1], "预算科目")
    assert {name: amount for name, amount in lines} == by_line
    book.close()


def test_a_finding_is_resolved_by_the_bureau_and_the_auditor_sees_it(journey):
    a = _staff(journey, "finding-auditor", "auditor@demo.gongzhi.cn")
    page = a.go("/t/demo/oversight/findings")
    body = _text(page)
    # The split purchase, and the service a resident denied on a return visit.
    assert "异常线索" in body and "待处理 2 · 核查中 0 · 已办结 0" in body
    assert "立即扫描" not in body  # the auditor only reads
    row = page.locator("tr", has_text=SPLIT)
    assert "阳光社区服务中心" in row.inner_text() and "待处理" in row.inner_text()
    assert "7 天内向“福满多商贸有限公司”付款 2 笔，每笔都低于 ¥10,000.00，合计 ¥10,400.00。" in (
        row.inner_text())
    a.shot("anomaly queue read-only")
    row.locator("a", has_text=SPLIT).click()
    body = _text(page)
    # The evidence is named by its payee and amount, not by a number.
    assert "合计 ¥10,400.00" in body and "支出 福满多商贸有限公司 ¥" in body and "支出 #" not in body
    assert page.locator("textarea[name=note]").count() == 0  # no resolution form
    assert page.locator("button:has-text('办结')").count() == 0
    a.shot("finding read-only")
    finding_url = page.url
    page.locator("a", has_text="支出 福满多商贸有限公司").first.click()
    body = _text(page)
    assert "福满多商贸有限公司" in body and "银行转账" in body and "待审批" in body
    assert "收据.png" in body and "尚未入账（待审批或待记账）。" in body
    a.shot("finding evidence")

    b = _staff(journey, "finding-bureau", "bureau2@demo.gongzhi.cn")
    page = b.page
    page.goto(finding_url)
    page.check("input[name=resolution][value=confirmed]")
    page.fill("textarea[name=note]", "已核实：两笔为同一批社区活动物资，应合并报批。"
                                     "已通知阳光社区服务中心合并后报区民政局审批。")
    page.click("button.primary:has-text('办结')")
    body = _text(page)
    assert "线索已办结" in body
    b.shot("finding resolved")

    page = a.page
    page.goto(finding_url)
    body = _text(page)
    assert "已办结" in body and "陈科员" in body
    assert "属实" in body and "两笔为同一批社区活动物资，应合并报批。" in body
    a.shot("auditor sees it resolved")
    page = a.go("/t/demo/oversight/findings?status=resolved")
    body = _text(page)
    assert "待处理 1 · 核查中 0 · 已办结 1" in body and SPLIT in body
    a.shot("queue resolved")


def test_bureau_runs_the_anomaly_scan(journey):
    b = _staff(journey, "bureau-scan", "bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/oversight/findings")
    page.click("form.inline button.primary:has-text('立即扫描')")
    body = _text(page)
    assert "扫描已开始，结束后新线索会出现在队列中。" in body
    assert "已完成" in body and "手动触发 · 王科长" in body
    assert "同一身份证号对应两个账号" in body and "满意度异常跃升" in body
    b.shot("scan finished")
    page = b.go("/t/demo/oversight/findings?status=all")
    body = _text(page)
    assert "最近扫描" in body and "(已完成)" in body
    # The split purchase is seen again, not added again; it keeps its resolution. The denied
    # service is still open.
    assert "待处理 1 · 核查中 0 · 已办结 1" in body
    assert page.locator("tbody tr", has_text=SPLIT).count() == 1
    b.shot("queue after scan")
