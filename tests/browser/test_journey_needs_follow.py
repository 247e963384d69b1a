"""Journey: a resident on her phone posts an urgent small wish (微心愿) in 幸福社区; as its
deadline nears, the coordinator of the organization serving the area finds a reminder in the
inbox; nobody takes it on, so once it is late it goes to 刘网格员 (in charge of 幸福社区), two
days later to 王主任 of 东湖街道, then to the bureau, whose list shows each step. A volunteer
finds the wish on the community's wish wall, takes it on in person after the confirmation
dialog and marks it met; the resident sees the volunteer's name, confirms and rates it.

The clock moves by ageing the need in the database between steps, as days would, and the
same jobs ``flask cron`` runs do the reminding and the escalating."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.conftest import DESKTOP

WISH = "家里的老式吊灯不亮了，想请人帮忙换个灯泡"


def _text(page) -> str:
    page.wait_for_load_state()
    return page.inner_text("body")


def _age(app, hours_left: float | None = None, by: timedelta | None = None) -> None:
    """Move the wish's clock: to ``hours_left`` before its deadline (2 days long), or back by
    ``by`` (its steps of escalation too)."""
    from sqlalchemy import select

    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.needs.models import Need

    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.what == WISH))
        if hours_left is not None:
            need.due_at = utcnow() + timedelta(hours=hours_left)
            need.created_at = need.due_at - timedelta(days=2)
        if by is not None:
            need.due_at -= by
            need.created_at -= by
            for step in need.escalations:
                step.created_at -= by
        commit()


def _run(app, job: str) -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant
    from workers import needs

    with app.app_context():
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        return getattr(needs, job)(tenant_id)


def _desk(journey, name: str, account: str):
    staff = journey(name, DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login(account)
    return staff


def test_a_wish_is_reminded_escalated_taken_on_by_a_volunteer_and_confirmed(journey,
                                                                             live_server):
    _base, app = live_server
    j = journey("resident-wish")
    j.page.set_default_timeout(10000)
    j.login("13900000004")
    page = j.go("/t/demo/needs/new")
    page.fill("textarea[name=what]", WISH)
    page.select_option("select[name=category]", "助老服务")
    page.select_option("select[name=target_group]", "独居老人")
    page.select_option("select[name=area_id]", label="幸福社区 · 幸福社区第1网格（网格）")
    page.check("input[name=urgency][value=urgent]")
    assert page.is_checked("input[name=on_wall]")
    page.click("form button.primary")
    assert "需求已提交" in _text(page) and WISH in _text(page)
    j.shot("wish posted")

    # Six hours before its deadline: the hourly job reminds the organizations serving the area.
    _age(app, hours_left=6)
    assert _run(app, "remind_due") >= 1
    coordinator = _desk(journey, "coordinator-reminded", "sun-coord@demo.gongzhi.cn")
    inbox = coordinator.go("/t/demo/inbox")
    body = _text(inbox)
    assert "仍无人承接" in body and WISH[:12] in body
    coordinator.shot("reminder in the inbox")

    # An hour late: the morning job sends it to the staff in charge of 幸福社区.
    _age(app, hours_left=-1)
    assert _run(app, "escalate_overdue") >= 1
    grid = _desk(journey, "grid-worker-escalated", "grid@demo.gongzhi.cn")
    inbox = grid.go("/t/demo/inbox")
    assert "幸福社区有一件需求已超期" in _text(inbox)
    grid.shot("late wish in the inbox")
    inbox.locator("ul.messages > li", has_text="幸福社区有一件需求已超期").locator("a").first.click()
    body = _text(inbox)
    assert "已上报幸福社区" in body and "超期" in body
    grid.shot("late wish at the community")

    # Two days on, still waiting: the street's staff, and two days later the bureau.
    _age(app, by=timedelta(days=2, hours=1))
    assert _run(app, "escalate_overdue") >= 1
    _age(app, by=timedelta(days=2, hours=1))
    assert _run(app, "escalate_overdue") >= 1
    bureau = _desk(journey, "bureau-escalated", "bureau@demo.gongzhi.cn")
    queue = bureau.go("/t/demo/needs/queue")
    row = queue.locator("li", has_text=WISH)
    assert "已上报民政局" in row.inner_text()
    bureau.shot("bureau list with the step reached")
    row.locator("a.what").click()
    steps = queue.locator("ol.escalations").inner_text()
    assert "已上报幸福社区" in steps and "已上报东湖街道" in steps and "已上报民政局" in steps
    bureau.shot("each step of the escalation")

    # A volunteer on her phone finds the wish on the wall and takes it on herself.
    v = journey("volunteer-wish")
    v.page.set_default_timeout(10000)
    v.login("13800000003")
    wall = v.go("/t/demo/needs/wall")
    wall.get_by_role("link", name="幸福社区", exact=True).click()
    card = wall.locator(".wall li", has_text=WISH)
    v.shot("wish wall for a volunteer")
    card.get_by_role("link", name="我来帮忙").click()
    wall.locator("button", has_text="我来帮忙").click()
    said = v.confirm("居民会收到您的姓名", label="take the wish on")
    assert said
    assert "您已承接这个心愿" in _text(wall)
    v.shot("wish taken on")
    wall.fill("textarea[name=note]", "已上门换好灯泡，顺便检查了开关")
    wall.locator("button", has_text="标记为已办好").click()
    assert "已标记为已办好" in _text(wall) or "已办好" in _text(wall)
    v.shot("wish met")
    mine = v.go("/t/demo/needs/mine")
    assert "我接下的心愿" in _text(mine) and WISH[:12] in _text(mine)

    # The resident sees who helped, confirms and rates it.
    page = j.go("/t/demo/needs/mine")
    row = page.locator("li", has_text=WISH)
    assert "已办好，请您确认" in row.inner_text()
    row.locator("a.what").click()
    body = _text(page)
    assert "李娜" in body and "已上门换好灯泡" in body
    j.shot("resident sees the volunteer")
    page.locator("label", has_text="5").first.click()
    page.fill("textarea[name=comment]", "小李来得很快，谢谢！")
    page.locator("button", has_text="确认并评价").click()
    assert "评价已记录" in _text(page) or "谢谢" in _text(page)
    j.shot("wish confirmed and rated")


def test_the_bureau_starts_a_call_from_a_cluster_of_unmet_needs(journey):
    """The bureau, at a desk, picks a group of unmet needs on 未办结的需求, finds the call drafted
    from them, sets a ceiling, confirms on the next page, and the published call (public)
    lists the residents' needs behind it."""
    b = _desk(journey, "bureau-call-from-needs", "bureau@demo.gongzhi.cn")
    page = b.go("/t/demo/needs/overview")
    row = page.locator("tr", has_text="和平社区第1网格").filter(has_text="儿童关爱")
    b.shot("unmet needs by area")
    row.get_by_role("link", name="据此发布申报通知").click()
    body = _text(page)
    assert "孩子放学后没人辅导作业" in body
    assert page.input_value("input[name=title]").startswith("和平社区第1网格儿童关爱")
    assert "孩子放学后没人辅导作业" in page.input_value("textarea[name=description]")
    page.fill("input[name=ceiling]", "30000")
    b.shot("call drafted from the needs")
    page.locator("form.start-call button.primary").click()
    body = _text(page)
    assert "请确认" in body and "发布后不能撤回" in body and "1 件需求" in body
    b.shot("confirm before publishing")
    page.locator(".confirm-step button.primary").click()
    body = _text(page)
    assert "申报通知已发布，已关联 1 件需求" in body
    b.shot("call published from the needs")
    call_id = page.url.rstrip("/").split("/")[-2]
    public = b.go(f"/t/demo/funding/open-calls/{call_id}")
    body = _text(public)
    assert "本通知对应的居民需求" in body and "孩子放学后没人辅导作业" in body
    b.shot("public call with the needs behind it")
