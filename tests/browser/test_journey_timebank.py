"""Journey: the volunteer 张伟 opens 我的时间银行 on his phone, sees his deposited hours and
the three hours he gave 郑奶奶, and gives two hours to 周大爷 after the page shows who will
receive them. 周大爷 pays his booking of 阳光社区服务中心's home visits with them after the
confirmation dialog. At a desk, the bureau officer reads the community pool."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

GIVER, RECEIVER = "13800000001", "13900000001"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _held(app, phone: str) -> int:
    with app.app_context():
        from sqlalchemy import select

        from app.auth.services import find_user
        from app.extensions import db
        from app.tenancy.models import Tenant
        from app.timebank import services

        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        return services.balance(tenant_id, find_user(phone).id)


def test_a_volunteer_gives_hours_and_an_elder_pays_a_service_with_them(journey, live_server):
    _base, app = live_server
    before = _held(app, GIVER)
    assert before >= 120, before

    j = journey("volunteer-timebank")
    j.page.set_default_timeout(10000)
    j.login(GIVER)
    page = j.go("/t/demo/timebank/")
    body = _text(page)
    assert "我的时间银行" in body and "参加服务" in body and "转给郑*" in body
    assert "对方的姓和手机号后四位" in body  # what the check below shows
    j.shot("my time bank")

    page.fill("input[name=phone]", RECEIVER)
    page.fill("input[name=hours]", "2")
    page.locator("button", has_text="下一步：核对接收人").click()
    body = _text(page)
    assert "周**（139****0001）" in body and "不能收回" in body
    j.shot("check who receives the hours")
    page.locator("button", has_text="确认转赠").click()
    body = _text(page)
    assert "已转赠给周** 2 小时" in body and "转给周**" in body
    j.shot("hours given")
    assert _held(app, GIVER) == before - 120

    elder = journey("elder-timebank")
    elder.page.set_default_timeout(10000)
    elder.login(RECEIVER)
    page = elder.go("/t/demo/timebank/")
    body = _text(page)
    assert "来自张*" in body and "幸福社区独居老人陪伴助老行动" in body
    elder.shot("hours received and a booking to pay")
    page.locator("button", has_text="支付 2 小时").click()
    elder.confirm("2 小时", label="pay confirmation")
    body = _text(page)
    assert "已为“幸福社区独居老人陪伴助老行动”支付 2 小时" in body and "支付服务 · 幸福社区" in body
    # Nothing left to give: a sentence, not a form that could only fail.
    assert "您现在没有时间币，暂时不能转赠" in body
    assert page.locator("input[name=phone]").count() == 0
    elder.shot("booking paid with time credits")
    assert _held(app, RECEIVER) == 0

    staff = journey("bureau-timebank-pool", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("bureau@demo.gongzhi.cn")
    desk = staff.go("/t/demo/timebank/pool")
    body = _text(desk)
    assert "社区互助池现有时长" in body and "从互助池发放时长" in body
    assert "0 小时" in body and "互助池现在没有时长，暂时不能发放" in body
    assert desk.locator("input[name=phone]").count() == 0
    staff.shot("community pool")
    for journey_ in (j, elder, staff):
        assert not journey_.problems, journey_.problems
