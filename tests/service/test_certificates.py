"""Proof of service: a numbered PDF in Chinese with the ID masked, verifiable by anyone;
changes and made-up numbers are detected."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf
import pytest
from sqlalchemy import select, update

from app.auth.models import Role
from app.db import utcnow
from app.notifications.models import Notification
from app.service import certificates
from app.service.certificates import ServiceError, issue, verify
from app.service.hours import local_date
from app.service.models import Certificate, RecordMethod, RecordStatus, ServiceRecord
from app.service.services import snapshot
from tests.factories import OrgFactory, user_with
from tests.service.factories import make_project, make_shift, profile, scene

NOW = utcnow()
TODAY = local_date(NOW)


def served(db, shift, user, minutes: int) -> ServiceRecord:
    row = ServiceRecord(**snapshot(shift), user_id=user.id, checked_in_at=shift.starts_at,
                        checked_out_at=shift.starts_at + timedelta(minutes=minutes),
                        minutes=minutes, method=RecordMethod.QR, status=RecordStatus.VERIFIED)
    db.session.add(row)
    db.session.flush()
    return row


def volunteer_with_service(db):
    s = scene()
    profile(s.tenant, s.volunteer)
    rainbow = OrgFactory(tenant_id=s.tenant.id, name="彩虹文体协会", contact_name="李敏",
                         contact_phone="13900000456")
    s.org.contact_name, s.org.contact_phone = "黄丽", "13700000012"
    served(db, s.shift, s.volunteer, 150)
    other_shift = make_shift(make_project(s.tenant, rainbow, name="文艺汇演", category="文体活动"),
                             starts_at=s.shift.starts_at + timedelta(days=7), hours=4)
    served(db, other_shift, s.volunteer, 240)
    void = make_shift(s.project, starts_at=s.shift.starts_at + timedelta(days=14))
    served(db, void, s.volunteer, 0).status = RecordStatus.VOID
    return s


def pdf_text(data: bytes) -> str:
    """The PDF's text with all white space removed (the title is letter-spaced)."""
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def test_certificate_states_hours_content_and_recording_units(zh):
    s = volunteer_with_service(zh)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW)
    assert cert.number.startswith(f"GZ{TODAY.year}-") and len(cert.number) == 17
    assert (cert.total_minutes, cert.record_count) == (390, 2)
    c = cert.content
    assert c["volunteer"] == {"name": "张伟", "id_number": "110************019"}
    assert c["organizations"] == [
        {"name": "彩虹文体协会", "minutes": 240, "records": 1, "contact_name": "李敏",
         "contact_phone": "139****0456"},
        {"name": "阳光社区服务中心", "minutes": 150, "records": 1, "contact_name": "黄丽",
         "contact_phone": "137****0012"}]
    assert [a["name"] for a in c["activities"]] == ["助老送餐", "文艺汇演"]
    assert cert.digest == certificates.digest_of(c) and len(cert.signature) == 64


def test_the_pdf_is_chinese_with_the_id_masked(zh):
    s = volunteer_with_service(zh)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW,
                 base_url="https://gongzhi.example.cn/")
    data = certificates.render_pdf(cert)
    text = pdf_text(data)
    for expected in ("志愿服务记录证明", cert.number, "张伟", "110************019", "6.5",
                     "阳光社区服务中心", "彩虹文体协会", "为独居老人送午餐", cert.digest[:16],
                     f"https://gongzhi.example.cn/t/{s.tenant.slug}/service/verify/{cert.number}"):
        assert expected in text, expected
    assert "110105198503070019" not in text
    fonts = {str(font.get_object()["/BaseFont"])
             for page in pypdf.PdfReader(io.BytesIO(data)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("+Noto-Sans-CJK-SC") for name in fonts), fonts
    assert all("Noto-Sans" in name for name in fonts), fonts  # no fallback font anywhere


def test_the_pdf_follows_the_ministry_template_and_says_who_certifies(zh):
    """志愿服务记录证明 as 民政部 lays it out: number and issue date, the volunteer with the ID
    masked, the period, hours and content, then each recording unit (记录单位) with its
    contact and a line for its seal; the platform only makes the document on their behalf."""
    s = volunteer_with_service(zh)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW,
                 base_url="https://gongzhi.example.cn")
    text = pdf_text(certificates.render_pdf(cert))
    issued = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
    for expected in (f"编号：{cert.number}", f"出具日期：{issued}", "兹证明张伟",
                     "身份证件号码：110************019", "2026年1月1日至", "累计志愿服务时长6.5小时",
                     "服务内容", "为独居老人送午餐", "记录单位：阳光社区服务中心", "记录单位：彩虹文体协会",
                     "联系人：黄丽", "联系电话：137****0012", "联系人：李敏", "联系电话：139****0456",
                     "谁记录谁证明", "由记录单位记录并核实", "受记录单位委托", cert.digest[:16]):
        assert expected in text, expected
    assert text.count("记录单位（盖章）") == 2  # one seal line per recording unit
    assert "13700000012" not in text and "110105198503070019" not in text
    assert "代各记录单位免费开具" not in text  # the platform does not certify in their place


