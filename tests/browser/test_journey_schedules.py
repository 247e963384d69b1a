"""A recurring schedule, from both sides.

A coordinator of 阳光社区服务中心 makes a weekly schedule of volunteer shifts on her project's
page: she sees the four dates first, then makes them. A volunteer on a phone signs up for
every date at once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.parsing import local_today
from tests.browser.conftest import DESKTOP

PROJECT = "阳光社区周末读书会"


def _draft(app) -> int:
    from app.auth.models import User
    from app.db_commit import commit
    from app.extensions import db
    from app.orgs.models import Organization
    from app.projects import services as projects
    from app.tenancy.models import Tenant

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        org = db.session.scalar(select(Organization).where(Organization.name == "阳光社区服务中心"))
        coordinator = db.session.scalar(select(User).where(
            User.email == "sun-coord@demo.gongzhi.cn"))
        project = projects.create(org, tenant, coordinator, projects.ProjectData(
            name=PROJECT, category="文体活动", theme="每周一次，陪老人读书读报"))
        commit()
        return project.id


def _publish(app, project_id: int) -> None:
    from app.db_commit import commit
    from app.extensions import db
    from app.projects import services as projects
    from app.projects.models import Project

    with app.app_context():
        projects.publish(db.session.get(Project, project_id))
        commit()


def test_weekly_schedule_made_with_a_preview_and_taken_whole_on_a_phone(journey, live_server):
    _base, app = live_server
    project_id = _draft(app)
    first = local_today() + timedelta(days=1)

    staff = journey("schedule-make", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("sun-coord@demo.gongzhi.cn")
    page = staff.go(f"/t/demo/projects/{project_id}/series/new")
    page.fill("#starts_on", first.isoformat())
    page.fill("#start", "19:30")
    page.fill("#duration_minutes", "60")
    page.check(f"#weekdays-{first.weekday()}")
    page.check("#ends-1")
    page.fill("#count", "4")
    page.fill("#place", "阳光社区图书室")
    page.fill("#capacity", "3")
    page.click("text=查看日期")
    page.wait_for_load_state()
    dates = page.locator("ol.dates li")
    assert dates.count() == 4 and first.isoformat() in dates.first.inner_text()
    staff.shot("preview of the dates")
    page.click("text=生成这些日期")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "重复安排已生成，共 4 次。" in body and "还有 4 次" in body
    staff.shot("schedule made")
    _publish(app, project_id)

    volunteer = journey("schedule-sign-up")
    volunteer.page.set_default_timeout(10000)
    volunteer.login("13800000005")
    page = volunteer.go(f"/t/demo/projects/{project_id}")
    page.click("text=报名全部日期")
    page.wait_for_load_state()
    assert "您已报名 4 个日期。" in page.inner_text("body")
    assert page.locator("ul.slotlist li", has_text="名额已确认").count() == 4
    volunteer.shot("every date taken")
