"""The site's one script (``static/js/app.js``) does its jobs under the Content-Security-
Policy, which allows no inline script: the menu, questions before posting, printing, the
check-in form that posts itself and the QR code that renews itself."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP
from tests.factories import PASSWORD


def test_menu_opens_on_wide_screens_only(journey, payload_world):
    phone, desk = journey("script-menu-phone"), journey("script-menu-desktop", DESKTOP)
    for j, is_open in ((phone, False), (desk, True)):
        page = j.go(f"/t/{payload_world.slug}/projects")
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelector('details.menu').open") is is_open


def test_a_confirmed_action_asks_first(journey, payload_world):
    j = journey("script-confirm", DESKTOP)
    j.login(payload_world.accounts["officer"], PASSWORD)
    url = f"/t/{payload_world.slug}/funding/contracts/{payload_world.ids['contract_id']}"
    page = j.go(url)
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="结项").click()
    page.wait_for_timeout(300)
    assert questions == ["确定结项吗？尚未拨付的占用额度将释放，结存资金将退回专项资金。"]
    assert page.url.endswith(url) and page.get_by_role("button", name="结项").count() == 1


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
