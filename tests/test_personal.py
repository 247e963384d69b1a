"""Personal information (个人信息保护法): consent at registration with its version and time,
readable documents, the person's own data to download, and closing the account."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.auth.models import ApiToken, Role, User
from app.complaints.models import Complaint
from app.db import utcnow
from app.notifications.models import Notification
from app.personal.models import DOCUMENTS, Consent
from app.privacy import mask_phone
from app.projects.models import ShiftSignup, SignupStatus
from app.service.models import ServiceRecord
from app.volunteers.models import VolunteerProfile
from tests.factories import PASSWORD, TenantFactory, user_with
from tests.service.factories import book, confirm, make_shift, make_slot, profile, scene
from tests.service.test_certificates import served

FORM = {"name": "张三", "account": "13911112222", "password": "abc12345", "confirm": "abc12345"}


def test_registration_records_consent_to_each_document_with_version_and_time(client, db):
    tenant = TenantFactory()
    before = utcnow()
    assert client.post(f"/t/{tenant.slug}/register", data={**FORM, "agree": "y"}).status_code == 302
    user = db.session.scalar(select(User).where(User.phone == "13911112222"))
    consents = db.session.scalars(select(Consent).where(Consent.user_id == user.id)).all()
    assert {(c.document, c.version) for c in consents} == set(DOCUMENTS.items())
    assert all(before <= c.given_at <= utcnow() and c.withdrawn_at is None for c in consents)
    page = client.get("/account").get_data(as_text=True)
    assert "用户协议 · 版本 2026-12" in page and "隐私政策 · 版本 2026-12" in page


def test_registration_without_consent_is_refused(client, db):
    tenant = TenantFactory()
    response = client.post(f"/t/{tenant.slug}/register", data=FORM)
    assert response.status_code == 200
    assert "注册须同意《用户协议》和《隐私政策》。" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0
    assert db.session.scalar(select(func.count(Consent.id))) == 0


def test_the_documents_are_pages_anyone_can_read(client, db):
    tenant = TenantFactory()
    form = client.get(f"/t/{tenant.slug}/register").get_data(as_text=True)
    assert 'href="/terms"' in form and 'href="/privacy"' in form
    assert "我已阅读并同意《用户协议》和《隐私政策》" in form
    terms = client.get("/terms").get_data(as_text=True)
    assert "<h1>用户协议</h1>" in terms and "版本 2026-12" in terms
    assert "志愿服务是自愿、无偿的" in terms and "谁记录谁证明" in terms
    privacy = client.get("/privacy").get_data(as_text=True)
    for words in ("<h1>隐私政策</h1>", "民政部令第67号", "身份证件号码", "138****5678",
                  "不出售", "注销账号"):
        assert words in privacy, words


def volunteer_with_records(db):
    """A volunteer who served once (leader 协调员), has an upcoming shift, a complaint about
    them answered by the coordinator, a message and an API token."""
    s = scene()
    profile(s.tenant, s.volunteer)
    served(db, s.shift, s.volunteer, 150)
    upcoming = make_shift(s.project, starts_at=utcnow() + timedelta(days=10), capacity=1)
    confirm(upcoming, s.volunteer)
    resident = user_with(s.tenant, Role.RESIDENT, name="周大爷")
    booking = book(make_slot(s.project), resident)
    db.session.add(Complaint(tenant_id=s.tenant.id, org_id=s.org.id, booking_id=booking.id,
                             user_id=resident.id, volunteer_id=s.volunteer.id,
                             body="=HYPERLINK(\"x\") 迟到了半小时", status="answered",
                             answer="已提醒志愿者", answered_by_id=s.coordinator.id))
    db.session.add(Notification(user_id=s.volunteer.id, tenant_id=s.tenant.id, title="明天有服务"))
    db.session.add(ApiToken(user_id=s.volunteer.id, name="手机", token_hash="f" * 64,
                            expires_at=utcnow() + timedelta(days=90)))
    db.session.flush()
    return s, upcoming


def test_a_person_downloads_everything_held_about_them(app, client, db, login):
    s, _ = volunteer_with_records(db)
    login(s.volunteer)
    page = client.get("/account/my-data").get_data(as_text=True)
    assert "服务记录：1 条" in page and "关于我的投诉：1 条" in page

    response = client.get("/account/my-data.json")
    assert response.headers["Cache-Control"] == "no-store"
    mine = json.loads(response.data)
    assert mine["account"] == [{"name": "张伟", "phone": s.volunteer.phone, "email": None,
                                "created_at": mine["account"][0]["created_at"],
                                "last_login_at": mine["account"][0]["last_login_at"]}]
    assert mine["volunteer"][0]["id_number"] == "110105198503070019"  # their own, in full
    assert mine["roles"] == [{"role": "志愿者", "district": s.tenant.name, "organization": ""}]
    [record] = mine["service_records"]
    assert (record["activity"], record["minutes"], record["status"]) == ("助老送餐", 150, "已核实")
    assert record["leader"] == "协**"  # another person: masked
    [about] = mine["complaints_about_me"]
    assert about["answered_by"] == "协**" and "迟到了半小时" in about["body"]
    assert mine["signups"][-1]["status"] == "已确认"
    assert mine["messages"][0]["title"] == "明天有服务"
    assert "周大爷" not in response.get_data(as_text=True)  # the resident who complained

    workbook = load_workbook(io.BytesIO(client.get("/account/my-data.xlsx").data))
    assert {"我的账号", "志愿者信息", "服务记录", "关于我的投诉"} <= set(workbook.sheetnames)
    sheet = workbook["服务记录"]
    assert [c.value for c in sheet[1]][:3] == ["日期", "活动", "地点"]
    assert sheet["B2"].value == "助老送餐"
    complaint = workbook["关于我的投诉"]["B2"]
    assert complaint.data_type == "s" and complaint.value.startswith("=HYPERLINK")  # never a formula

    other = login(s.other, c=app.test_client())
    assert "张伟" not in other.get("/account/my-data.json").get_data(as_text=True)
    assert app.test_client().get("/account/my-data.json").status_code == 302  # sign in first


def test_closing_asks_for_the_tick_and_the_password(client, db, login):
    s, _ = volunteer_with_records(db)
    login(s.volunteer)
    page = client.get("/account/close").get_data(as_text=True)
    assert "注销后不可恢复" in page and "服务记录" in page
    untick = client.post("/account/close", data={"password": PASSWORD})
    assert untick.status_code == 400 and "请勾选确认。" in untick.get_data(as_text=True)
    wrong = client.post("/account/close", data={"password": "nope1234", "understood": "y"})
    assert "当前密码不正确。" in wrong.get_data(as_text=True)
    db.session.refresh(s.volunteer)
    assert s.volunteer.active and s.volunteer.closed_at is None


def test_closing_withdraws_consent_erases_and_masks_what_must_stay(app, client, db, login):
    s, upcoming = volunteer_with_records(db)
    db.session.add_all([Consent(user_id=s.volunteer.id, document=d, version=v)
                        for d, v in DOCUMENTS.items()])
    waitlisted = ShiftSignup(tenant_id=s.tenant.id, shift_id=upcoming.id,
                             user_id=user_with(s.tenant, Role.VOLUNTEER).id,
                             status=SignupStatus.WAITLISTED, queued_at=utcnow())
    db.session.add(waitlisted)
    phone = s.volunteer.phone
    volunteer_phone = db.session.scalar(select(VolunteerProfile.phone).where(
        VolunteerProfile.user_id == s.volunteer.id))
    login(s.volunteer)
    response = client.post("/account/close", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # signed out everywhere

    user = db.session.get(User, s.volunteer.id)
    assert (user.active, user.name, user.phone, user.grants) == (False, "张*", None, [])
    assert user.closed_at is not None and user.email == f"closed-{user.id}@closed.invalid"
    assert all(c.withdrawn_at for c in db.session.scalars(select(Consent).where(
        Consent.user_id == user.id)))
    assert not db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
    assert not db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).all()
    # Kept, masked: the service record (民政部令第67号) and the volunteer record it names.
    assert db.session.scalar(select(ServiceRecord.minutes).where(ServiceRecord.user_id == user.id)) == 150
    record = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
    assert (record.real_name, record.phone) == ("张*", mask_phone(volunteer_phone))
    assert "110105198503070019" not in record.id_number
    # The place not yet served goes to the next in line.
    db.session.refresh(waitlisted)
    assert waitlisted.status == SignupStatus.CONFIRMED
    # The phone number is free again, and nobody signs in to the closed account.
    signin = app.test_client().post("/login", data={"account": phone, "password": PASSWORD})
    assert "账号或密码错误" in signin.get_data(as_text=True)


def test_the_only_admin_hands_over_before_closing(client, db, login):
    s = scene()
    login(s.admin)
    response = client.post("/account/close", data={"password": PASSWORD, "understood": "y"})
    assert "您是阳光社区服务中心唯一的管理员" in response.get_data(as_text=True)
    db.session.refresh(s.admin)
    assert s.admin.active
