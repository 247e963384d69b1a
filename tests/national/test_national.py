"""The national volunteer system: exports in its template's layout (kept as data), the import
of its records (tagged, never counted twice), the round trip, and who may do what."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.exports.models import Export
from app.extensions import db
from app.imports.models import ImportBatch
from app.national import mapping
from app.service.models import ServiceRecord, VolunteerStanding
from app.service.standing import recompute_stars
from tests.factories import CREDIT_CODES, OrgFactory, TenantFactory, user_with
from tests.national import generate

RECORD_HEADERS = ["记录编号*", "志愿者姓名*", "证件类型*", "证件号码*", "活动名称*", "服务日期*",
                  "服务地点", "服务内容", "服务时长（小时）*", "服务类别", "组织单位*", "记录人"]


@pytest.fixture
def place(db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光服务中心", credit_code=CREDIT_CODES[0])
    other = OrgFactory(tenant_id=tenant.id, name="彩虹协会", credit_code=CREDIT_CODES[1])
    return tenant, org, other, user_with(tenant, Role.BUREAU_OFFICER), \
        user_with(tenant, Role.ORG_ADMIN, org)


def exported(client, tenant, kind, org_id=0) -> bytes:
    response = client.post(f"/t/{tenant.slug}/national/export",
                           data={"kind": kind, "org_id": org_id})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id)
                               .order_by(Export.id.desc()))
    assert export.status == "ready", export.error
    got = client.get(f"/t/{tenant.slug}/exports/{export.id}/download")
    assert got.status_code == 200
    return got.data


def imported(client, tenant, data: bytes, org_id=0, confirm=True) -> ImportBatch:
    client.post(f"/t/{tenant.slug}/imports", data={
        "kind": "national_records", "org_id": org_id, "file": (io.BytesIO(data), "全国.xlsx")},
        content_type="multipart/form-data")
    batch = db.session.scalar(select(ImportBatch).where(ImportBatch.tenant_id == tenant.id)
                              .order_by(ImportBatch.id.desc()))
    assert batch.status == "ready", batch.error
    if confirm and batch.valid_rows:
        client.post(f"/t/{tenant.slug}/imports/{batch.id}/confirm", data={"confirmed": "yes"})
        assert batch.status == "done", batch.error
    return batch


def standings(tenant) -> dict[int, tuple[int, int]]:
    recompute_stars(tenant)
    return {u: (m, s) for u, m, s in db.session.execute(
        select(VolunteerStanding.user_id, VolunteerStanding.verified_minutes,
               VolunteerStanding.stars).where(VolunteerStanding.tenant_id == tenant.id))}


def records_of(tenant) -> int:
    return db.session.scalar(select(func.count()).select_from(ServiceRecord)
                             .where(ServiceRecord.tenant_id == tenant.id))


def test_round_trip_loses_nothing_and_doubles_nothing(client, place, login):
    tenant, org, _other, officer, _admin = place
    users = generate.volunteers(tenant, 50)
    generate.records(tenant, org, users, 500, officer.id)
    before, totals = generate.snapshot(tenant), standings(tenant)
    assert sum(before.values()) == 500
    login(officer)
    data = exported(client, tenant, "national_records")
    sheet = load_workbook(io.BytesIO(data), read_only=True)["服务时长"]
    head = [list(r) for r in sheet.iter_rows(max_row=3, values_only=True)]
    assert head[0][0].startswith("志愿服务记录批量导入模板") and head[1] == RECORD_HEADERS
    assert isinstance(head[2][8], float) and head[2][3] == generate.id_number(0)

    # Back while the records are here: each is the same service, counted once.
    again = imported(client, tenant, data)
    assert (again.total_rows, again.valid_rows, again.existing_rows, again.error_rows) == (
        500, 0, 500, 0)
    assert records_of(tenant) == 500

    db.session.execute(delete(ServiceRecord).where(ServiceRecord.tenant_id == tenant.id))
    batch = imported(client, tenant, data)
    assert (batch.valid_rows, batch.imported_rows, batch.error_rows) == (500, 500, 0)
    assert generate.snapshot(tenant) == before
    assert standings(tenant) == totals
    tags = db.session.execute(select(ServiceRecord.method, ServiceRecord.source,
                                     func.count(func.distinct(ServiceRecord.source_key)),
                                     func.sum(ServiceRecord.points))
                              .where(ServiceRecord.tenant_id == tenant.id)
                              .group_by(ServiceRecord.method, ServiceRecord.source)).all()
    assert [tuple(t) for t in tags] == [("import", "national", 500, 0)]

    # The same file once more, and the file exported again from the imported records.
    assert imported(client, tenant, data).existing_rows == 500
    assert imported(client, tenant, exported(client, tenant, "national_records")).valid_rows == 0
    assert records_of(tenant) == 500 and standings(tenant) == totals


def test_a_national_record_keeps_its_number_and_counts_once(client, place, login):
    tenant, org, other, officer, admin = place
    users = generate.volunteers(tenant, 2)
    first = generate.id_number(0)
    book = Workbook()
    ws = book.active
    ws.title = "服务时长"
    ws.append(["志愿服务记录批量导入模板"])
    ws.append(RECORD_HEADERS)
    ws.append(["N-1", "志愿者00000", "居民身份证", first, "社区义诊", "2025-05-01", "", "", 2.5,
               "", "外区志愿者协会", "王"])
    ws.append(["N-2", "志愿者00000", "居民身份证", first, "社区义诊", "2025-05-02", "", "", 1,
               "", org.name, ""])
    ws.append(["N-3", "别人", "居民身份证", first, "社区义诊", "2025-05-03", "", "", 1, "",
               org.name, ""])  # not the name registered with this ID number
    ws.append(["N-2", "志愿者00000", "居民身份证", first, "读书", "2025-05-04", "", "", 1, "",
               org.name, ""])  # the same record number twice
    ws.append(["N-5", "志愿者00000", "护照", first, "读书", "2025-05-05", "", "", 1, "",
               other.name, ""])
    out = io.BytesIO()
    book.save(out)
    login(admin)
    batch = imported(client, tenant, out.getvalue(), org_id=org.id)
    assert (batch.valid_rows, batch.error_rows) == (2, 3)
    assert {(e["row"], e["column"]) for e in batch.errors} == {
        (5, "志愿者姓名"), (6, "记录编号"), (7, "证件类型"), (7, "组织单位")}
    rows = db.session.execute(select(ServiceRecord.source_key, ServiceRecord.org_id,
                                     ServiceRecord.organizing_unit, ServiceRecord.minutes)
                              .where(ServiceRecord.user_id == users[0])
                              .order_by(ServiceRecord.source_key)).all()
    # A unit not registered here: the organization importing it, the unit's name kept.
    assert [tuple(r) for r in rows] == [("N-1", org.id, "外区志愿者协会", 150),
                                        ("N-2", org.id, org.name, 60)]
    assert standings(tenant)[users[0]] == (210, 0)

    # Later: a second national record alike N-2 but for its number is another service; the
    # national copy of a service recorded here is the same service.
    generate.records(tenant, org, [users[1]], 1, officer.id)  # 2024-01-01, 重阳节探访, 30 min
    book = Workbook()
    ws = book.active
    ws.append(RECORD_HEADERS)
    ws.append(["N-7", "志愿者00000", "居民身份证", first, "社区义诊", "2025-05-02", "", "", 1,
               "", org.name, ""])
    ws.append(["N-8", "志愿者00001", "居民身份证", generate.id_number(1), "重阳节探访",
               "2024-01-01", "", "", 0.5, "", org.name, ""])
    out = io.BytesIO()
    book.save(out)
    later = imported(client, tenant, out.getvalue(), org_id=org.id)
    assert (later.imported_rows, later.existing_rows) == (1, 1)
    assert standings(tenant)[users[0]] == (270, 0) and standings(tenant)[users[1]] == (30, 0)

    # The bureau's import: a unit not registered here is refused, unless the record is here.
    book = Workbook()
    ws = book.active
    ws.append(RECORD_HEADERS)
    for key, day in (("N-1", "2025-05-01"), ("N-9", "2025-05-09")):
        ws.append([key, "志愿者00000", "居民身份证", first, "社区义诊", day, "", "", 2.5, "",
                   "外区志愿者协会", "王"])
    out = io.BytesIO()
    book.save(out)
    login(officer)
    district = imported(client, tenant, out.getvalue(), confirm=False)
    assert (district.valid_rows, district.existing_rows, district.error_rows) == (0, 1, 1)
    assert district.errors[0]["row"] == 3 and district.errors[0]["column"] == "组织单位"
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "import_batch", AuditEntry.object_id == str(batch.id))
        .order_by(AuditEntry.id)).all()
    assert entries and entries[0].actor_id == admin.id


def test_the_layout_is_data_a_changed_template_is_followed(app, client, place, login, tmp_path,
                                                           monkeypatch):
    tenant, org, _other, officer, _admin = place
    users = generate.volunteers(tenant, 3)
    generate.records(tenant, org, users, 3, officer.id)
    table = json.loads(mapping.DEFAULT.read_text(encoding="utf-8"))
    table["records"]["sheet"] = "时长记录"
    table["records"]["header_row"] = 1
    hours = next(c for c in table["records"]["columns"] if c["field"] == "hours")
    hours["header"] = "志愿服务时长"
    date_ = next(c for c in table["records"]["columns"] if c["field"] == "date")
    date_["date_format"] = "%Y%m%d"
    changed = tmp_path / "national.json"
    changed.write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    login(officer)
    old = exported(client, tenant, "national_records")
    monkeypatch.setitem(app.config, "NATIONAL_TEMPLATE", str(changed))
    new = exported(client, tenant, "national_records")
    sheet = load_workbook(io.BytesIO(new))["时长记录"]
    assert sheet.cell(1, 9).value == "志愿服务时长*" and sheet.cell(1, 1).value == "记录编号*"
    assert sheet.cell(2, 6).value == "20240101"
    empty = load_workbook(io.BytesIO(client.get(
        f"/t/{tenant.slug}/imports/template?kind=national_records").data))["时长记录"]
    assert [c.value for c in empty[1]] == [c.value for c in sheet[1]] and empty.max_row == 1
    db.session.execute(delete(ServiceRecord).where(ServiceRecord.tenant_id == tenant.id))
    client.post(f"/t/{tenant.slug}/imports", data={
        "kind": "national_records", "org_id": 0, "file": (io.BytesIO(old), "old.xlsx")},
        content_type="multipart/form-data")
    refused = db.session.scalar(select(ImportBatch).order_by(ImportBatch.id.desc()))
    assert refused.status == "failed" and "志愿服务时长" in refused.error
    batch = imported(client, tenant, new)
    assert (batch.valid_rows, batch.error_rows) == (3, 0)
    assert sorted(db.session.scalars(select(ServiceRecord.minutes).where(
        ServiceRecord.tenant_id == tenant.id))) == [30, 37, 44]


def test_volunteers_export_in_the_template_layout_for_those_allowed(app, client, place, login):
    tenant, org, other, officer, admin = place
    users = generate.volunteers(tenant, 3)
    generate.records(tenant, org, users[:2], 2, officer.id)  # the third never served org
    login(officer)
    sheet = load_workbook(io.BytesIO(exported(client, tenant, "national_volunteers")))["志愿者信息"]
    assert [c.value for c in sheet[2]] == ["姓名*", "证件类型*", "证件号码*", "性别", "出生日期",
                                           "手机号码*", "居住区域", "专业技能", "服务类别"]
    assert [c.value for c in sheet[3]][:6] == ["志愿者00000", "居民身份证", generate.id_number(0),
                                               "女" if int(generate.id_number(0)[16]) % 2 == 0
                                               else "男", "1960-01-01", "13900000000"]
    assert sheet.max_row == 5
    export = db.session.scalar(select(Export).order_by(Export.id.desc()))
    audited = db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "export", AuditEntry.object_id == str(export.id),
        AuditEntry.action == "create"))
    assert audited.actor_id == officer.id
    took = [e for e in db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "export", AuditEntry.object_id == str(export.id),
        AuditEntry.action == "update")) if "downloads" in e.changes]
    assert [(e.actor_id, e.changes["downloads"]) for e in took] == [(officer.id, [0, 1])]

    own = login(admin, c=app.test_client())
    mine = load_workbook(io.BytesIO(exported(own, tenant, "national_volunteers", org.id)))
    assert mine["志愿者信息"].max_row == 4  # the two who served the organization
    assert own.get(f"/t/{tenant.slug}/exports/{export.id}/download").status_code == 403
    assert own.post(f"/t/{tenant.slug}/national/export", data={
        "kind": "national_records", "org_id": other.id}).status_code == 403
    assert own.post(f"/t/{tenant.slug}/national/export", data={
        "kind": "national_records", "org_id": 0}).status_code == 403
    page = own.get(f"/t/{tenant.slug}/national").get_data(as_text=True)
    assert org.name in page and other.name not in page

    auditor = login(user_with(tenant, Role.AUDITOR), c=app.test_client())
    assert auditor.get(f"/t/{tenant.slug}/exports/{export.id}/download").status_code == 403
    assert auditor.get(f"/t/{tenant.slug}/exports/{export.id}").status_code == 403
    assert "志愿者（全国系统格式）" not in auditor.get(f"/t/{tenant.slug}/exports").get_data(
        as_text=True)
    assert auditor.get(f"/t/{tenant.slug}/national").status_code == 403
    asked = auditor.post(f"/t/{tenant.slug}/exports", data={"kind": "national_volunteers",
                                                           "fmt": "xlsx"})
    assert asked.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Export).where(
        Export.tenant_id == tenant.id, Export.kind == "national_volunteers")) == 2


def test_another_districts_bureau_can_neither_export_nor_import_here(app, client, place, login):
    tenant, org, _other, officer, _admin = place
    login(officer)
    exported(client, tenant, "national_volunteers")
    export = db.session.scalar(select(Export).order_by(Export.id.desc()))
    stranger = TenantFactory()
    outsider = login(user_with(stranger, Role.BUREAU_OFFICER), c=app.test_client())
    assert outsider.get(f"/t/{tenant.slug}/national").status_code in (403, 404)
    assert outsider.post(f"/t/{tenant.slug}/national/export", data={
        "kind": "national_records", "org_id": 0}).status_code in (403, 404)
    # From its own district, naming this district's organization or export.
    assert outsider.post(f"/t/{stranger.slug}/national/export", data={
        "kind": "national_records", "org_id": org.id}).status_code == 404
    assert outsider.get(f"/t/{stranger.slug}/exports/{export.id}/download").status_code == 404
    assert outsider.post(f"/t/{tenant.slug}/imports", data={
        "kind": "national_records", "org_id": 0, "file": (io.BytesIO(b"x"), "a.xlsx")},
        content_type="multipart/form-data").status_code in (403, 404)
    assert db.session.scalar(select(func.count()).select_from(Export)
                             .where(Export.tenant_id == stranger.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(ImportBatch)
                             .where(ImportBatch.tenant_id == tenant.id)) == 0



def test_the_pages_lead_back_to_the_national_page_and_offer_no_empty_cancel(client, place,
                                                                           login):
    """From the national page to an export, and to an upload of its records and back; a
    file with nothing new offers neither importing nor cancelling."""
    tenant, org, _other, officer, _admin = place
    generate.records(tenant, org, generate.volunteers(tenant, 3), 5, officer.id)
    login(officer)
    back = f'<a href="/t/{tenant.slug}/national">‹ 全国志愿服务信息系统</a>'
    data = exported(client, tenant, "national_records")
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id)
                               .order_by(Export.id.desc()))
    assert back in client.get(f"/t/{tenant.slug}/exports/{export.id}").get_data(as_text=True)
    upload = client.get(f"/t/{tenant.slug}/imports?kind=national_records")
    assert back in upload.get_data(as_text=True)
    assert back not in client.get(f"/t/{tenant.slug}/imports").get_data(as_text=True)

    nothing_new = imported(client, tenant, data)
    page = client.get(f"/t/{tenant.slug}/imports/{nothing_new.id}").get_data(as_text=True)
    assert back in page and "没有可导入的新数据" in page
    assert "取消导入" not in page and "导入全部" not in page

    db.session.execute(delete(ServiceRecord).where(ServiceRecord.tenant_id == tenant.id))
    new = imported(client, tenant, data, confirm=False)
    page = client.get(f"/t/{tenant.slug}/imports/{new.id}").get_data(as_text=True)
    assert "取消导入" in page and "导入全部 5 行有效数据" in page
