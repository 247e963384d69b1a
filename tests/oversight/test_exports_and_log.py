"""Exports run as jobs with progress and a download for the tenant's bureau and auditors;
the audit log pages filter and show before/after; the departure report lists one person's
actions and exports to .xlsx and PDF."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.exports.models import Export
from app.parsing import local_today
from tests.factories import OrgFactory, TenantFactory, user_with


def _ask(client, tenant, kind, fmt, **params):
    data = {"kind": kind, "fmt": fmt, **{f"p_{k}": v for k, v in params.items()}}
    return client.post(f"/t/{tenant.slug}/exports", data=data)


def _changes_by(client, tenant, person, login, n=3, prefix=""):
    """``person`` (an officer) adds ``n`` areas through the pages (each: a create, then an
    update that sets its path)."""
    login(person)
    for i in range(n):
        client.post(f"/t/{tenant.slug}/areas", data={"name": f"{prefix}第{i}社区", "level": "社区"})


def test_an_auditor_exports_the_audit_log_and_downloads_it(client, db, login):
    tenant = TenantFactory()
    officer, auditor = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.AUDITOR)
    _changes_by(client, tenant, officer, login)
    login(auditor)
    response = _ask(client, tenant, "audit_log", "xlsx", object_type="area", action="create")
    assert response.status_code == 302
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id))
    assert (export.status, export.progress, export.requested_by_id, export.rows) == (
        "ready", 100, auditor.id, 3)
    status = client.get(f"/t/{tenant.slug}/exports/{export.id}",
                        headers={"Accept": "application/json"}).get_json()
    assert status["status"] == "ready" and status["download"].endswith("/download")
    download = client.get(f"/t/{tenant.slug}/exports/{export.id}/download")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows.index(next(r for r in rows if r[0] == "条目"))
    data = rows[header + 1:]
    assert [r[5] for r in data] == ["区域"] * 3
    assert {r[2] for r in data} == {officer.name}
    assert sorted(r[7].split("名称: None → ")[1][:4] for r in data) == ["第0社区", "第1社区", "第2社区"]


def test_an_export_of_another_tenant_is_refused(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    auditor_a, auditor_b = user_with(a, Role.AUDITOR), user_with(b, Role.AUDITOR)
    login(auditor_b)
    _ask(client, b, "audit_log", "xlsx")
    theirs = db.session.scalar(select(Export).where(Export.tenant_id == b.id))
    login(auditor_a)
    # Asking for an export in B's name, and opening B's file through A or B's address.
    assert _ask(client, b, "audit_log", "xlsx").status_code == 403
    assert client.get(f"/t/{a.slug}/exports/{theirs.id}/download").status_code == 404
    assert client.get(f"/t/{b.slug}/exports/{theirs.id}/download").status_code == 403
    assert db.session.scalar(select(func.count(Export.id))) == 1


def test_only_bureau_and_auditors_download(client, db, login):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    officer, admin = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.ORG_ADMIN, org)
    login(officer)
    _ask(client, tenant, "audit_log", "xlsx")
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id))
    assert client.get(f"/t/{tenant.slug}/exports/{export.id}/download").status_code == 200
    login(admin)
    assert client.get(f"/t/{tenant.slug}/exports/{export.id}/download").status_code == 403
    assert _ask(client, tenant, "audit_log", "xlsx").status_code == 403


def test_unknown_kinds_and_formats_are_refused_clearly(client, db, login):
    tenant = TenantFactory()
    login(user_with(tenant, Role.AUDITOR))
    body = client.post(f"/t/{tenant.slug}/exports", data={"kind": "audit_log", "fmt": "pdf"},
                       follow_redirects=True).get_data(as_text=True)
    assert "该导出不支持此格式。" in body
    body = client.post(f"/t/{tenant.slug}/exports", data={"kind": "nope", "fmt": "xlsx"},
                       follow_redirects=True).get_data(as_text=True)
    assert "不存在这种导出。" in body
    assert db.session.scalar(select(func.count(Export.id))) == 0


def test_a_failing_build_is_shown_as_failed(client, db, login, monkeypatch):
    from app.exports import registry

    tenant = TenantFactory()
    login(user_with(tenant, Role.AUDITOR))
    registry.kinds()

    def broken(job):
        raise RuntimeError("disk full")

    monkeypatch.setitem(registry.KINDS, "audit_log",
                        registry.ExportKind("audit_log", "x", ("xlsx",), broken,
                                            lambda t, p: {}))
    _ask(client, tenant, "audit_log", "xlsx")
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id))
    assert (export.status, export.error, export.file_name) == ("failed", "disk full", None)
    assert client.get(f"/t/{tenant.slug}/exports/{export.id}/download").status_code == 404


def test_the_log_page_filters_by_person_and_shows_before_and_after(client, db, login):
    tenant = TenantFactory()
    officer, other = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.BUREAU_OFFICER)
    auditor = user_with(tenant, Role.AUDITOR)
    _changes_by(client, tenant, officer, login, n=2)
    _changes_by(client, tenant, other, login, n=1, prefix="乙")
    login(auditor)
    body = client.get(f"/t/{tenant.slug}/audit/log?actor_id={other.id}&object_type=area"
                      ).get_data(as_text=True)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.tenant_id == tenant.id,
                                                          AuditEntry.object_type == "area",
                                                          AuditEntry.actor_id == other.id,
                                                          AuditEntry.action == "create")).all()
    assert len(entries) == 1
    assert f"/audit/log/{entries[0].id}" in body
    officer_entries = db.session.scalars(select(AuditEntry.id).where(
        AuditEntry.actor_id == officer.id, AuditEntry.object_type == "area")).all()
    assert not any(f"/audit/log/{i}\"" in body for i in officer_entries)
    detail = client.get(f"/t/{tenant.slug}/audit/log/{entries[0].id}").get_data(as_text=True)
    assert "乙第0社区" in detail and other.name in detail and "民政局工作人员" in detail


def test_the_log_is_closed_to_org_staff_and_other_tenants(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    org = OrgFactory(tenant_id=a.id)
    login(user_with(a, Role.ORG_ADMIN, org))
    assert client.get(f"/t/{a.slug}/audit/log").status_code == 403
    login(user_with(b, Role.AUDITOR))
    assert client.get(f"/t/{a.slug}/audit/log").status_code == 403


def test_departure_report_counts_one_persons_actions_and_exports_pdf(client, db, login):
    tenant = TenantFactory(name="第九区民政局")
    officer, auditor = user_with(tenant, Role.BUREAU_OFFICER, name="钱科长"), user_with(tenant, Role.AUDITOR)
    _changes_by(client, tenant, officer, login, n=4)
    login(auditor)
    today = local_today().isoformat()
    page = client.get(f"/t/{tenant.slug}/audit/departure?actor_id={officer.id}&start={today}"
                      f"&end={today}").get_data(as_text=True)
    assert "本期间共记录 8 项操作。" in page
    _ask(client, tenant, "departure_report", "pdf", actor_id=officer.id, start=today, end=today)
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id))
    assert export.status == "ready", export.error
    pdf = client.get(f"/t/{tenant.slug}/exports/{export.id}/download").data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "离任审计报告" in text and "钱科长" in text and "第九区民政局" in text
    assert "第3社区" in text
    _ask(client, tenant, "departure_report", "xlsx", actor_id=officer.id, start=today, end=today)
    xlsx = db.session.scalars(select(Export).where(Export.tenant_id == tenant.id)
                              .order_by(Export.id.desc())).first()
    book = load_workbook(io.BytesIO(client.get(f"/t/{tenant.slug}/exports/{xlsx.id}/download").data))
    assert book.sheetnames == ["汇总", "日志明细"]
    summary = [[c.value for c in r] for r in book["汇总"].iter_rows()]
    assert ["区域", 4, 4, 0, 0] in [r[:5] for r in summary]


def test_departure_report_for_someone_who_never_acted_here_is_refused(client, db, login):
    a, b = TenantFactory(), TenantFactory()
    stranger = user_with(b, Role.BUREAU_OFFICER)
    login(user_with(a, Role.AUDITOR))
    assert client.get(f"/t/{a.slug}/audit/departure?actor_id={stranger.id}").status_code == 404
    body = _ask(client, a, "departure_report", "xlsx", actor_id=stranger.id)
    assert body.status_code == 302
    assert db.session.scalar(select(func.count(Export.id))) == 0


def test_a_large_export_commits_its_progress_between_batches(client, db, login, monkeypatch):
    """Progress is committed after every batch; the file still holds every row once."""
    from app.audit import export_kinds

    tenant = TenantFactory()
    officer, auditor = user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.AUDITOR)
    _changes_by(client, tenant, officer, login, n=5)
    monkeypatch.setattr(export_kinds, "BATCH", 3)
    seen = []
    from app.exports import services

    original = services.Job.progress

    def spy(self, done, total):
        seen.append((done, total))
        self._last = 0.0  # no rate limit in the test
        original(self, done, total)

    monkeypatch.setattr(services.Job, "progress", spy)
    login(auditor)
    _ask(client, tenant, "audit_log", "xlsx", object_type="area")
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id))
    assert (export.status, export.rows, export.progress) == ("ready", 10, 100)
    assert seen == [(3, 10), (6, 10), (9, 10), (10, 10)]


def test_the_nightly_job_scans_every_tenant(app, db):
    from app.oversight.models import ScanRun
    from workers.audit import nightly

    a, b = TenantFactory(), TenantFactory()
    done = nightly()
    runs = db.session.scalars(select(ScanRun).where(ScanRun.tenant_id.in_([a.id, b.id]))
                              .execution_options(all_tenants=True)).all()
    assert {r.tenant_id for r in runs} == {a.id, b.id}
    assert {r.status for r in runs} == {"done"} and {r.trigger for r in runs} == {"nightly"}
    assert set(done) >= {r.id for r in runs}
