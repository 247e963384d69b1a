"""Journey: a retired volunteer whom the street's list brought in (bulk import, no password)
signs in for the first time on her phone: the link on the sign-in page, her mobile and ID
number, the code from the text message, a password of her own, and she is in."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

PHONE, ID_NUMBER = "13812349901", "110101195503070028"


class _Texts(logging.Handler):
    """The text messages the logging gateway (the default) writes."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _imported_volunteer(app) -> None:
    from app.auth.models import Role, RoleGrant, User
    from app.db_commit import commit
    from app.extensions import db
    from app.tenancy.models import Tenant
    from app.volunteers.models import CONSENT_VERSION, VolunteerProfile

    with app.app_context():
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        if db.session.scalar(select(User).where(User.phone == PHONE)) is not None:
            return
        user = User(phone=PHONE, name="李桂兰", password_hash="!imported")
        db.session.add(user)
        db.session.flush()
        db.session.add_all([
            RoleGrant(user_id=user.id, tenant_id=tenant.id, role=Role.RESIDENT.value),
            RoleGrant(user_id=user.id, tenant_id=tenant.id, role=Role.VOLUNTEER.value),
            VolunteerProfile(tenant_id=tenant.id, user_id=user.id, real_name="李桂兰",
                             gender="F", birth_date=date(1955, 3, 7), id_number=ID_NUMBER,
                             phone=PHONE, consent_at=datetime.now(UTC),
                             consent_version=CONSENT_VERSION)])
        commit()


def test_an_imported_volunteer_claims_her_account_on_her_phone(journey, live_server):
    _base, app = live_server
    _imported_volunteer(app)
    texts = _Texts()
    sms_log = logging.getLogger("gongzhi.sms")
    sms_log.addHandler(texts)
    before = sms_log.level
    sms_log.setLevel(logging.INFO)
    try:
        j = journey("volunteer-claim")
        j.page.set_default_timeout(10000)
        page = j.go("/login")
        link = page.get_by_role("link", name="第一次登录 / 领取账号")
        assert link.is_visible()
        j.shot("sign-in page with the first sign-in link")
        link.click()
        page.wait_for_load_state()
        assert "第一次登录：领取账号" in page.inner_text("h1")
        page.fill("#phone", PHONE)
        page.fill("#id_number", ID_NUMBER)
        j.shot("mobile and ID number")
        with page.expect_navigation():
            page.get_by_role("button", name="发送验证码").click()
        body = page.inner_text("body")
        assert "138****9901" in body and PHONE not in body
        [line] = [x for x in texts.lines if "138****9901" in x]
        code = re.search(r"(\d{6})", line.split(":", 1)[1]).group(1)
        j.shot("code page")
        page.fill("#code", code)
        page.fill("#password", "guilan1955")
        page.fill("#confirm", "guilan1955")
        with page.expect_navigation():
            page.get_by_role("button", name="设置密码并登录").click()
        page.wait_for_load_state()
        assert "密码已设好，您已登录" in page.inner_text("body")
        j.shot("signed in")
        j.go("/login")
        assert j.problems == [], j.problems
    finally:
        sms_log.removeHandler(texts)
        sms_log.setLevel(before)
    with app.app_context():
        from app.auth.models import User
        from app.extensions import db

        user = db.session.scalar(select(User).where(User.phone == PHONE))
        assert user.check_password("guilan1955")