def test_verification_detects_changes_and_made_up_numbers(zh):
    s = volunteer_with_service(zh)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW)
    assert verify(s.tenant.id, cert.number).status == "genuine"
    assert verify(s.tenant.id, cert.number.lower()).status == "genuine"
    assert verify(s.tenant.id, "GZ2026-0000000000").status == "unknown"
    assert verify(s.tenant.id, cert.number, cert.digest[:16]).code_matches is True
    assert verify(s.tenant.id, cert.number, "0" * 16).code_matches is False

    forged = dict(cert.content, total_minutes=9000)
    zh.session.execute(update(Certificate).values(content=forged, total_minutes=9000))
    assert verify(s.tenant.id, cert.number).status == "altered"
    # Even with a recomputed digest, the signature (made with the app secret) gives it away.
    zh.session.execute(update(Certificate).values(digest=certificates.digest_of(forged)))
    assert verify(s.tenant.id, cert.number).status == "altered"


def test_certificates_are_per_tenant(zh):
    s = volunteer_with_service(zh)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW)
    other = scene()
    assert verify(other.tenant.id, cert.number).status == "unknown"


@pytest.mark.parametrize(("start", "end", "message"), [
    (date(2026, 6, 1), date(2026, 1, 1), "起始日期不能晚于截止日期"),
    (date(2026, 1, 1), TODAY + timedelta(days=40), "不能晚于今天"),
    (date(2025, 1, 1), date(2025, 12, 31), "没有已核实的服务时长"),
])
def test_bad_periods_are_refused(zh, start, end, message):
    s = volunteer_with_service(zh)
    with pytest.raises(ServiceError, match=message):
        issue(s.tenant, s.volunteer, s.volunteer, start, end, now=NOW)
    assert zh.session.scalar(select(Certificate)) is None


def test_nobody_requests_a_certificate_for_someone_else(zh):
    s = volunteer_with_service(zh)
    with pytest.raises(ServiceError, match="只能申请本人") as err:
        issue(s.tenant, s.volunteer, s.coordinator, date(2026, 1, 1), TODAY, now=NOW)
    assert err.value.status == 403
    assert zh.session.scalar(select(Certificate)) is None


def test_request_download_and_verify_on_the_pages(app, client, db, login):
    s = volunteer_with_service(db)
    login(s.volunteer)
    base = f"/t/{s.tenant.slug}/service"
    response = client.post(f"{base}/me/certificates",
                           data={"date_from": "2026-01-01", "date_to": TODAY.isoformat()})
    assert response.status_code == 302
    cert = db.session.scalar(select(Certificate))
    assert cert.pdf_status == "ready"
    page = client.get(f"{base}/me").get_data(as_text=True)
    assert cert.number in page and "下载 PDF" in page
    pdf = client.get(f"{base}/certificates/{cert.id}.pdf")
    assert pdf.mimetype == "application/pdf" and "志愿服务记录证明" in pdf_text(pdf.data)

    other = login(s.other, c=app.test_client())
    assert other.get(f"{base}/certificates/{cert.id}.pdf").status_code == 403

    anonymous = app.test_client()
    genuine = anonymous.get(f"{base}/verify/{cert.number}?c={cert.digest[:16]}")
    body = genuine.get_data(as_text=True)
    assert genuine.status_code == 200 and "真实有效" in body and "张*" in body
    assert "6.5" in body and "110************019" in body and "张伟" not in body
    made_up = anonymous.get(f"{base}/verify/GZ2026-FFFFFFFFFF")
    assert made_up.status_code == 404 and "未找到该编号的证明" in made_up.get_data(as_text=True)
    wrong_code = anonymous.get(f"{base}/verify/{cert.number}?c=0000000000000000")
    body = wrong_code.get_data(as_text=True)
    assert "校验码与该编号的证明不符" in body and "真实有效" not in body
    form = anonymous.get(f"{base}/verify?number={cert.number}")
    assert form.status_code == 302 and form.headers["Location"].endswith(cert.number)


def test_large_certificates_are_rendered_by_a_job(client, db, login, monkeypatch):
    monkeypatch.setattr(certificates, "LARGE", 1)
    s = volunteer_with_service(db)
    login(s.volunteer)
    body = client.post(f"/t/{s.tenant.slug}/service/me/certificates",
                       data={"date_from": "2026-01-01", "date_to": TODAY.isoformat()},
                       follow_redirects=True).get_data(as_text=True)
    assert "正在生成" in body
    cert = db.session.scalar(select(Certificate))
    assert cert.pdf_status == "ready" and certificates.has_pdf(cert)  # inline job ran
    note = db.session.scalar(select(Notification).where(Notification.user_id == s.volunteer.id))
    assert note.title == f"您的志愿服务记录证明 {cert.number} 已生成"


def test_staff_cannot_download_a_volunteers_certificate(app, client, db, login):
    s = volunteer_with_service(db)
    cert = issue(s.tenant, s.volunteer, s.volunteer, date(2026, 1, 1), TODAY, now=NOW)
    login(user_with(s.tenant, Role.BUREAU_OFFICER))
    assert client.get(f"/t/{s.tenant.slug}/service/certificates/{cert.id}.pdf").status_code == 403
