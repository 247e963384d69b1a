"""Journeys of a volunteer on a phone.

A resident registers, becomes a volunteer with the real-name fields and consent, and sees
their record with ID and phone masked.

A volunteer signs up for a shift in the marketplace and checks in and out by scanning the
rotating code on the coordinator's screen (the test reads the code from a screenshot, as a
phone camera would); their hours and star progress show on their dashboard; they download
their proof of service, and anyone can check it on the public verification page, where a
made-up number or a changed verification code is not accepted as genuine."""

from __future__ import annotations

import io
import itertools
import re
from datetime import timedelta

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser.conftest import DESKTOP

_numbers = itertools.count(1)
SHIFT_PROJECT = "阳光社区垃圾分类宣传站"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


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
    page.check("#agree")
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


def _shift_starting_soon(app) -> int:
    """阳光社区服务中心 publishes a project whose two-hour shift starts in 20 minutes."""
    from app.auth.models import User
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.orgs.models import Organization
    from app.projects import places
    from app.projects import services as projects
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        org = db.session.scalar(select(Organization).where(Organization.name == "阳光社区服务中心"))
        coordinator = db.session.scalar(select(User).where(
            User.email == "sun-coord@demo.gongzhi.cn"))
        project = projects.create(org, tenant, coordinator, projects.ProjectData(
            name=SHIFT_PROJECT, category="环境保护", theme="在小区门口教居民分类投放",
            content="志愿者在投放点值守，指导居民把厨余垃圾和其他垃圾分开投放。"))
        starts = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=20)
        shift = places.add_shift(project, places.PlaceData(
            starts_at=starts, ends_at=starts + timedelta(hours=2), place="阳光小区东门投放点",
            capacity=4))
        projects.publish(project)
        commit()
        return shift.id


def _shift_is_over(app, shift_id: int) -> None:
    """Let the shift take place: move it, and everything recorded on it, back in time so that
    it ended five minutes ago, as if the test went on two and a half hours later."""
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.projects.models import Shift, ShiftSignup
    from app.service.hours import local_date
    from app.service.models import ServiceRecord

    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        delta = shift.ends_at - utcnow() + timedelta(minutes=5)
        shift.starts_at -= delta
        shift.ends_at -= delta
        for signup in db.session.scalars(select(ShiftSignup).where(
                ShiftSignup.shift_id == shift_id)):
            signup.queued_at -= delta
            signup.confirmed_at -= delta
        for record in db.session.scalars(select(ServiceRecord).where(
                ServiceRecord.shift_id == shift_id)):
            record.checked_in_at -= delta
            record.activity_date = local_date(shift.starts_at)
        commit()


_CHECK_PAGE = re.compile(r"/service/shifts/\d+/check$")


def _scan(page) -> str:
    """What a phone camera reads from the code on the coordinator's screen."""
    image = Image.open(io.BytesIO(page.locator("#qr svg").screenshot()))
    codes = zxingcpp.read_barcodes(image)
    assert len(codes) == 1, codes
    return codes[0].text


