"""The site's one script (``static/js/app.js``) does its jobs under the Content-Security-
Policy, which allows no inline script: the menu, questions before posting, printing, the
check-in form that posts itself and the QR code that renews itself."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD


def test_menu_opens_on_wide_screens_only(journey, payload_world):
    phone, desk = journey("script-menu-phone"), journey("script-menu-desktop", DESKTOP)
    for j, is_open in ((phone, False), (desk, True)):
        page = j.go(f"/t/{payload_world.slug}/projects")
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelector('details.menu').open") is is_open


def test_a_confirmed_action_asks_first(journey, payload_world):
    """The dialog states the consequence with its amounts, has the focus on "go back", and
    going back (the button or Escape) posts nothing; yes posts the form."""
    j = journey("script-confirm", DESKTOP)
    j.login(payload_world.accounts["officer"], PASSWORD)
    url = f"/t/{payload_world.slug}/funding/contracts/{payload_world.ids['contract_id']}"
    page = j.go(url)
    posted = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
    close = page.get_by_role("button", name="合同结项")
    close.click()
    dialog = page.get_by_role("dialog", name="请确认")
    assert dialog.is_visible()
    said = dialog.locator("p").inner_text()
    assert said.startswith("结项后这份合同不能再拨付或报销：未拨付的 ¥") and "退回资金。" in said
    assert page.evaluate("document.activeElement.textContent") == "返回"
    j.shot("dialog")
    dialog.get_by_role("button", name="返回").click()
    close.click()
    page.keyboard.press("Escape")
    expect(page.locator("dialog")).to_have_count(0)
    assert posted == [] and page.url.endswith(url)
    close.click()
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.get_by_role("dialog").get_by_role("button", name="合同结项").click()
    assert sent.value.url.endswith("/close") and "confirmed=yes" in sent.value.post_data


def test_the_notice_prints(journey, payload_world):
    j = journey("script-print", DESKTOP)
    page = j.go(f"/t/{payload_world.slug}/funding/notices/{payload_world.ids['award_id']}")
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="打印张贴").click()
    assert page.evaluate("window.printed") is True


def test_the_check_in_form_posts_itself_and_the_code_renews(journey, payload_world, live_server):
    from app.extensions import db
    from app.projects.models import Shift
    from app.service.services import make_token

    _base, app = live_server
    shift_id = payload_world.ids["shift_id"]
    with app.app_context():
        token = make_token(db.session.get(Shift, shift_id), "in")
    volunteer = journey("script-check-in")
    volunteer.login(payload_world.accounts["volunteer"], PASSWORD)
    volunteer.page.wait_for_load_state()
    with volunteer.page.expect_request(lambda r: r.method == "POST" and "/check" in r.url):
        volunteer.go(f"/t/{payload_world.slug}/service/shifts/{shift_id}/check?t={token}")

    coordinator = journey("script-qr", DESKTOP)
    coordinator.page.clock.install()
    coordinator.login(payload_world.accounts["coordinator"], PASSWORD)
    coordinator.page.wait_for_load_state()
    page = coordinator.go(f"/t/{payload_world.slug}/service/shifts/{shift_id}/qr")
    assert page.locator("#qr svg").count() == 1
    with page.expect_response(lambda r: "/qr.svg" in r.url and r.ok):
        page.clock.run_for(10_500)
    page.wait_for_timeout(300)
    assert page.locator("#qr svg").count() == 1 and page.locator("#qr path").count() == 1


def test_revoking_a_token_and_signing_out_everywhere_ask_first(journey, payload_world):
    """On a phone: a token is created with its expiry (the password asked again), revoking it asks first (dismissed,
    it stays; confirmed, it goes), and so does signing out of all devices."""
    j = journey("script-account-tokens")
    j.login(payload_world.accounts["auditor"], PASSWORD)
    page = j.go("/account")
    page.fill("#name", "社区统计表")
    page.select_option("#days", "30")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="创建令牌").click()
    tokens = page.locator("#tokens")
    assert tokens.locator("code").inner_text().startswith("gz_")
    assert "社区统计表" in tokens.inner_text() and "到期时间：" in tokens.inner_text()
    j.shot("token created")
    dialog = page.locator("dialog.confirm-dialog[open]")

    def asked(button) -> str:
        """Tap ``button``, read what the dialog asks, and say no (Escape)."""
        button.click()
        dialog.wait_for()
        question = dialog.locator("p").inner_text()
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
        return question

    revoke = page.locator("#tokens").get_by_role("button", name="撤销")
    questions = [asked(revoke)]
    assert "社区统计表" in page.locator("#tokens").inner_text()
    revoke.click()
    questions.append(j.confirm())
    assert "已撤销" in page.inner_text("body") and "暂无令牌" in page.locator("#tokens").inner_text()
    questions.append(asked(page.get_by_role("button", name="退出所有设备")))
    assert questions == ["确定撤销令牌“社区统计表”吗？使用它的系统将立即无法访问。"] * 2 + [
        "确定在所有设备（包括本设备）上退出登录吗？"]
    assert page.url.endswith("/account")
    j.shot("account on a phone")
