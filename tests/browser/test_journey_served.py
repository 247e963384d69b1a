"""Journey: proof that a resident was served. 阳光社区's coordinator shows the slot's code on
her phone; 朱同学, signed in on his phone, opens the scanned address and is recorded as here;
the roster says so. At the bureau an officer draws a return-visit sample, takes 朱同学's visit
(now seeing his number), records that he says he was not served, runs the scan, and the
anomaly queue shows the service."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.conftest import DESKTOP

PROJECT = "幸福社区独居老人陪伴助老行动"
RESIDENT = "13900000006"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _slot_now(app) -> tuple[int, str]:
    """A service slot of the project that began five minutes ago, 朱同学 booked on it (made
    yesterday), and the code the coordinator's screen shows now."""
    with app.app_context():
        from sqlalchemy import select

        from app.attendance.services import make_code
        from app.auth.services import find_user
        from app.db import utcnow
        from app.db_commit import commit
        from app.extensions import db
        from app.projects.models import Project, ServiceSlot, SignupStatus, SlotBooking

        project = db.session.scalar(select(Project).where(Project.name == PROJECT))
        now = utcnow()
        slot = ServiceSlot(tenant_id=project.tenant_id, org_id=project.org_id,
                           project_id=project.id, starts_at=now - timedelta(minutes=5),
                           ends_at=now + timedelta(minutes=55), place="幸福社区卫生服务站",
                           capacity=3, confirmed_count=1)
        db.session.add(slot)
        db.session.flush()
        db.session.add(SlotBooking(tenant_id=slot.tenant_id, slot_id=slot.id,
                                   user_id=find_user(RESIDENT).id,
                                   status=SignupStatus.CONFIRMED,
                                   queued_at=now - timedelta(days=1),
                                   confirmed_at=now - timedelta(days=1)))
        commit()
        return slot.id, make_code(slot)


def test_a_resident_scans_in_and_a_return_visit_denial_raises_an_anomaly(journey, live_server):
    _base, app = live_server
    slot_id, code = _slot_now(app)

    staff = journey("served-coordinator")
    staff.page.set_default_timeout(10000)
    staff.login("sun-coord@demo.gongzhi.cn")
    page = staff.go(f"/t/demo/attendance/slots/{slot_id}")
    page.click("text=出示居民签到二维码")
    assert page.locator("#qr svg").count() == 1
    staff.shot("slot code on the coordinator's phone")

    j = journey("served-resident")
    j.page.set_default_timeout(10000)
    j.login(RESIDENT)
    page = j.go(f"/t/demo/attendance/slots/{slot_id}/scan?c={code}")  # the scanned address
    page.wait_for_selector("[data-attended]")
    body = _text(page)
    assert "已登记您到场，谢谢！" in body and "现场扫码" in body and PROJECT in body
    j.shot("resident recorded as here")

    page = staff.go(f"/t/demo/attendance/slots/{slot_id}")
    row = page.locator("ul.roster li", has_text="朱同学")
    assert "到场" in row.inner_text() and "现场扫码" in row.inner_text()

    b = journey("served-return-visit", DESKTOP)
    b.page.set_default_timeout(10000)
    b.login("bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/return-visits")
    page.select_option("select[name=org_id]", label="阳光社区服务中心")
    page.fill("input[name=size]", "10")
    page.fill("input[name=seed]", "20261209")
    page.click("form button.primary:has-text('抽样')")
    body = _text(page)
    assert "抽样完成" in body and "按此种子重新抽样，样本完全一致" in body
    page.locator("ul.roster li", has_text="朱**").first.locator("a").click()
    assert "139****0006" in _text(page)
    page.click("button:has-text('由我回访')")
    assert "13900000006" in _text(page)  # the officer doing the visit sees the number
    page.check("input[name=method][value=phone]")
    page.check("input[name=reached][value=yes]")
    page.check("input[name=confirmed][value=no]")
    page.fill("textarea[name=remarks]", "朱同学说这次没有去卫生服务站，也没人联系他。")
    b.shot("return visit before saving")
    page.click("button:has-text('保存回访结果')")
    body = _text(page)
    assert "回访结果已保存。" in body and "称未接受服务" in body

    page = b.go("/t/demo/oversight/findings")
    page.click("form.inline button.primary:has-text('立即扫描')")
    assert "已完成" in _text(page)
    page = b.go("/t/demo/oversight/findings")
    row = page.locator("tbody tr", has_text=PROJECT)
    assert "居民称未接受服务" in row.inner_text() and "阳光社区服务中心" in row.inner_text()
    b.shot("anomaly for the service")
