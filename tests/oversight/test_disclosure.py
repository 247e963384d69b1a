"""Public disclosure and the exports built on the books: quarterly statements that
reconcile and show no personal data, IATI open data, the contract audit report, the
spot-check samplers, the departure report's money figures and the tier on the award screen."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.books.drain import drain
from app.disclosure import statements
from app.exports.models import Export
from app.funding import spending
from app.funding.services import today
from tests.funding.factories import funded_contract, make_contract, spend


@pytest.fixture
def books(fw):
    contract = funded_contract(fw)          # ¥24,000 received
    fw.bookkeeper.name = "孙会计"
    e1 = spend(fw, contract, 50_000)
    e1.description = "探访交通费，联系人 13912345678"
    e2 = spend(fw, contract, 30_000, line="物资")
    for e in (e1, e2):
        spending.approve(e, fw.admin, as_bureau=False)
    drain(fw.tenant.id)
    return fw, contract, None


def _export(client, fw, kind, fmt, **params):
    client.post(f"/t/{fw.tenant.slug}/exports",
                data={"kind": kind, "fmt": fmt, **{f"p_{k}": v for k, v in params.items()}})
    from app.extensions import db

    export = db.session.scalars(select(Export).where(Export.tenant_id == fw.tenant.id)
                                .order_by(Export.id.desc())).first()
    assert export.status == "ready", export.error
    return client.get(f"/t/{fw.tenant.slug}/exports/{export.id}/download").data


def test_the_quarterly_statement_reconciles_and_names_nobody(client, books):
    fw, contract, _ = books
    year, quarter = statements.quarter_of(today())
    report = statements.statement(fw.tenant.id, contract, year, quarter)
    assert (report.opening, report.received, report.spent, report.returned) == (0, 2_400_000, 80_000, 0)
    assert report.closing == 2_400_000 - 80_000
    assert sorted(report.by_line.values()) == [30_000, 50_000]
    page = client.get(f"/t/{fw.tenant.slug}/open/contracts/{contract.id}").get_data(as_text=True)
    assert "¥23,200.00" in page and "¥24,000.00" in page and "¥500.00" in page
    assert "13912345678" not in page and "139****5678" in page
    assert "惠民出租车公司" not in page and "孙会计" not in page  # payees and staff are not shown
    org_page = client.get(f"/t/{fw.tenant.slug}/open/orgs/{fw.org.id}").get_data(as_text=True)
    assert "¥23,200.00" in org_page
    index = client.get(f"/t/{fw.tenant.slug}/open").get_data(as_text=True)
    assert contract.title in index and "公示" in index


def test_a_draft_contract_is_not_disclosed(client, fw):
    draft = make_contract(fw, signed=False)
    assert client.get(f"/t/{fw.tenant.slug}/open/contracts/{draft.id}").status_code == 404


def test_statement_exports_to_xlsx_and_pdf(client, books, login):
    fw, contract, _ = books
    login(fw.auditor)
    book = load_workbook(io.BytesIO(_export(client, fw, "statement", "xlsx", contract_id=contract.id)))
    items = [[c.value for c in r] for r in book["明细"].iter_rows()]
    assert sorted(r[2] for r in items if str(r[3] or "").startswith("gz-")) == [-500, -300, 24000]
    pdf = _export(client, fw, "statement", "pdf", contract_id=contract.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "季度明细" in text or "季度收支明细" in text
    assert fw.org.name in text and "13912345678" not in text


def test_iati_export_has_the_activity_budget_and_typed_transactions(client, books, login):
    fw, contract, _ = books
    login(fw.auditor)
    root = ET.fromstring(_export(client, fw, "iati", "xml"))
    [activity] = root.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"CN-GZ-{fw.tenant.slug}-C{contract.id}"
    assert activity.find("budget/value").text == "60000.00"
    assert [p.find("value").text for p in activity.findall("planned-disbursement")] == [
        "24000.00", "36000.00"]
    kinds = [(t.find("transaction-type").get("code"), t.find("value").text)
             for t in activity.findall("transaction")]
    assert kinds == [("2", "60000.00"), ("3", "24000.00"), ("4", "500.00"), ("4", "300.00")]
    data = json.loads(_export(client, fw, "iati", "json"))
    [act] = data["iati-activities"]
    assert [t["type"] for t in act["transaction"]] == ["2", "3", "4", "4"]


def test_contract_audit_report_pdf_has_the_figures(client, books, login):
    fw, contract, _ = books
    login(fw.officer)
    pdf = _export(client, fw, "contract_audit", "pdf", contract_id=contract.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "合同审计报告" in text and "¥24,000.00" in text and "¥800.00" in text
    book = load_workbook(io.BytesIO(_export(client, fw, "contract_audit", "xlsx",
                                            contract_id=contract.id)))
    summary = {r[0].value: r[1].value for r in book["汇总"].iter_rows() if r[0].value}
    assert summary["已拨付"] == 24000.0 and summary["已支出"] == 800.0


def test_an_export_of_another_tenants_contract_is_refused(client, books, login):
    fw, contract, _ = books
    from app.auth.models import Role
    from tests.factories import TenantFactory, user_with

    other = TenantFactory()
    login(user_with(other, Role.AUDITOR))
    body = client.post(f"/t/{other.slug}/exports", data={
        "kind": "statement", "fmt": "pdf", "p_contract_id": contract.id},
        follow_redirects=True).get_data(as_text=True)
    assert "请选择本区已签订的合同。" in body
    from app.extensions import db

    assert db.session.scalar(select(Export.id).where(Export.tenant_id == other.id)) is None


def test_spot_checks_sample_expenditures(books):
    fw, contract, _ = books
    from app.spotchecks import services

    check = services.draw(fw.tenant, fw.officer, "expenditure", 5, {"org_id": fw.org.id}, "42")
    assert check.population_count == 2 and len(check.items) == 2
    assert {i.object_type for i in check.items} == {"expenditure"}


def test_departure_report_counts_money_a_person_approved(books):
    fw, contract, _ = books
    from app.audit import departure

    report = departure.build(fw.tenant.id, fw.admin, today(), today())
    figures = {str(f.label): (f.count, f.amount_fen) for f in report.figures}
    assert figures["为组织审批的支出"] == (2, 80_000)
    officer = departure.build(fw.tenant.id, fw.officer2, today(), today())
    assert {str(f.label): (f.count, f.amount_fen) for f in officer.figures}["批准的拨付"] == (1, 2_400_000)


def test_the_award_screen_shows_the_last_evaluation_tier(client, fw, login):
    from app.evaluation import services as evaluation
    from tests.funding.factories import make_application

    done = evaluation.start(fw.tenant, fw.officer, fw.org, "department", "2025年度")
    evaluation.score(done, {i["code"]: str(round(i["weight"] * 0.85 * 2) / 2)
                            for i in done.indicators}, {}, "")
    evaluation.finalize(done, fw.officer)
    application = make_application(fw)
    login(fw.officer)
    page = client.get(f"/t/{fw.tenant.slug}/funding/applications/{application.id}").get_data(as_text=True)
    assert "最近一次绩效评价" in page and "<strong>良</strong>" in page
