"""The incubator moves its groups through 入驻 → 培育 → 出壳 with milestones and leaders'
training; every change is in the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.grassroots import services
from app.grassroots.filing import GroupError
from app.notifications.models import Notification
from app.parsing import local_today
from tests.grassroots.factories import group_world, verified_group

TODAY = local_today()


def _incubation(w, name="幸福社区银龄合唱队"):
    group, leader = verified_group(w, name)
    incubation = services.incubation_of(group)
    incubation.stage_since = incubation.moves[0].moved_on = TODAY - timedelta(days=60)
    db.session.flush()
    return group, leader, incubation


def test_a_group_moves_to_the_next_stage_with_a_day_and_a_note(db):
    w = group_world()
    group, _leader, incubation = _incubation(w)
    services.move(incubation, w.hub_coordinator, day=TODAY - timedelta(days=10),
                  note="章程已通过，进入培育期")
    assert (incubation.stage, incubation.stage_since) == ("nurturing", TODAY - timedelta(days=10))
    assert [(m.from_stage, m.to_stage) for m in incubation.moves] == [
        (None, "admitted"), ("admitted", "nurturing")]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.tenant_id == w.tenant.id, AuditEntry.object_type == "incubation",
        AuditEntry.action == "update").order_by(AuditEntry.id)).all()[-1]  # the move, the last
    assert entry.changes["stage"] == ["admitted", "nurturing"]


@pytest.mark.parametrize(("day", "note", "words"), [
    (TODAY + timedelta(days=1), "提前", "不能晚于今天"),
    (TODAY - timedelta(days=61), "太早", "不能早于该组织进入当前阶段"),
    (None, "无日期", "请填写日期"),
    (TODAY, "  ", "阶段变更的说明"),
    (TODAY, "\x07响铃", "控制字符"),
])
def test_a_move_needs_a_day_between_the_stage_start_and_today_and_a_note(db, day, note, words):
    w = group_world()
    _group, _leader, incubation = _incubation(w)
    with pytest.raises(GroupError, match=words):
        services.move(incubation, w.hub_coordinator, day=day, note=note)
    assert incubation.stage == "admitted"


def test_a_group_graduates_only_once_every_milestone_is_done(db):
    w = group_world()
    _group, leader, incubation = _incubation(w)
    services.move(incubation, w.hub_coordinator, day=TODAY - timedelta(days=30), note="进入培育")
    show = services.add_milestone(incubation, w.hub_coordinator, title="在社区开展第一场公开演出",
                                  due_on=TODAY + timedelta(days=5))
    with pytest.raises(GroupError, match="在社区开展第一场公开演出"):
        services.move(incubation, w.hub_coordinator, day=TODAY, note="出壳")
    with pytest.raises(GroupError, match="完成依据"):
        services.complete_milestone(show, leader, day=TODAY, evidence="")
    services.complete_milestone(show, leader, day=TODAY, evidence="演出照片和居民签到表")
    assert (show.done_on, show.done_by_id) == (TODAY, leader.id)
    with pytest.raises(GroupError, match="已经完成"):
        services.complete_milestone(show, leader, day=TODAY, evidence="再来一次")
    services.move(incubation, w.hub_coordinator, day=TODAY, note="能独立开展活动，出壳")
    assert incubation.stage == "graduated"
    with pytest.raises(GroupError, match="已经出壳"):
        services.move(incubation, w.hub_coordinator, day=TODAY, note="再出一次")
    with pytest.raises(GroupError, match="已经出壳"):
        services.add_milestone(incubation, w.hub_coordinator, title="新任务", due_on=TODAY)


def test_graduating_with_a_credit_code_makes_it_registered_and_sends_it_back_to_the_bureau(db):
    w = group_world()
    group, _leader, incubation = _incubation(w)
    services.move(incubation, w.hub_coordinator, day=TODAY - timedelta(days=5), note="培育")
    with pytest.raises(Exception, match="统一社会信用代码"):
        services.move(incubation, w.hub_coordinator, day=TODAY, note="登记了",
                      credit_code="52350100MJ0000013D")
    assert group.is_filed and incubation.stage == "nurturing"
    before = len(db.session.scalars(select(Notification).where(
        Notification.user_id == w.officer.id)).all())
    services.move(incubation, w.hub_coordinator, day=TODAY, note="已在民政局登记",
                  credit_code="53100000500021676K")
    assert (group.credit_code, group.standing, group.status) == (
        "53100000500021676K", "registered", "pending")
    assert len(db.session.scalars(select(Notification).where(
        Notification.user_id == w.officer.id)).all()) == before + 1


def test_a_registered_organizations_credit_code_is_not_replaced_at_graduation(db):
    w = group_world()
    _group, _leader, incubation = _incubation(w)
    incubation.stage = "nurturing"
    group = db.session.get(type(w.hub), incubation.org_id)
    group.standing, group.credit_code = "registered", "91110000802100433B"
    db.session.flush()
    with pytest.raises(GroupError, match="已有统一社会信用代码"):
        services.move(incubation, w.hub_coordinator, day=TODAY, note="出壳",
                      credit_code="53100000500021676K")


def test_the_incubator_sees_its_groups_with_open_overdue_milestones_and_training(db):
    w = group_world()
    choir, _l1, incubation = _incubation(w)
    green, _l2, _i2 = _incubation(w, "和平社区护绿小队")
    services.move(incubation, w.hub_coordinator, day=TODAY - timedelta(days=20), note="培育")
    services.add_milestone(incubation, w.hub_coordinator, title="制定章程",
                           due_on=TODAY - timedelta(days=3))
    services.add_milestone(incubation, w.hub_coordinator, title="首场演出",
                           due_on=TODAY + timedelta(days=3))
    services.add_training(choir, w.hub_coordinator, person="周玉梅", course="骨干培训班",
                          minutes=360, day=TODAY - timedelta(days=2))
    services.add_training(choir, w.hub_coordinator, person="周玉梅", course="安全与应急",
                          minutes=90, day=TODAY - timedelta(days=1))
    rows = services.groups_of(w.hub)
    assert [(r.group.name, r.incubation.stage, r.open_milestones, r.overdue,
             r.training_minutes) for r in rows] == [
        ("和平社区护绿小队", "admitted", 0, 0, 0),
        ("幸福社区银龄合唱队", "nurturing", 2, 1, 450)]
    assert [t.course for t in services.trainings_of(choir)] == ["安全与应急", "骨干培训班"]
    assert green.id != choir.id


@pytest.mark.parametrize(("change", "words"), [
    ({"person": ""}, "参训人姓名"), ({"course": " "}, "培训课程"),
    ({"minutes": 0}, "培训时长"), ({"minutes": 7 * 24 * 60 + 1}, "培训时长"),
    ({"day": TODAY + timedelta(days=1)}, "不能晚于今天"), ({"person": "人" * 41}, "内容过长"),
])
def test_a_training_record_needs_who_which_course_how_long_and_when(db, change, words):
    w = group_world()
    choir, _leader, _row = _incubation(w)
    values = dict(person="周玉梅", course="骨干培训班", minutes=120, day=TODAY)
    values.update(change)
    with pytest.raises(GroupError, match=words):
        services.add_training(choir, w.hub_coordinator, **values)
    assert services.trainings_of(choir) == []
