"""Organization registration, certificate checks, bureau verification and re-submission."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from stdnum.cn import uscc

from app.auth.models import Role
from app.notifications.models import Notification
from app.orgs.models import Organization, OrgStatus
from tests.factories import AreaFactory, OrgFactory, TenantFactory, UserFactory, grant, user_with
from tests.orgs.files import PDF, png, upload


def code(n: int) -> str:
    base = f"9144030034{n:07d}"
    return base + uscc.calc_check_digit(base)


def form(**changes) -> dict:
    data = {"name": "幸福家园志愿者协会", "credit_code": code(1), "kind": "公益慈善类",
            "legal_representative": "陈明", "contact_name": "李华", "contact_phone": "13712345678",
            "contact_email": "", "description": "为社区老人提供陪伴服务", "parent_id": "0",
            "certificate": upload(PDF, "证书.pdf")}
    data.update(changes)
    return data


def register(client, tenant, **changes):
    return client.post(f"/t/{tenant.slug}/orgs/register", data=form(**changes),
                       content_type="multipart/form-data")


def org_count(db) -> int:
    return db.session.scalar(select(func.count(Organization.id)))


def setup(login):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    user = user_with(tenant, Role.RESIDENT)
    login(user)
    return tenant, officer, user


def test_registration_is_pending_and_makes_the_registrant_admin(app, client, db, login):
    tenant, officer, user = setup(login)
    area = AreaFactory(tenant=tenant, name="幸福社区")
    response = register(client, tenant, area_ids=[str(area.id)])
    assert response.status_code == 302
    org = db.session.scalar(select(Organization))
    assert (org.name, org.credit_code, org.status) == ("幸福家园志愿者协会", code(1), OrgStatus.PENDING)
    assert org.area_ids == [area.id]
    assert user.has_role(tenant.id, Role.ORG_ADMIN, org_id=org.id)
    stored = Path(app.config["UPLOAD_DIR"]) / org.certificate_file
    assert stored.read_bytes() == PDF and "static" not in stored.parts
    titles = db.session.scalars(select(Notification.title).where(Notification.user_id == officer.id))
    assert list(titles) == ["待审核的社会组织：幸福家园志愿者协会"]


def test_invalid_credit_code_is_explained_and_nothing_saved(client, db, login):
    tenant, _, _ = setup(login)
    body = register(client, tenant, credit_code="91440300340000000A").get_data(as_text=True)
    assert "统一社会信用代码无效" in body
    assert org_count(db) == 0


def test_duplicate_credit_code_in_the_same_tenant_is_refused(client, db, login):
    tenant, _, _ = setup(login)
    OrgFactory(tenant_id=tenant.id, credit_code=code(1))
    body = register(client, tenant).get_data(as_text=True)
    assert "该统一社会信用代码已有组织登记" in body
    assert org_count(db) == 1
    other = TenantFactory()
    login(grant(UserFactory(), other, Role.RESIDENT))
    assert register(client, other).status_code == 302


def test_certificate_type_is_checked_by_content(client, db, login):
    tenant, _, _ = setup(login)
    fake = upload(b"MZ\x90\x00 this is an executable", "certificate.pdf")
    body = register(client, tenant, certificate=fake).get_data(as_text=True)
    assert "只接受 PDF、PNG 或 JPEG 文件" in body
    broken_png = upload(b"\x89PNG\r\n\x1a\n" + b"0" * 50, "c.png")
    assert "只接受 PDF、PNG 或 JPEG 文件" in register(client, tenant, certificate=broken_png).get_data(as_text=True)
    assert org_count(db) == 0
    assert register(client, tenant, certificate=upload(png(), "scan.jpg")).status_code == 302
    assert db.session.scalar(select(Organization.certificate_mime)) == "image/png"


def test_certificate_too_large_or_missing(app, client, db, login, monkeypatch):
    tenant, _, _ = setup(login)
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    big = upload(PDF[:-7] + b"0" * (1024 * 1024) + b"\n%%EOF\n", "big.pdf")
    assert "文件超过 1 MB" in register(client, tenant, certificate=big).get_data(as_text=True)
    assert "请上传登记证书" in register(client, tenant, certificate=upload(b"", "")).get_data(as_text=True)
    assert org_count(db) == 0


def test_certificate_is_served_only_to_staff_and_oversight(app, client, db, login):
    tenant, officer, user = setup(login)
    register(client, tenant)
    org = db.session.scalar(select(Organization))
    url = f"/t/{tenant.slug}/orgs/{org.id}/certificate"
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    login(officer)
    assert client.get(url).status_code == 200
    login(user_with(tenant, Role.RESIDENT))
    assert client.get(url).status_code == 403
    client.post("/logout")
    assert client.get(url).status_code == 302
    assert client.get(f"/static/{org.certificate_file}").status_code == 404


def test_bureau_approves_and_the_org_is_told(client, db, login):
    tenant, officer, user = setup(login)
    register(client, tenant)
    org = db.session.scalar(select(Organization))
    client.post("/logout")
    assert client.get(f"/t/{tenant.slug}/orgs/{org.id}").status_code == 404  # not public yet
    login(officer)
    assert "幸福家园志愿者协会" in client.get(f"/t/{tenant.slug}/orgs/review").get_data(as_text=True)
    response = client.post(f"/t/{tenant.slug}/orgs/{org.id}/review", data={"decision": "approve", "confirmed": "yes"})
    assert response.status_code == 302
    assert org.status == OrgStatus.VERIFIED and org.reviewed_by_id == officer.id
    notes = db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
    assert list(notes) == ["幸福家园志愿者协会 已通过审核"]
    client.post("/logout")
    assert "为社区老人提供陪伴服务" in client.get(f"/t/{tenant.slug}/orgs/{org.id}").get_data(as_text=True)


def test_rejection_needs_a_reason_which_the_org_sees_then_resubmits(client, db, login):
    tenant, officer, user = setup(login)
    register(client, tenant)
    org = db.session.scalar(select(Organization))
    login(officer)
    url = f"/t/{tenant.slug}/orgs/{org.id}/review"
    body = client.post(url, data={"decision": "reject", "reason": "", "confirmed": "yes"}).get_data(as_text=True)
    assert "请填写不通过的理由" in body
    assert org.status == OrgStatus.PENDING
    client.post(url, data={"decision": "reject", "reason": "登记证书已过期", "confirmed": "yes"})
    assert (org.status, org.rejection_reason) == (OrgStatus.REJECTED, "登记证书已过期")
    note = db.session.scalar(select(Notification).where(Notification.user_id == user.id))
    assert note.title == "幸福家园志愿者协会：登记未通过审核" and "登记证书已过期" in note.body
    login(user)
    page = client.get(f"/t/{tenant.slug}/orgs/{org.id}/edit").get_data(as_text=True)
    assert "登记证书已过期" in page
    response = client.post(f"/t/{tenant.slug}/orgs/{org.id}/edit", content_type="multipart/form-data",
                           data=form(resubmit="1", certificate=upload(PDF, "new.pdf")))
    assert response.status_code == 302
    assert org.status == OrgStatus.PENDING


def test_only_the_bureau_verifies(client, db, login):
    tenant, officer, user = setup(login)
    register(client, tenant)
    org = db.session.scalar(select(Organization))
    for who in (user, user_with(tenant, Role.AUDITOR)):
        login(who)
        assert client.post(f"/t/{tenant.slug}/orgs/{org.id}/review",
                           data={"decision": "approve", "confirmed": "yes"}).status_code == 403
        assert client.get(f"/t/{tenant.slug}/orgs/review").status_code == 403
    assert org.status == OrgStatus.PENDING


def test_verified_identity_cannot_be_changed_by_the_org(client, db, login):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工", credit_code=code(7),
                     legal_representative="王五", contact_name="王五", contact_phone="13700000000")
    admin = user_with(tenant, Role.ORG_ADMIN, org)
    login(admin)
    changes = form(name="改名", credit_code=code(8), description="新的介绍")
    del changes["kind"], changes["certificate"]  # a disabled select is not sent by browsers
    response = client.post(f"/t/{tenant.slug}/orgs/{org.id}/edit", data=changes)
    assert response.status_code == 302
    assert (org.name, org.credit_code, org.description) == ("阳光社工", code(7), "新的介绍")
