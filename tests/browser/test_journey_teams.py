"""A volunteer team, from both sides.

杨磊 leads 幸福社区邻里守望服务队 on his phone: he adds a neighbour who has no account by name
and mobile, opens a project's page and signs the whole team up for a shift at once (five
places, all or none). After the shift the coordinator of 邻里互助社 records each person's hours
on the team's page; the registered members' hours become their own service records."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.browser.conftest import DESKTOP

PROJECT = "楼道灯泡更换日"


def _project_with_a_shift(app) -> tuple[int, int]:
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
        org = db.session.scalar(select(Organization).where(Organization.name == "邻里互助社"))
        coordinator = db.session.scalar(select(User).where(User.email == "nbr-coord@demo.gongzhi.cn"))
        project = projects.create(org, tenant, coordinator, projects.ProjectData(
            name=PROJECT, category="邻里互助", theme="帮老楼换上亮堂的楼道灯"))
        start = (utcnow() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
        shift = places.add_shift(project, places.PlaceData(start, start + timedelta(hours=2),
                                                           "幸福社区3号楼", 6))
        projects.publish(project)
        commit()
        return project.id, shift.id


def _shift_is_over(app, shift_id: int) -> None:
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.projects.models import Shift

    with app.app_context():
        shift = db.session.get(Shift, shift_id)
        shift.starts_at = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)
        shift.ends_at = shift.starts_at + timedelta(hours=2)
        commit()


def test_a_leader_signs_the_team_up_and_each_persons_hours_are_recorded(journey, live_server):
    _base, app = live_server
    project_id, shift_id = _project_with_a_shift(app)

    leader = journey("team-leader")
    leader.page.set_default_timeout(10000)
    leader.login("13800000006")
    page = leader.go("/t/demo/teams/")
    assert "幸福社区邻里守望服务队" in page.inner_text("body")
    leader.shot("my teams")
    page.click("text=幸福社区邻里守望服务队")
    page.wait_for_load_state()
    # Folded sections look like buttons with an arrow, big enough to tap; ▾ once open.
    by_name = page.locator("summary", has_text="没有账号的人：按姓名添加")
    arrow = "(e) => getComputedStyle(e, '::before').content"
    assert by_name.evaluate(arrow) == '"▸"'
    assert by_name.bounding_box()["height"] >= 44
    assert by_name.evaluate("(e) => getComputedStyle(e).borderTopStyle") == "solid"
    page.click("text=没有账号的人：按姓名添加")
    assert by_name.evaluate(arrow) == '"▾"'
    page.fill("form:has(input[value=named]) input[name=name]", "赵桂芬")
    page.fill("form:has(input[value=named]) input[name=phone]", "13700001003")
    page.click("text=加入服务队")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "赵桂芬 已加入服务队。" in body and "137****1003" in body and "13700001003" not in body
    leader.shot("roster with a neighbour added by name")

    page = leader.go(f"/t/demo/projects/{project_id}")
    page.click("text=为服务队报名：幸福社区邻里守望服务队")
    page.wait_for_load_state()
    assert page.locator("input[name=member_id]:checked").count() == 5
    assert page.locator("[data-left]").inner_text().strip() == "6 个（共 6 个）"
    leader.shot("choose who comes")
    page.click("text=为选中的人报名")
    page.wait_for_load_state()
    assert "全队报名成功：已确认 5 个名额。" in page.inner_text("body")
    leader.shot("team signed up")
    page = leader.go(f"/t/demo/projects/{project_id}")
    assert "剩余 1 个名额（共 6 个）" in page.inner_text("body")
    assert not leader.problems, leader.problems

    _shift_is_over(app, shift_id)
    staff = journey("team-hours", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("nbr-coord@demo.gongzhi.cn")
    page = staff.go(f"/t/demo/service/shifts/{shift_id}")
    page.click("text=幸福社区邻里守望服务队")
    page.wait_for_load_state()
    staff.shot("the team's people on the shift")
    rows = page.locator("ul.roster > li")
    assert rows.count() == 5
    for i in range(5):
        rows.nth(i).locator("input[value=yes]").check()
    zhao = page.locator("li", has_text="赵桂芬")
    zhao.locator("input[value=no]").check()
    liu = page.locator("li", has_text="刘洋")
    liu.locator("input[type=time]").first.fill(
        page.locator("li", has_text="刘洋").locator("input[type=time]").first.input_value()[:2] + ":30")
    page.click("text=登记这些服务时长")
    page.wait_for_load_state()
    body = page.inner_text("body")
    # 赵桂芬 was marked as not serving: four got hours.
    assert "已为 4 人登记服务时长；1 人记为未参加。" in body
    assert body.count("2 小时") == 3 and "1.5 小时" in body and "未参加" in body
    staff.shot("hours recorded")
    assert not staff.problems, staff.problems
