"""Community notices (社区通知): community staff write to the residents of the areas they look
after (optionally one group), see how many it reaches before it goes, and it reaches each
resident's inbox once — by text message too where that is how they are reached — skipping
those who stopped community notices; an area gets at most so many a day."""

from __future__ import annotations

import html
import logging
import re

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.db_commit import commit
from app.extensions import db
from app.notices import fanout, services
from app.notices.models import CommunityNotice
from app.notifications.models import Notification
from app.tenancy.models import AreaStaff
from app.tenancy.services import add_area
from tests.factories import TenantFactory
from tests.notices.scene import build
from workers.notices import send_notice


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def inbox_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == fanout.KIND)))


@pytest.fixture
def s(db):
    return build()


FORM = {"title": "免费体检", "body": "周五上午九点，社区卫生站为独居老人免费体检，请带身份证。"}


def test_staff_see_the_reach_confirm_and_the_notice_reaches_each_resident_once(
        client, login, s, caplog):
    login(s.staff)
    base = f"/t/{s.tenant.slug}/notices"
    form = FORM | {"area_id": s.xingfu.id, "target_group": "独居老人"}
    asked = client.post(f"{base}/new", data=form)
    text = page(asked)
    assert "请确认" in text
    assert "3 位居民" in text and "其中 2 位同时收到短信" in text
    assert "已退订社区通知的 1 位不再发送" in text
    assert db.session.scalar(select(func.count(CommunityNotice.id))) == 0

    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        sent = client.post(f"{base}/new", data=form | {"confirmed": "yes"})
    assert sent.status_code == 302
    notice = db.session.scalars(select(CommunityNotice)).one()
    assert (notice.status, notice.reached, notice.by_sms, notice.opted_out) == ("sent", 3, 2, 1)
    for person in (s.online, s.texted, s.offline):
        [note] = inbox_of(person)
        assert (note.title, note.body) == (FORM["title"], FORM["body"])
    for person in (s.stopped, s.disabled, s.elsewhere):
        assert inbox_of(person) == []
    # By text message: the resident who asked (her mobile) and the one not online (her
    # daughter's), each with the stop link, numbers masked in the log.
    lines = [r.getMessage() for r in caplog.records if r.name == "gongzhi.sms"]
    assert len(lines) == 2
    assert any("137****0011" in line for line in lines)
    assert all(f"/t/{s.tenant.slug}/notices/stop/" in line and "退订社区通知" in line
               for line in lines)
    assert "13700000011" not in caplog.text

    listed = page(client.get(base))
    row = re.search(rf'<tr id="notice-{notice.id}">.*?</tr>', listed, re.S).group(0)
    assert "免费体检" in row and "幸福社区 · 独居老人" in row
    assert re.findall(r"data-(?:reached|sms|opted-out)>(\d+)<", row) == ["3", "2", "1"]
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "community_notice", AuditEntry.action == "create")).one()
    assert (entry.actor_id, entry.changes["title"][1]) == (s.staff.id, "免费体检")


def test_community_staff_write_only_to_their_areas_the_bureau_to_any(client, login, s):
    other = TenantFactory()
    foreign = add_area(other, "外区社区", "社区")
    base = f"/t/{s.tenant.slug}/notices/new"
    login(s.staff)
    assert "和平社区" not in page(client.get(base))
    for area, status in ((s.heping, 403), (foreign, 404)):
        answer = client.post(base, data=FORM | {"area_id": area.id, "target_group": "",
                                                 "confirmed": "yes"})
        assert answer.status_code == status
    login(s.bureau)
    sent = client.post(base, data=FORM | {"area_id": s.heping.id, "target_group": "",
                                          "confirmed": "yes"})
    assert sent.status_code == 302
    assert [n.title for n in inbox_of(s.elsewhere)] == ["免费体检"]
    # The bureau's notice to 和平社区 is not among the staff member's.
    login(s.staff)
    notice = db.session.scalars(select(CommunityNotice)).one()
    assert client.get(f"/t/{s.tenant.slug}/notices/{notice.id}").status_code == 403
    assert "免费体检" not in page(client.get(f"/t/{s.tenant.slug}/notices"))
    login(s.online)
    assert client.get(base).status_code == 403


