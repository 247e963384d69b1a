"""Bulk imports: the templates, a file full of errors (shown per row and in the annotated
file), a clean file confirmed and audited, the same file again changing nothing, cancelling,
and who may import what."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.imports.models import ImportBatch
from app.orgs.models import Organization
from app.residents.models import ResidentProfile
from app.service.models import ServiceRecord, VolunteerStanding
from app.volunteers.models import VolunteerProfile
from tests.factories import CREDIT_CODES, AreaFactory, OrgFactory, TenantFactory, user_with
from tests.service.factories import profile

VOLUNTEER_HEADERS = ["真实姓名*", "身份证号码*", "性别", "出生日期", "手机号*", "居住区域",
                     "专业技能", "服务类别", "同意记录个人信息*"]
#: Valid ID numbers (check digits right): two men born 1990-03-07, a woman born 1985-06-12.
IDS = ["110101199003070011", "110101199003070038", "320102198506120026"]


def xlsx(headers, rows, sheet="志愿者") -> io.BytesIO:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def place(db):
    tenant = TenantFactory()
    street = AreaFactory(tenant=tenant, name="东街道", level="街道")
    AreaFactory(tenant=tenant, name="阳光社区", level="社区", parent=street)
    org = OrgFactory(tenant_id=tenant.id, name="阳光服务中心", credit_code=CREDIT_CODES[0])
    other = OrgFactory(tenant_id=tenant.id, name="彩虹协会", credit_code=CREDIT_CODES[1])
    return tenant, org, other, user_with(tenant, Role.BUREAU_OFFICER), \
        user_with(tenant, Role.ORG_ADMIN, org)


def upload(client, tenant, data, kind="volunteers", org_id=0, name="名单.xlsx"):
    return client.post(f"/t/{tenant.slug}/imports", data={
        "kind": kind, "org_id": org_id, "file": (data, name)},
        content_type="multipart/form-data")


def latest(tenant) -> ImportBatch:
    return db.session.scalar(select(ImportBatch).where(ImportBatch.tenant_id == tenant.id)
                             .order_by(ImportBatch.id.desc()))


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_templates_open_with_their_headers_example_and_lists(client, place, login):
    tenant, *_, officer, _admin = place
    login(officer)
    response = client.get(f"/t/{tenant.slug}/imports/template?kind=volunteers")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["志愿者"]
    assert [c.value for c in sheet[1]] == VOLUNTEER_HEADERS
    assert sheet["B2"].value == IDS[0]  # the example row (skipped when left as it is)
    assert "填写说明" in book.sheetnames
    lists = {str(v.sqref).split(":")[0][:1]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert set(lists) == {"C", "F", "I"}  # gender, area, consent
    assert book["选项"]["B2"].value == "东街道" and book["选项"]["B3"].value == "东街道/阳光社区"
    records = load_workbook(io.BytesIO(client.get(
        f"/t/{tenant.slug}/imports/template?kind=records").data))["服务记录"]
    assert [c.value for c in records[1]][:3] == ["志愿者身份证号码*", "服务日期*", "开始时间"]
    upload(client, tenant, io.BytesIO(response.data))  # sent back unchanged: nothing in it
    assert (latest(tenant).status, latest(tenant).total_rows) == ("ready", 0)


def test_a_file_full_of_errors_is_explained_row_by_row(client, place, login):
    tenant, _org, _other, officer, _admin = place
    taken = user_with(tenant, Role.VOLUNTEER, phone="13811110000")
    profile(tenant, taken, id_number=IDS[2])
    rows = [
        ["王一", "110101199003070012", "男", "", "13811110001", "", "", "", "是"],  # check digit
        ["王二", IDS[0], "男", "", "13811110002", "月亮社区", "", "", "是"],  # unknown area
        ["王三", IDS[1], "男", "", "13811110003", "阳光社区", "", "助老服务", "是"],
        ["王四", IDS[1], "男", "", "13811110004", "", "", "", "是"],  # same ID as row 4
        ["王五", IDS[2], "女", "", "13811110005", "", "", "", "是"],  # registered, other details
        ["王六", "440304199201010032", "男", "1992-13-40", "13811110006", "", "", "", "是"],
    ]
    login(officer)
    response = upload(client, tenant, xlsx(VOLUNTEER_HEADERS, rows))
    batch = latest(tenant)
    assert response.headers["Location"].endswith(f"/imports/{batch.id}")
    assert (batch.status, batch.total_rows, batch.valid_rows, batch.error_rows) == ("ready", 6, 1, 5)
    problems = {(e["row"], e["column"]) for e in batch.errors}
    assert problems == {(2, "身份证号码"), (3, "居住区域"), (5, "身份证号码"), (6, "身份证号码"),
                        (7, "出生日期")}
    page = client.get(f"/t/{tenant.slug}/imports/{batch.id}").get_data(as_text=True)
    assert "本区没有叫这个名字的区域。" in page and "与本文件第 4 行重复。" in page
    assert "身份证号码无效" in page and "信息与表中不同" in page
    assert IDS[2] not in page  # numbers are never echoed
    annotated = client.get(f"/t/{tenant.slug}/imports/{batch.id}/errors.xlsx")
    assert annotated.status_code == 200
    sheet = load_workbook(io.BytesIO(annotated.data))["志愿者"]
    assert sheet.cell(1, 10).value == "错误说明" and sheet.max_row == 6  # the 5 bad rows
    assert sheet.cell(2, 1).value == "王一" and sheet.cell(2, 10).value.startswith("第2行")
    assert sheet.cell(2, 2).fill.fgColor.rgb.endswith("FFC7CE")  # the bad cell in red
    assert not sheet.cell(2, 1).fill.fgColor.rgb.endswith("FFC7CE")


def test_a_clean_file_is_written_once_confirmed_audited_and_the_same_file_changes_nothing(
        client, place, login):
    tenant, _org, _other, officer, _admin = place
    rows = [["赵一", IDS[0], "", "", "13822220001", "东街道/阳光社区", "急救", "助老服务、文体活动", "是"],
            ["赵二", IDS[2], "女", date(1985, 6, 12), 13822220002, "", "", "", "是"]]
    login(officer)
    upload(client, tenant, xlsx(VOLUNTEER_HEADERS, rows))
    batch = latest(tenant)
    assert (batch.status, batch.valid_rows, batch.error_rows) == ("ready", 2, 0)
    assert re.fullmatch(rf"{tenant.id}/imports/[0-9a-f]{{32}}\.xlsx", batch.file_key)
    assert count(VolunteerProfile, VolunteerProfile.tenant_id == tenant.id) == 0
    page = client.get(f"/t/{tenant.slug}/imports/{batch.id}").get_data(as_text=True)
    assert "导入全部 2 行有效数据" in page
    status = client.get(f"/t/{tenant.slug}/imports/{batch.id}/status").get_json()
    assert (status["status"], status["pending"], status["progress"], status["valid"]) == (
        "ready", False, 100, 2)
    url = f"/t/{tenant.slug}/imports/{batch.id}/confirm"
    assert "请确认" in client.post(url).get_data(as_text=True)  # asked, nothing done
    assert batch.status == "ready"
    client.post(url, data={"confirmed": "yes"})
    assert (batch.status, batch.imported_rows) == ("done", 2)
    first = db.session.scalar(select(VolunteerProfile).where(VolunteerProfile.id_number == IDS[0]))
    assert (first.real_name, first.gender, first.birth_date) == ("赵一", "M", date(1990, 3, 7))
    assert first.service_categories == ["助老服务", "文体活动"] and first.user.phone == "13822220001"
    assert not first.user.check_password("")  # no password until the person sets one
    roles = set(db.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == first.user_id)))
    assert roles == {Role.RESIDENT, Role.VOLUNTEER}
    audited = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "import_batch", AuditEntry.object_id == str(batch.id))
        .order_by(AuditEntry.id)).all()
    assert audited[0].actor_id == officer.id and audited[0].changes["original_name"][1] == "名单.xlsx"
    assert any(e.changes.get("imported_rows", [0, 0])[1] == 2 for e in audited)

    users = count(User)
    upload(client, tenant, xlsx(VOLUNTEER_HEADERS, rows))
    again = latest(tenant)
    assert (again.valid_rows, again.existing_rows, again.error_rows) == (0, 2, 0)
    client.post(f"/t/{tenant.slug}/imports/{again.id}/confirm", data={"confirmed": "yes"})
    assert again.status == "ready" and count(User) == users


def test_cancelling_writes_nothing(client, place, login):
    tenant, _org, _other, officer, _admin = place
    login(officer)
    upload(client, tenant, xlsx(["姓名", "手机号", "居住区域", "服务对象"],
                                [["孙一", "13833330001", "阳光社区", "独居老人"]], "居民"),
           kind="residents")
    batch = latest(tenant)
    assert batch.valid_rows == 1
    batch.status, batch.progress = "validating", 40  # as a worker leaves it while checking
    db.session.flush()
    page = client.get(f"/t/{tenant.slug}/imports/{batch.id}").get_data(as_text=True)
    assert f'data-poll="/t/{tenant.slug}/imports/{batch.id}/status"' in page
    assert 'value="40"' in page and "取消导入" not in page
    batch.status = "ready"
    db.session.flush()
    client.post(f"/t/{tenant.slug}/imports/{batch.id}/cancel", data={"confirmed": "yes"})
    assert batch.status == "cancelled"
    client.post(f"/t/{tenant.slug}/imports/{batch.id}/confirm", data={"confirmed": "yes"})
    assert batch.status == "cancelled" and count(User, User.phone == "13833330001") == 0


def test_residents_and_organizations_are_imported_by_the_bureau(client, place, login):
    tenant, _org, _other, officer, _admin = place
    login(officer)
    upload(client, tenant, xlsx(["姓名", "手机号", "居住区域", "服务对象"],
                                [["孙二", "13833330002", "阳光社区", "独居老人"]], "居民"),
           kind="residents")
    client.post(f"/t/{tenant.slug}/imports/{latest(tenant).id}/confirm", data={"confirmed": "yes"})
    resident = db.session.scalar(select(User).where(User.phone == "13833330002"))
    assert resident.has_role(tenant.id, Role.RESIDENT)
    assert db.session.scalar(select(ResidentProfile.target_group).where(
        ResidentProfile.user_id == resident.id)) == "独居老人"
    orgs = [["新苗社工站", CREDIT_CODES[3], "公益慈善类", "钱七", "钱七", "13844440001"],
            ["重复的", CREDIT_CODES[0], "公益慈善类", "", "钱八", "13844440002"]]
    headers = ["组织名称", "统一社会信用代码", "组织类型", "法定代表人", "联系人", "联系人手机号"]
    upload(client, tenant, xlsx(headers, orgs, "社会组织"), kind="organizations")
    batch = latest(tenant)
    assert (batch.valid_rows, batch.error_rows) == (1, 1)  # the second code is registered
    client.post(f"/t/{tenant.slug}/imports/{batch.id}/confirm", data={"confirmed": "yes"})
    made = db.session.scalar(select(Organization).where(Organization.credit_code == CREDIT_CODES[3],
                                                        Organization.tenant_id == tenant.id))
    assert (made.name, made.status, made.reviewed_by_id) == ("新苗社工站", "verified", officer.id)


RECORD_HEADERS = ["志愿者身份证号码", "服务日期", "开始时间", "结束时间", "服务时长（小时）",
                  "组织名称", "活动名称", "服务类别"]


def test_past_records_are_imported_once_tagged_and_counted(app, client, place, login):
    tenant, org, _other, _officer, admin = place
    volunteer = user_with(tenant, Role.VOLUNTEER)
    profile(tenant, volunteer, id_number=IDS[0])
    rows = [[IDS[0], "2025-10-01", "09:00", "11:30", "", "", "重阳探访", "助老服务"],
            [IDS[0], "2025-10-02", "", "", 2, org.credit_code, "读书会", ""],
            [IDS[0], "2025-10-01", "09:00", "10:00", "", "", "重复", ""]]
    login(admin)
    upload(client, tenant, xlsx(RECORD_HEADERS, rows, "服务记录"), kind="records", org_id=org.id)
    batch = latest(tenant)
    assert (batch.org_id, batch.valid_rows, batch.error_rows) == (org.id, 2, 1)
    client.post(f"/t/{tenant.slug}/imports/{batch.id}/confirm", data={"confirmed": "yes"})
    records = db.session.scalars(select(ServiceRecord).where(ServiceRecord.user_id == volunteer.id)
                                 .order_by(ServiceRecord.activity_date)).all()
    assert [(r.minutes, r.method, r.status, r.shift_id, r.org_id) for r in records] == [
        (150, "import", "verified", None, org.id), (120, "import", "verified", None, org.id)]
    assert records[0].organizing_unit == org.name and records[1].checked_in_at is None
    assert db.session.scalar(select(VolunteerStanding.verified_minutes).where(
        VolunteerStanding.user_id == volunteer.id)) == 270
    upload(client, tenant, xlsx(RECORD_HEADERS, rows[:2], "服务记录"), kind="records",
           org_id=org.id)
    assert (latest(tenant).valid_rows, latest(tenant).existing_rows) == (0, 2)
    own = login(volunteer, c=app.test_client())
    mine = own.get(f"/t/{tenant.slug}/service/me").get_data(as_text=True)
    assert "重阳探访" in mine and "从其他系统导入" in mine
    assert f"/records/{records[0].id}/correct" not in mine  # corrected where it was recorded
    asked = own.get(f"/t/{tenant.slug}/service/records/{records[0].id}/correct")
    assert asked.status_code == 302 and asked.headers["Location"].endswith("/service/me")


def test_who_may_import_what(app, client, place, login):
    tenant, org, other, officer, admin = place
    stranger = TenantFactory()
    outsider = user_with(stranger, Role.BUREAU_OFFICER)
    login(officer)
    upload(client, tenant, xlsx(VOLUNTEER_HEADERS, [["钱一", IDS[0], "", "", "13855550001", "",
                                                      "", "", "是"]]))
    batch = latest(tenant)
    base = f"/t/{tenant.slug}/imports"

    other_tenant = login(outsider, c=app.test_client())
    for url in (f"{base}/{batch.id}", f"{base}/{batch.id}/status", f"{base}/{batch.id}/errors.xlsx"):
        assert other_tenant.get(url).status_code in (403, 404)
    own_slug = f"/t/{stranger.slug}/imports/{batch.id}"
    assert other_tenant.get(own_slug).status_code == 404
    assert other_tenant.post(f"{own_slug}/confirm", data={"confirmed": "yes"}).status_code == 404
    assert batch.status == "ready"

    org_admin = login(admin, c=app.test_client())
    for kind in ("residents", "organizations"):
        assert upload(org_admin, tenant, xlsx(["姓名"], []), kind=kind, org_id=org.id).status_code == 403
    assert upload(org_admin, tenant, xlsx(RECORD_HEADERS, []), kind="records",
                  org_id=other.id).status_code == 403
    assert upload(org_admin, tenant, xlsx(RECORD_HEADERS, []), kind="records").status_code == 403
    assert org_admin.get(f"{base}/{batch.id}").status_code == 403  # the bureau's batch
    assert org_admin.post(f"{base}/{batch.id}/confirm", data={"confirmed": "yes"}).status_code == 403

    resident = login(user_with(tenant, Role.RESIDENT), c=app.test_client())
    assert resident.get(base).status_code == 403
    assert resident.get(f"{base}/template?kind=volunteers").status_code == 403
    assert upload(resident, tenant, xlsx(VOLUNTEER_HEADERS, [])).status_code == 403
    assert count(ImportBatch, ImportBatch.tenant_id == tenant.id) == 1


def test_only_real_xlsx_files_are_accepted(client, place, login):
    tenant, *_, officer, _admin = place
    login(officer)
    page = upload(client, tenant, io.BytesIO(b"name,phone\n"), name="名单.xlsx")
    assert page.status_code == 200 and "只接受" in page.get_data(as_text=True)
    assert latest(tenant) is None