def test_serve_a_shift_and_prove_it(journey, live_server, tmp_path):
    base, app = live_server
    shift_id = _shift_starting_soon(app)

    v = journey("volunteer-serve")
    v.page.set_default_timeout(10000)
    v.login("13800000005")
    page = v.go("/t/demo/projects?q=垃圾分类")
    body = _text(page)
    assert "共找到 1 个项目" in body and SHIFT_PROJECT in body
    v.shot("marketplace search")
    page.click(f"text={SHIFT_PROJECT}")
    shift_row = page.locator("ul.slotlist li", has_text="阳光小区东门投放点")
    assert "剩余 4 个名额（共 4 个）" in shift_row.inner_text()
    shift_row.locator("button", has_text="报名").click()
    body = _text(page)
    assert "名额已确认。" in body
    assert "名额已确认" in shift_row.inner_text()
    v.shot("signed up")

    c = journey("volunteer-serve-coordinator", DESKTOP)
    c.page.set_default_timeout(10000)
    c.login("sun-coord@demo.gongzhi.cn")
    screen = c.go("/t/demo/service/staff")
    screen.locator("tr", has_text=SHIFT_PROJECT).locator("a").click()
    body = _text(screen)
    assert SHIFT_PROJECT in body and "陈静" in body and "未到" in body
    screen.click("text=显示签到二维码")
    assert "签到" in _text(screen)
    c.shot("check-in code")

    page.goto(_scan(screen))
    page.wait_for_url(_CHECK_PAGE)  # the landing page sends the check-in by itself
    body = _text(page)
    assert "签到成功，感谢您的服务！" in body
    v.shot("checked in")

    _shift_is_over(app, shift_id)
    screen.click("text=显示签退二维码")
    c.shot("check-out code")
    page.goto(_scan(screen))
    page.wait_for_url(_CHECK_PAGE)
    body = _text(page)
    assert "签退成功，服务时长已记录。" in body
    v.shot("checked out")
    screen.click("text=返回岗位")
    row = screen.locator("tr", has_text="陈静").inner_text()
    assert "2 小时" in row and "扫码" in row
    c.shot("attendance recorded")

    page = v.go("/t/demo/service/me")
    figures = page.locator("ul.figures")
    assert figures.locator("li", has_text="累计核实时长").locator("strong").inner_text() == "2"
    stars = figures.locator("li", has_text="距下一星级")
    assert stars.locator("strong").inner_text() == "☆☆☆☆☆"
    assert "距下一星级还需 98 小时" in stars.inner_text()
    row = page.locator("tr", has_text=SHIFT_PROJECT)
    assert "阳光社区服务中心" in row.inner_text() and "已核实" in row.inner_text()
    v.shot("hours and stars")

    page.fill("#date_from", "2020-01-01")
    page.click("button:has-text('申请出具证明')")
    body = _text(page)
    number = re.search(r"您的志愿服务记录证明 (GZ\d{4}-[0-9A-F]{10}) 已生成。", body).group(1)
    v.shot("certificate issued")
    with page.expect_download() as info:
        page.locator("li", has_text=number).locator("a", has_text="下载 PDF").click()
    download = info.value
    assert download.suggested_filename == f"{number}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert f"证明编号：{number}" in text
    assert "兹证明 陈静（身份证件号码：110************065）" in text
    assert "累计志愿服务时长 2 小时" in text and "110105200009090065" not in text
    assert "记录单位（盖章）" in text and "谁记录谁证明" in text
    url = re.search(r"http://\S+/service/verify/\S+", text).group(0)
    assert url.startswith(f"{base}/t/demo/service/verify/{number}?c=")

    # Anyone holding the document checks it, without an account.
    checker = journey("certificate-verify")
    checker.page.set_default_timeout(10000)
    page = checker.page
    page.goto(url)
    body = _text(page)
    assert "真实有效：该证明经本平台生成，内容与生成时一致，未被更改。" in body
    assert "不符" not in body
    facts = page.locator("dl.facts").inner_text()
    assert number in facts and "陈*" in facts and "110************065" in facts
    assert "2020-01-01 – " in facts
    assert "阳光社区服务中心 · 1 · 2 小时" in body
    checker.shot("genuine")

    forged = number[:-1] + ("0" if number[-1] != "0" else "1")
    page = checker.go("/t/demo/service/verify")
    page.fill("#number", forged)
    page.click("button.primary")
    body = _text(page)
    assert "未找到该编号的证明：该文件不是经本平台生成的，或编号输入有误。" in body
    assert "真实有效" not in body
    checker.shot("unknown number")

    page.goto(url[:-1] + ("0" if url[-1] != "0" else "1"))
    body = _text(page)
    assert "您手中文件上的校验码与该编号的证明不符：文件可能被篡改，不能作为有效证明。" in body
    assert "真实有效" not in body and number in page.locator("dl.facts").inner_text()
    checker.shot("code does not match")
