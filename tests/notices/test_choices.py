"""A person's own choices: text messages at their mobile, community notices or not — on their
settings page, with one tap from a notice in the inbox, or by the signed link in a text
message without signing in (only in the district that sent it); staff record the choice of a
resident who is not online, with how they gave it."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.db_commit import commit
from app.extensions import db
from app.notices import fanout, services, tokens
from app.notices.models import NoticeChoice
from app.notifications.models import Notification
from app.residents.models import ResidentProfile
from tests.factories import OrgFactory, TenantFactory, grant, user_with
from tests.notices.scene import build


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def s(db):
    return build()


def send(s, title="免费体检"):
    notice = services.compose(s.tenant, s.staff, area=s.xingfu, group="独居老人", title=title,
                              body="周五上午九点，社区卫生站。")
    commit()
    return notice


def got(user, notice) -> bool:
    return db.session.scalar(select(Notification.id).where(
        Notification.user_id == user.id, Notification.kind == fanout.KIND,
        Notification.subject_id == notice.id)) is not None


def test_a_resident_stops_community_notices_with_one_tap_from_the_inbox(client, login, s):
    send(s)
    login(s.online)
    inbox = page(client.get(f"/t/{s.tenant.slug}/inbox"))
    assert "免费体检" in inbox and "不再接收社区通知" in inbox
    tapped = client.post(f"/t/{s.tenant.slug}/notices/stop", follow_redirects=True)
    assert "您不会再收到社区通知" in page(tapped)
    assert "不再接收社区通知" not in page(tapped).split("您不会再收到社区通知")[1]
    assert not services.receives(s.tenant.id, s.online.id)
    later = send(s, "停水通知")
    assert not got(s.online, later) and got(s.texted, later)
    settings = page(client.get(f"/t/{s.tenant.slug}/notices/settings"))
    assert re.search(r'<input id="community" name="community" type="checkbox" value="y">',
                     settings)


def test_the_settings_page_turns_text_messages_and_notices_on_and_off(client, login, s):
    login(s.online)
    url = f"/t/{s.tenant.slug}/notices/settings"
    shown = page(client.get(url))
    assert "通知设置" in shown and "消息同时以短信发到我的手机" in shown
    assert s.online.phone[:3] + "****" in shown and s.online.phone not in shown
    assert client.post(url, data={"sms": "y", "community": "y"}).status_code == 302
    assert s.online.sms and services.receives(s.tenant.id, s.online.id)
    client.post(url, data={})
    assert not s.online.sms and not services.receives(s.tenant.id, s.online.id)
    # Without a mobile number there are no text messages to choose.
    emailed = user_with(s.tenant, Role.RESIDENT, phone=None, email="li@example.cn")
    login(emailed)
    shown = page(client.get(url))
    assert "您的账户没有手机号码" in shown and 'name="sms"' not in shown
    client.post(url, data={"sms": "y", "community": "y"})
    assert not emailed.sms


def test_the_link_in_a_text_message_stops_notices_without_signing_in(client, csrf_enabled, s):
    token = tokens.make(s.tenant.id, s.offline.id)
    url = f"/t/{s.tenant.slug}/notices/stop/{token}"
    shown = client.get(url)
    assert shown.status_code == 200 and "不再接收社区通知？" in page(shown)
    assert services.receives(s.tenant.id, s.offline.id)  # opening the link changes nothing
    csrf = page(shown).split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    done = client.post(url, data={"csrf_token": csrf})
    assert "您不会再收到社区通知" in page(done)
    choice = db.session.scalars(select(NoticeChoice).where(
        NoticeChoice.user_id == s.offline.id)).one()
    assert (choice.receives, choice.how) == (False, "link")
    # Signed for this district only, and not to be altered.
    other = TenantFactory()
    grant(s.offline, other, Role.RESIDENT)
    assert client.get(f"/t/{other.slug}/notices/stop/{token}").status_code == 404
    forged = f"{s.online.id}.{token.split('.')[1]}"
    assert client.get(f"/t/{s.tenant.slug}/notices/stop/{forged}").status_code == 404
    for junk in ("x", "1.", "9" * 40 + ".abcdefghijklmnop", token + "x"):
        assert client.get(f"/t/{s.tenant.slug}/notices/stop/{junk}").status_code == 404
    assert client.get(f"/t/{s.tenant.slug}/notices/stop/1.%00").status_code in (400, 404)


def test_staff_record_the_choice_of_a_resident_not_online_with_their_consent(client, login, s):
    profile = db.session.scalars(select(ResidentProfile).where(
        ResidentProfile.user_id == s.offline.id)).one()
    url = f"/t/{s.tenant.slug}/notices/residents/{profile.id}"
    login(s.staff)
    shown = page(client.get(f"/t/{s.tenant.slug}/residents/offline/{profile.id}"))
    assert "社区通知" in shown and "登记居民的选择" in shown
    refused = client.post(url, data={"receive": "no"}, follow_redirects=True)
    assert services.receives(s.tenant.id, s.offline.id), page(refused)
    done = client.post(url, data={"receive": "no", "consent_how": "spoken",
                                  "consent_given_by": "女儿 李红"}, follow_redirects=True)
    assert "已登记：郑奶奶不再接收社区通知" in page(done)
    choice = db.session.scalars(select(NoticeChoice)
                                .where(NoticeChoice.user_id == s.offline.id)).one()
    assert (choice.receives, choice.how, choice.consent_how, choice.consent_given_by,
            choice.recorded_by_id) == (False, "staff", "spoken", "女儿 李红", s.staff.id)
    assert "由女儿 李红表示，刘网格员登记" in page(
        client.get(f"/t/{s.tenant.slug}/residents/offline/{profile.id}"))
    notice = send(s)
    assert not got(s.offline, notice) and notice.opted_out == 2
    # Staff of an organization that does not keep her may not speak for her.
    org = OrgFactory(tenant_id=s.tenant.id)
    login(user_with(s.tenant, Role.ORG_COORDINATOR, org))
    assert client.post(url, data={"receive": "yes", "consent_how": "spoken"}).status_code == 403
