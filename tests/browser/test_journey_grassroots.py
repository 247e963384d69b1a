"""A filed community group and its incubator.

周玉梅 leads 幸福社区银龄合唱队, filed with 幸福社区 and sponsored by 东湖街道社区社会组织服务中心.
On her phone she sees the group at 培育 with one milestone done and one open, and marks the
open one done after the first performance. The hub's social worker, at a desk, opens the
incubator's list, sees the milestone done and moves the group from 培育 to 出壳 after the
confirmation dialog says so; the leader then sees 出壳 on her phone."""

from __future__ import annotations

from tests.browser.conftest import DESKTOP

GROUP = "幸福社区银龄合唱队"
MILESTONE = "在社区开展第一场公开演出"


def test_an_incubator_graduates_a_group_after_its_milestone_and_the_leader_sees_it(
        journey, live_server):
    leader = journey("group-leader")
    leader.page.set_default_timeout(10000)
    leader.login("13700002001")
    page = leader.go("/t/demo/grassroots/")
    page.click(f"text={GROUP}")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "东湖街道社区社会组织服务中心" in body and "东湖社备〔2026〕012号" in body
    assert page.locator("[aria-current=step]").inner_text() == "培育"
    assert "制定队伍章程并选出骨干" in body and MILESTONE in body and "骨干培训" in body
    assert "社区社会组织骨干培训班" in body and "6 小时" in body
    assert "进入“出壳”阶段" not in body  # moving on is the incubator's
    leader.shot("the group's stage and milestones")

    open_one = page.locator("li", has_text=MILESTONE)
    open_one.locator("summary").click()
    open_one.locator("textarea[name=evidence]").fill("重阳节在社区广场演出 6 首歌，120 位居民观看")
    open_one.locator("text=确认完成此里程碑").click()
    page.wait_for_load_state()
    assert f"里程碑已完成：{MILESTONE}。" in page.inner_text("body")
    leader.shot("milestone done")
    assert not leader.problems, leader.problems

    staff = journey("incubator-staff", DESKTOP)
    staff.page.set_default_timeout(10000)
    staff.login("hub-coord@demo.gongzhi.cn")
    page = staff.go("/t/demo/grassroots/")
    page.click("text=东湖街道社区社会组织服务中心")
    page.wait_for_load_state()
    row = page.locator("li", has_text=GROUP)
    assert "培育" in row.inner_text() and "没有未完成的里程碑" in row.inner_text()
    assert "和平社区护绿小队" in page.inner_text("body")
    staff.shot("the incubator's groups")
    page.click(f"text={GROUP}")
    page.wait_for_load_state()
    page.fill("textarea[name=note]", "能独立排练和演出，已建立章程和骨干队伍，出壳")
    page.click("button:has-text('进入“出壳”阶段')")
    staff.confirm("从“培育”进入“出壳”", "asked before graduating")
    body = page.inner_text("body")
    assert f"{GROUP}已进入“出壳”阶段。" in body
    assert page.locator("[aria-current=step]").inner_text() == "出壳"
    staff.shot("graduated")
    assert not staff.problems, staff.problems

    page = leader.go("/t/demo/grassroots/")
    assert "出壳" in page.locator("li", has_text=GROUP).inner_text()
    leader.shot("the leader sees the group graduated")
    assert not leader.problems, leader.problems