def test_the_bureau_says_who_is_in_charge_on_its_areas_page_staff_cannot_widen_their_own(
        client, login, s):
    """One place says who is in charge of an area (the needs' escalation reads the same):
    the bureau's areas page, which also says what that means for community notices."""
    areas = f"/t/{s.tenant.slug}/areas"
    login(s.bureau)
    text = page(client.get(areas))
    assert "负责人：刘网格员" in text and "只能向所负责的区域及其下级区域发社区通知" in text
    assert f'action="{areas}/staff"' in text
    assert "区域负责人" in page(client.get(f"/t/{s.tenant.slug}/notices"))
    # The grid worker in charge of 幸福社区 reads the rule but may not change his charge:
    # neither take on the street nor give up his community (and so write to the district).
    login(s.staff)
    text = page(client.get(areas))
    assert "只能向所负责的区域及其下级区域发社区通知" in text
    assert f'action="{areas}/staff"' not in text
    [charge] = db.session.scalars(select(AreaStaff).where(AreaStaff.user_id == s.staff.id))
    assert client.post(f"{areas}/staff", data={"area_id": s.xingfu.parent_id,
                                               "user_id": s.staff.id}).status_code == 403
    assert client.post(f"{areas}/staff/{charge.id}/remove").status_code == 403
    assert services.staff_areas(s.staff, s.tenant.id) == [s.xingfu]
    # The bureau relieves him: in charge of no area, he is the bureau's and writes anywhere.
    login(s.bureau)
    assert client.post(f"{areas}/staff/{charge.id}/remove").status_code == 302
    login(s.staff)
    assert "和平社区" in page(client.get(f"/t/{s.tenant.slug}/notices/new"))


def test_an_area_gets_at_most_so_many_notices_a_day(client, login, db):
    s = build(community_notices_per_area_per_day=1)
    login(s.staff)
    base = f"/t/{s.tenant.slug}/notices/new"
    form = FORM | {"area_id": s.xingfu.id, "target_group": "", "confirmed": "yes"}
    assert client.post(base, data=form).status_code == 302
    refused = page(client.post(base, data=form | {"title": "第二条"}))
    assert "幸福社区今天已发 1 条社区通知" in refused
    assert db.session.scalar(select(func.count(CommunityNotice.id))) == 1
    # Another area still may.
    assert client.post(base, data=form | {"area_id": s.grid.id}).status_code == 302


def test_a_notice_to_nobody_and_a_text_too_long_are_refused(client, login, s):
    login(s.staff)
    base = f"/t/{s.tenant.slug}/notices/new"
    nobody = page(client.post(base, data=FORM | {"area_id": s.xingfu.id,
                                                 "target_group": "留守儿童"}))
    assert "没有居民会收到" in nobody
    long = page(client.post(base, data=FORM | {"area_id": s.xingfu.id, "target_group": "",
                                               "body": "很长" * 200, "confirmed": "yes"}))
    assert "300" in long
    assert db.session.scalar(select(func.count(CommunityNotice.id))) == 0


def test_sending_again_after_a_stop_adds_nobody_twice(app, s):
    notice = services.compose(s.tenant, s.staff, area=s.xingfu, group="", title="停水通知",
                              body="明天8点至12点停水。")
    # The first batch was written before the job stopped; the job then runs again, twice.
    finished, _sms, _email = fanout.send_batch(notice.id, size=2)
    assert not finished and notice.reached == 2
    commit()  # the queued job runs (inline) and carries on from the last person done
    send_notice(notice.id, batch=1)
    db.session.refresh(notice)
    assert (notice.status, notice.reached, notice.opted_out) == ("sent", 4, 1)
    per_person = db.session.execute(
        select(Notification.user_id, func.count()).where(Notification.subject_id == notice.id,
                                                          Notification.kind == fanout.KIND)
        .group_by(Notification.user_id)).all()
    assert sorted(n for _u, n in per_person) == [1, 1, 1, 1]
    assert {u for u, _n in per_person} == {s.online.id, s.texted.id, s.offline.id,
                                           s.disabled.id}


def test_a_text_message_cut_to_length_keeps_the_stop_link(app, s, caplog):
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        services.compose(s.tenant, s.staff, area=s.xingfu, group="独居老人", title="通知",
                         body="很长的通知" * 60)
        commit()
    texts = [r.getMessage().split(": ", 1)[1] for r in caplog.records
             if r.name == "gongzhi.sms"]
    assert len(texts) == 2
    for text in texts:
        assert len(text) <= 140
        assert re.search(r"退订社区通知：http://\S+/notices/stop/\d+\.[\w-]{16}$", text), text
