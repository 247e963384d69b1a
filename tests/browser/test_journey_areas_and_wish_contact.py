"""Journey: a resident on her phone (360 px) puts a small wish on 幸福社区's wish wall; 李娜,
a volunteer, takes it on in person and finds how to reach the resident: a masked name and,
until the resident agrees, no number. The resident lets her see her mobile number (after the
confirmation dialog); the volunteer's page then offers to call it. Then 刘网格员, in charge of
幸福社区, opens 我负责的片区 from the workbench at a desk and on the phone."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

SMALL_PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2,
               "is_mobile": True, "has_touch": True}
WISH = "阳台晾衣架坏了，想请人帮忙修一修"
RESIDENT, VOLUNTEER = "13900000004", "13800000003"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _start(journey, name: str, account: str, device=SMALL_PHONE):
    person = journey(name, device)
    person.page.set_default_timeout(10000)
    person.login(account)
    return person


def test_a_volunteer_takes_a_wish_and_reaches_the_resident_who_agreed(journey):
    r = _start(journey, "wish-contact-resident", RESIDENT)
    page = r.go("/t/demo/needs/new")
    page.fill("textarea[name=what]", WISH)
    page.select_option("select[name=category]", "助老服务")
    page.select_option("select[name=target_group]", "独居老人")
    page.select_option("select[name=area_id]", label="幸福社区 · 幸福社区第1网格（网格）")
    page.check("input[name=urgency][value=routine]")
    page.click("form button.primary")
    assert "需求已提交" in _text(page)
    wish_url = page.url

    v = _start(journey, "wish-contact-volunteer", VOLUNTEER)
    wall = v.go("/t/demo/needs/wall")
    wall.get_by_role("link", name="幸福社区", exact=True).click()
    wall.locator(".wall li", has_text=WISH).get_by_role("link", name="我来帮忙").click()
    wall.locator("button", has_text="我来帮忙").click()
    v.confirm("居民会收到您的姓名")
    body = _text(wall)
    assert "联系居民" in body and "居民还没有同意让您看到手机号" in body
    assert RESIDENT not in body and RESIDENT[:3] + "****" + RESIDENT[-4:] in body
    v.shot("wish taken on, waiting for the resident")

    page = r.go(wish_url.removeprefix(r.base))
    body = _text(page)
    assert "联系志愿者" in body and "李娜" in body
    r.shot("resident sees who took the wish on")
    page.locator("#contact button.primary").click()
    said = r.confirm("李娜", label="asked before showing the number")
    assert "其他人都看不到" in said
    assert "志愿者现在能看到您的手机号" in _text(page)
    r.shot("resident lets the volunteer see her number")

    wall = v.go(wish_url.removeprefix(v.base))
    call = wall.locator(f"#contact a[href='tel:{RESIDENT}']")
    assert call.is_visible() and RESIDENT in call.inner_text()
    box = call.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 360
    v.shot("volunteer can call the resident")

    # Anyone else (every role is walked in tests/needs/test_contact.py): here the bureau,
    # which may read the wish, sees the masked number only.
    b = _start(journey, "wish-contact-bureau", "bureau@demo.gongzhi.cn", DESKTOP)
    answer = b.page.goto(wish_url)
    assert answer.status == 200 and RESIDENT not in _text(b.page)
    assert b.page.locator("#contact").count() == 0


def test_the_grid_worker_opens_my_areas_at_a_desk_and_on_the_phone(journey):
    g = _start(journey, "my-areas-desk", "grid@demo.gongzhi.cn", DESKTOP)
    home = g.go("/t/demo/")
    section = home.locator("#areas-mine")
    assert "我负责的片区" in section.inner_text() and "幸福社区" in section.inner_text()
    g.shot("workbench with my areas")
    section.locator("a.wb-row", has_text="幸福社区").click()
    body = _text(home)
    assert "我负责的片区" in body and "幸福社区" in body
    for heading in ("超期的需求和上报给您的需求", "两天内到期的需求", "还没有人承接的需求",
                    "已逐级上报、尚未答复的投诉", "天没接受服务的居民"):
        assert heading in body, heading
    lists = home.locator(".ac-grid").first
    assert lists.bounding_box()["width"] > 900
    g.shot("my areas at a desk")
    first = home.locator(".ac-list a.wb-row").first
    if first.count():
        first.click()
        assert "/needs/" in home.url or "/complaints/" in home.url or "/residents/" in home.url
    p = _start(journey, "my-areas-phone", "grid@demo.gongzhi.cn")
    page = p.go("/t/demo/my-areas")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    p.shot("my areas on the phone")
