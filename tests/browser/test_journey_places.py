"""Journey: figures by place (分地区、分群体统计). At the bureau an officer on a desktop opens
them from the oversight dashboard, sees that every community had service and which groups no
one was served in, unfolds 东湖街道 to read its communities, and downloads the spreadsheet,
whose figures are the page's. A resident on a phone opens 信息公开, then 各社区服务情况, and
reads the same figures for her community, with no one's name."""

from __future__ import annotations

import openpyxl

from tests.browser.conftest import DESKTOP

STREET, HAPPY, PEACE = "东湖街道", "幸福社区", "和平社区"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _row(page, area: str):
    return page.locator(f'.place-row[data-area="{area}"]')


def _cell(page, area: str, column: str) -> str:
    return _row(page, area).locator(f'[data-col="{column}"] .value').inner_text().strip()


def _group_cell(page, group: str, column: str) -> str:
    return page.locator(f'tr[data-group="{group}"] td[data-col="{column}"]').inner_text().strip()


def test_an_officer_reads_the_figures_by_place_and_downloads_them(journey, tmp_path):
    j = journey("places-officer", DESKTOP)
    j.page.set_default_timeout(10000)
    j.login("bureau@demo.gongzhi.cn")
    page = j.go("/t/demo/oversight/")
    page.get_by_role("link", name="分地区、分群体统计").first.click()
    body = _text(page)
    assert "分地区、分群体统计" in body and "全区合计" in body
    # The coverage boxes: every community had service; the groups no one was served in.
    areas = page.locator("section.gap", has_text="没有服务的社区")
    assert "这段期间每个社区都有服务。" in areas.inner_text()
    groups = page.locator("section.gap", has_text="未覆盖的群体")
    assert "留守儿童" in groups.inner_text() and "独居老人" not in groups.inner_text()
    j.shot("figures by place")

    # The communities start folded under their street; a community's ▸ opens its grids and
    # the row of what was recorded at the community itself, which add up to it.
    assert _row(page, STREET).is_visible() and _row(page, HAPPY).is_visible()
    assert not _row(page, f"{HAPPY}第1网格").is_visible()
    arrow = "(e) => getComputedStyle(e.querySelector('.place-name'), '::before').content"
    assert _row(page, HAPPY).evaluate(arrow) == '"▸"'
    _row(page, HAPPY).click()
    assert _row(page, HAPPY).evaluate(arrow) == '"▾"'
    assert _row(page, f"{HAPPY}第1网格").is_visible()
    own = _row(page, f"{HAPPY}/own")
    assert own.is_visible() and "社区本级/未注明网格" in own.inner_text()
    parts = [f"{HAPPY}第1网格", f"{HAPPY}第2网格", f"{HAPPY}/own"]
    for col in ("hours", "slots_held", "needs_posted", "complaints"):
        added = sum(float(_cell(page, p, col)) for p in parts)
        assert abs(added - float(_cell(page, HAPPY, col))) < 0.15, col
    _row(page, STREET).click()  # fold the street: its communities go out of sight
    assert not _row(page, HAPPY).is_visible() and not _row(page, PEACE).is_visible()
    _row(page, STREET).click()
    assert _row(page, HAPPY).is_visible() and _row(page, PEACE).is_visible()
    # Every column fits a 1366 px screen: nothing scrolls sideways, 评价 is not cut off.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    tree = page.locator(".place-tree")
    right = tree.bounding_box()["x"] + tree.bounding_box()["width"]
    ratings = _row(page, "district").locator('[data-col="ratings"]').bounding_box()
    assert ratings["x"] + ratings["width"] <= right + 1
    assert tree.evaluate("(e) => e.scrollWidth <= e.clientWidth + 1")
    # The groups add up to the district in people served: each person under one group.
    rows = page.locator("tr[data-group]")
    served = [int(rows.nth(i).locator('td[data-col="people_served"]').inner_text())
              for i in range(rows.count())]
    assert sum(served) == int(_cell(page, "district", "people_served"))
    assert "每人只计一次" in _text(page)
    j.shot("a community unfolded")

    shown = {area: {col: _cell(page, area, col) for col in ("hours", "volunteers",
                                                           "people_served", "slots_held")}
             for area in (STREET, HAPPY, PEACE)}
    assert float(shown[HAPPY]["hours"]) > 0 and shown[PEACE]["slots_held"] == "1"
    assert shown[PEACE]["people_served"] == "2"

    page.get_by_role("button", name="下载表格（.xlsx）").click()
    body = _text(page)
    assert "已就绪" in body
    j.shot("export ready")
    with page.expect_download() as info:
        page.click("a.button.primary:has-text('下载')")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True) if r and r[0]]
    header = next(r for r in rows if r[0] == "区域")
    # Areas are indented a full-width space per level, as on the page.
    sheet = {str(r[0]).strip(): dict(zip(header, r, strict=False)) for r in rows}
    assert any(str(r[0]).startswith("　" + HAPPY) for r in rows)
    for area in (STREET, HAPPY, PEACE):
        assert float(sheet[area]["核实服务时长（小时）"]) == float(shown[area]["hours"]), area
        assert str(sheet[area]["服务对象人数（人）"]) == shown[area]["people_served"], area
    book.close()
    assert not j.problems, j.problems


def test_a_resident_reads_her_communitys_figures_on_a_phone(journey):
    j = journey("places-resident")
    j.page.set_default_timeout(10000)
    page = j.go("/t/demo/open")
    page.get_by_role("link", name="各社区服务情况").click()
    body = _text(page)
    assert "各社区服务情况" in body and "只公开合计数，不显示任何个人" in body
    assert "这段期间每个社区都有服务。" in body
    for person in ("周大爷", "吴阿姨", "张伟", "李娜"):
        assert person not in body
    j.shot("service in each community")

    # On a phone each area is a card of its main figures; the grids stay folded under their
    # community until its row is tapped; every figure shows after one tap.
    peace = _row(page, PEACE)
    assert peace.is_visible() and not _row(page, f"{PEACE}第1网格").is_visible()
    served = peace.locator('[data-col="people_served"]')
    assert served.is_visible() and served.locator(".value").inner_text().strip() == "2"
    assert served.locator(".label").inner_text() == "服务对象人数（人）"  # shown beside it
    money = peace.locator('[data-col="disbursed"]')
    assert not money.is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height  # a few screens, not dozens
    # No table runs off the side of the screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, width
    happy = _row(page, HAPPY)
    happy.scroll_into_view_if_needed()
    assert happy.bounding_box()["height"] >= 44
    j.shot("her community")
    happy.tap()
    grid = _row(page, f"{HAPPY}第1网格")
    assert grid.is_visible() and _row(page, f"{HAPPY}/own").is_visible()
    happy.scroll_into_view_if_needed()
    j.shot("her community's grids")

    page.get_by_role("button", name="显示全部数字").first.click()
    assert money.is_visible() and money.locator(".value").inner_text().strip() == "0.00"
    assert page.get_by_role("button", name="只看主要数字").first.is_visible()
    happy.click()  # fold it again
    assert not grid.is_visible()
    peace.scroll_into_view_if_needed()
    j.shot("every figure")
    assert not j.problems, j.problems
