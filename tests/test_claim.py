"""Imported people claim their account (第一次登录 / 领取账号): a volunteer brought in by a bulk
import gives their mobile and ID number, gets a code by text message (read here from the
logging gateway, the default), sets a password and is signed in. Attacks: the wrong ID number
and an unknown number get the same answer as the right pair and no message; a wrong, reused or
expired code is refused alike; guessing is cut off by the code's tries and the throttle; the
steps are in the audit log with the code hidden."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import AccountClaim, Role, User
from app.db import utcnow
from app.extensions import db, limiter
from tests.factories import AreaFactory, TenantFactory, user_with
from tests.imports.test_imports import IDS, VOLUNTEER_HEADERS, latest, upload, xlsx

PHONE, OTHER_PHONE = "13822220001", "13822220002"
CODE_RE = re.compile(r"sms to (\d{3}\*{4}\d{4}): .*?(\d{6})")


@pytest.fixture
def imported(client, db, login):
    """Two volunteers imported by the bureau through the import pages; nobody signed in."""
    tenant = TenantFactory()
    street = AreaFactory(tenant=tenant, name="东街道", level="街道")
    AreaFactory(tenant=tenant, name="阳光社区", level="社区", parent=street)
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    login(officer)
    rows = [["赵一", IDS[0], "", "", PHONE, "东街道/阳光社区", "", "", "是"],
            ["赵二", IDS[2], "女", "", OTHER_PHONE, "", "", "", "是"]]
    upload(client, tenant, xlsx(VOLUNTEER_HEADERS, rows))
    client.post(f"/t/{tenant.slug}/imports/{latest(tenant).id}/confirm",
                data={"confirmed": "yes"})
    client.post("/logout")
    user = db.session.scalar(select(User).where(User.phone == PHONE))
    assert user.password_hash == "!imported"
    return tenant, user


def texts(caplog) -> list[tuple[str, str]]:
    """(masked number, code) of each text message the logging gateway wrote."""
    return [m.groups() for r in caplog.records if r.name == "gongzhi.sms"
            and (m := CODE_RE.search(r.getMessage()))]


def ask(client, phone=PHONE, id_number=IDS[0]):
    return client.post("/claim", data={"phone": phone, "id_number": id_number})


def finish(client, code, password="xinmima2026"):
    return client.post("/claim/code", data={"code": code, "password": password,
                                            "confirm": password})


def test_an_imported_volunteer_claims_the_account_and_is_signed_in(client, imported, caplog):
    tenant, user = imported
    assert "第一次登录" in client.get("/login").get_data(as_text=True)
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        response = ask(client, id_number=IDS[0].lower())
    assert response.status_code == 302 and response.location.endswith("/claim/code")
    page = client.get("/claim/code").get_data(as_text=True)
    assert "138****0001" in page and PHONE not in page
    [(number, code)] = texts(caplog)
    assert number == "138****0001"
    weak = finish(client, code, password="12345678").get_data(as_text=True)
    assert "至少 8 个字符" in weak or "字母和数字" in weak
    response = finish(client, code)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert client.get("/account").status_code == 200  # signed in
    assert user.check_password("xinmima2026") and user.password_hash != "!imported"
    # The code was used once: the account can no longer be claimed, and signs in normally.
    client.post("/logout")
    assert client.post("/login", data={"account": PHONE, "password": "xinmima2026"}
                       ).status_code == 302
    claim = db.session.scalar(select(AccountClaim).where(AccountClaim.user_id == user.id))
    assert claim.used_at is not None
    logged = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "account_claim")).all()
    assert logged and all(code not in str(e.changes) and claim.code_hash not in str(e.changes)
                          for e in logged)
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.object_type == "user", AuditEntry.object_id == str(user.id),
        AuditEntry.action == "update")) >= 1


def test_no_enumeration_wrong_id_or_unknown_number_get_the_same_answer_and_no_text(
        client, imported, caplog):
    _tenant, user = imported
    client.get("/login")  # the sign-out message of the fixture is shown and gone
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        answers = []
        for phone, id_number in ((PHONE, IDS[0]), (PHONE, IDS[2]),  # another person's ID
                                 ("13900000000", IDS[0]), (OTHER_PHONE, IDS[0])):
            limiter.reset()
            response = ask(client, phone, id_number)
            answers.append((response.status_code, response.location))
            answers[-1] += (client.get("/claim/code").get_data(as_text=True)
                            .replace(phone[:3] + "****" + phone[-4:], "NUMBER"),)
    assert len(set(answers)) == 1, answers
    assert [n for n, _c in texts(caplog)] == ["138****0001"]
    # With the wrong ID, no code was made: whatever is typed is the one refusal.
    ask(client, OTHER_PHONE, IDS[0])
    body = finish(client, "123456").get_data(as_text=True)
    assert "验证码不正确或已失效" in body
    assert db.session.get(User, user.id).password_hash == "!imported"
    # A malformed ID number is said so (it tells nothing about anyone).
    body = client.post("/claim", data={"phone": PHONE, "id_number": IDS[0][:-1] + "5"},
                       follow_redirects=True).get_data(as_text=True)
    assert "身份证号码无效" in body


def test_a_code_is_used_once_expires_and_dies_after_five_wrong_tries(client, imported, caplog):
    _tenant, user = imported
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        ask(client)
    [(_n, code)] = texts(caplog)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert "验证码不正确或已失效" in finish(client, wrong).get_data(as_text=True)
    # Five wrong tries: the right code no longer opens the account.
    assert "验证码不正确或已失效" in finish(client, code).get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == "!imported"

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        ask(client)
    [(_n, fresh)] = texts(caplog)
    row = db.session.scalar(select(AccountClaim).order_by(AccountClaim.id.desc()))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "验证码不正确或已失效" in finish(client, fresh).get_data(as_text=True)

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        ask(client)
    [(_n, third)] = texts(caplog)
    assert finish(client, third).status_code == 302
    client.post("/logout")
    # Reusing the used code, in a new claim session, changes nothing.
    ask(client)
    assert "验证码不正确或已失效" in finish(client, third, password="lingyige2027").get_data(
        as_text=True)
    assert user.check_password("xinmima2026")


def test_codes_per_hour_are_capped_and_guessing_is_throttled(app, client, imported, caplog,
                                                              monkeypatch):
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        for _ in range(5):
            ask(client)
    assert len(texts(caplog)) == 3  # three codes an hour reach one number
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per minute")
    limiter.reset()
    codes = [finish(client, f"{n:06d}").status_code for n in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    limiter.reset()
    asked = [ask(client, "13900000000").status_code for _ in range(12)]
    assert asked[10:] == [429, 429]


def test_an_imported_resident_with_an_id_number_claims_too_and_one_without_cannot(
        client, db, login, caplog):
    tenant = TenantFactory()
    AreaFactory(tenant=tenant, name="阳光社区", level="社区")
    login(user_with(tenant, Role.BUREAU_OFFICER))
    headers = ["姓名", "手机号", "居住区域", "服务对象", "身份证号码"]
    rows = [["孙一", "13833330001", "阳光社区", "", IDS[1]],
            ["孙二", "13833330002", "阳光社区", "", ""],
            ["孙三", "13833330003", "阳光社区", "", IDS[1]]]  # the same ID twice: refused
    upload(client, tenant, xlsx(headers, rows, "居民"), kind="residents")
    batch = latest(tenant)
    assert (batch.valid_rows, batch.error_rows) == (2, 1)
    client.post(f"/t/{tenant.slug}/imports/{batch.id}/confirm", data={"confirmed": "yes"})
    client.post("/logout")
    with caplog.at_level(logging.INFO, logger="gongzhi.sms"):
        ask(client, "13833330002", IDS[1])  # no ID on record: nothing is sent
        ask(client, "13833330001", IDS[1])
    [(number, code)] = texts(caplog)
    assert number == "138****0001"
    assert finish(client, code).status_code == 302
    assert db.session.scalar(select(User).where(User.phone == "13833330001")).check_password(
        "xinmima2026")
