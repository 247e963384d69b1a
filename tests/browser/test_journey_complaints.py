"""Journey: 吴阿姨's complaint about 阳光社区服务中心 went unanswered past its deadline and went
up to her community's and her street's staff; the morning job escalates it to the bureau, and
her phone says so under 我的投诉, with each step on the complaint's page. The
coordinator answers at a desk after the confirmation dialog; she is not satisfied, gives her
reason on the phone, confirms, and the complaint is to be handled again with a new deadline."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

COMPLAINT = "说好每周二上门量血压"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def test_an_overdue_complaint_is_escalated_and_the_resident_reopens_it(journey, live_server):
    _base, app = live_server
    with app.app_context():  # what the 08:05 job does each morning
        from sqlalchemy import select

        from app.extensions import db
        from app.tenancy.models import Tenant
        from workers.complaints import escalate_due

        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        escalate_due(tenant_id)

    j = journey("resident-complaint")
    j.page.set_default_timeout(10000)
    j.login("13900000002")
    page = j.go("/t/demo/complaints/mine")
    card = page.locator("li.complaint", has_text=COMPLAINT)
    assert "超期" in card.inner_text() and "已上报民政局" in card.inner_text()
    j.shot("my complaint escalated")
    card.locator("a.what").click()
    steps = page.locator("ol.escalations").inner_text()
    assert "已上报幸福社区" in steps and "已上报东湖街道" in steps and "已上报民政局" in steps
    assert "刘网格员" not in _text(page)  # the staff's names are for the staff
    j.shot("my complaint's steps up")

    staff = journey("coordinator-complaint", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("sun-coord@demo.gongzhi.cn")
    desk = staff.go("/t/demo/complaints/queue")
    desk.locator("li", has_text=COMPLAINT).locator("a.what").click()
    steps = desk.locator("ol.escalations").inner_text()
    assert "已通知：刘网格员" in steps and "已通知：王主任" in steps
    staff.shot("complaint with its steps up")
    desk.fill("textarea[name=answer]", "抱歉，负责的社工病休，已安排他人本周二起按时上门。")
    desk.locator("button", has_text="发送答复").click()
    staff.confirm("答复发出后不能修改")
    assert "答复已发送给居民" in _text(desk)
    staff.shot("complaint answered")

    page = j.go("/t/demo/complaints/mine")
    card = page.locator("li.complaint", has_text=COMPLAINT)
    assert "已安排他人本周二起按时上门" in card.inner_text()
    card.locator("summary", has_text="不满意，重新处理").click()
    card.locator("textarea[name=reason]").fill("周二还是没人来")
    card.locator("button", has_text="提交，要求重新处理").click()
    j.confirm("逐级上报", label="reopen confirmation")
    body = _text(page)
    assert "投诉将重新处理" in body and "待重新处理" in body and "答复期限" in body
    j.shot("complaint to be handled again")
