"""Text messages: the Alibaba Cloud adapter signs its request as the provider documents
(checked against the documented example), the logging gateway is the default and masks the
number, and inbox messages reach by text message a resident not online (at their contact
number) or a person who asked for them, at most ``SMS_PER_HOUR`` an hour each."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from app.auth.models import Role
from app.db_commit import commit
from app.notifications.models import Notification
from app.notifications.services import notify
from app.notifications.sms import AliyunGateway, LoggingGateway, gateway
from app.residents import services as residents
from app.tenancy.services import add_area
from tests.factories import TenantFactory, user_with

#: The provider's documented example (短信服务 签名机制): these parameters, the secret
#: ``testSecret``, and the signature it states.
DOCUMENTED = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123",
    "PhoneNumbers": "15300000001", "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25"}


def test_the_aliyun_request_is_signed_as_the_provider_documents():
    adapter = AliyunGateway("testId", "testSecret", "阿里云短信测试专用", "SMS_71390007")
    assert adapter.signature(DOCUMENTED) == "zJDF+Lrzhj/ThnlvIToysFRq6t4="
    url = adapter.url("13800000001", "服务提醒：明天 9:00 上门理发", nonce="n-1",
                      now=datetime(2026, 12, 7, 1, 2, 3, tzinfo=UTC))
    sent = dict(parse_qsl(urlsplit(url).query))
    assert urlsplit(url).netloc == "dysmsapi.aliyuncs.com"
    assert sent["Timestamp"] == "2026-12-07T01:02:03Z" and sent["PhoneNumbers"] == "13800000001"
    assert sent["TemplateParam"] == '{"text":"服务提醒：明天 9:00 上门理发"}'
    signature = sent.pop("Signature")
    assert signature == adapter.signature(sent)
    assert " " not in url and "+" not in url.split("Signature=")[1].split("&")[0]


def test_the_default_gateway_only_logs_and_masks_the_number(app, caplog):
    assert isinstance(gateway(app.config), LoggingGateway)
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        assert LoggingGateway().send("13812345678", "您好") == "logged"
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_messages_reach_a_resident_not_online_by_text_at_most_so_many_an_hour(app, db):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    area = add_area(tenant, "幸福社区", "社区")
    profile = residents.register(tenant, officer, name="郑奶奶", id_number="110105195205070025",
                                 area=area, target_group="", consent_how="written",
                                 contact_phone="13700000001")
    silent = residents.register(tenant, officer, name="周大爷", id_number="110105196001010025", area=area, target_group="",
                                consent_how="spoken")
    online = user_with(tenant, Role.RESIDENT)
    app.config["SMS_PER_HOUR"] = 2
    for n in range(3):
        notify(profile.user, f"提醒{n}", tenant_id=tenant.id)
    notify(silent.user, "提醒", tenant_id=tenant.id)
    notify(online, "提醒", tenant_id=tenant.id)
    online.sms = True
    notify(online, "提醒", tenant_id=tenant.id)
    commit()  # the text messages go after the commit (inline without Redis)
    db.session.expire_all()
    statuses = {(n.user_id, n.title): n.sms_status for n in db.session.scalars(
        db.select(Notification))}
    assert [statuses[(profile.user_id, f"提醒{n}")] for n in range(3)] == [
        "logged", "logged", "throttled"]
    assert statuses[(silent.user_id, "提醒")] == "none"
    assert sorted(n.sms_status for n in db.session.scalars(db.select(Notification).where(
        Notification.user_id == online.id))) == ["logged", "none"]
