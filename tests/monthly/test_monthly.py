"""Monthly reports (每月通报): the same figures as the contract and statement pages, one
report per organization and month however often it is made, published pages and files that
hold the page's figures, and another district's reports out of reach."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.books.drain import drain
from app.disclosure import statements
from app.extensions import db
from app.funding import spending
from app.funding.figures import for_contract
from app.funding.services import today
from app.monthly import services
from app.monthly.figures import month_bounds
from app.monthly.models import MonthlyReport
from app.oversight.service_figures import live
from tests.funding.factories import funded_contract, spend

FEN = re.compile(r'data-figure="(\w+)" data-fen="(-?\d+)"')


def _after(year: int, month: int) -> datetime:
    """A moment early on the first day after the month (Beijing time)."""
    end = month_bounds(year, month)[1]
    return datetime(end.year, end.month, end.day, 17, 0, tzinfo=UTC)  # 01:00 the next day


@pytest.fixture
def books(fw):
    contract = funded_contract(fw)  # ¥24,000 received
    for fen, line in ((50_000, "交通"), (30_000, "物资")):
        spending.approve(spend(fw, contract, fen, line=line), fw.admin, as_bureau=False)
    drain(fw.tenant.id)
    return fw, contract


def _report(fw, org_id, year, month) -> MonthlyReport:
    return db.session.scalar(select(MonthlyReport).where(
        MonthlyReport.tenant_id == fw.tenant.id, MonthlyReport.org_id == org_id,
        MonthlyReport.year == year, MonthlyReport.month == month))


def test_monthly_money_equals_the_contract_page_and_the_quarterly_statement(client, books):
    fw, contract = books
    day = today()
    made = services.generate(fw.tenant, day.year, day.month, now=_after(day.year, day.month))
    assert made.made == 3  # the district, and each of its two organizations
    report = _report(fw, fw.org.id, day.year, day.month)
    [row] = report.figures["contracts"]
    assert row["figures"] == {"amount": 6_000_000, "disbursed": 2_400_000, "spent": 80_000,
                              "pending": 0, "held": 2_320_000, "refunded": 0}
    expected = for_contract(contract)
    assert row["figures"] == {"amount": expected.amount, "disbursed": expected.disbursed,
                              "spent": expected.spent, "pending": expected.pending,
                              "held": expected.held, "refunded": expected.refunded}
    quarter = statements.statement(fw.tenant.id, contract, *statements.quarter_of(day))
    assert row["month"] == {"opening": quarter.opening, "received": quarter.received,
                            "spent": quarter.spent, "returned": quarter.returned,
                            "closing": quarter.closing}
    # The pages print the same figures, word for word and fen for fen.
    contract_page = client.get(f"/t/{fw.tenant.slug}/open/contracts/{contract.id}").get_data(as_text=True)
    report_page = client.get(f"/t/{fw.tenant.slug}/open/monthly/{report.id}").get_data(as_text=True)
    on_contract = dict(FEN.findall(contract_page))
    on_report = FEN.findall(report_page.split(f'data-contract="{contract.number}"')[1])
    assert dict(on_report[:7]) == on_contract and on_contract["disbursed"] == "2400000"
    assert "¥23,200.00" in report_page and fw.org.name in report_page
    assert "不会再更改" in report_page  # the page says the month is a snapshot
    district = _report(fw, None, day.year, day.month)
    assert district.figures["figures"] == row["figures"]


def test_a_published_month_does_not_change_when_the_books_do(client, books):
    fw, contract = books
    day = today()
    services.generate(fw.tenant, day.year, day.month, now=_after(day.year, day.month))
    report = _report(fw, fw.org.id, day.year, day.month)
    spending.approve(spend(fw, contract, 10_000), fw.admin, as_bureau=False)
    drain(fw.tenant.id)
    assert for_contract(contract).spent == 90_000
    again = services.generate(fw.tenant, day.year, day.month, now=_after(day.year, day.month))
    assert (again.made, again.existing) == (0, 3)
    db.session.refresh(report)
    assert report.figures["contracts"][0]["figures"]["spent"] == 80_000
    page = client.get(f"/t/{fw.tenant.slug}/open/monthly/{report.id}").get_data(as_text=True)
    assert 'data-figure="spent" data-fen="80000"' in page


def _served_in_march(fw, contract):
    from app.auth.models import Role
    from app.complaints.models import Complaint
    from app.service.models import ServiceRating
    from tests.factories import user_with
    from tests.oversight.builders import record
    from tests.service.factories import BASE, attend, book, make_project, make_shift, make_slot

    project = make_project(fw.tenant, fw.org, contract_id=contract.id)
    volunteer = user_with(fw.tenant, Role.VOLUNTEER)
    for n in range(3):
        record(make_shift(project, starts_at=BASE + timedelta(days=n)), volunteer)
    slot = make_slot(project, starts_at=BASE)
    bookings = [book(slot, user_with(fw.tenant, Role.RESIDENT)) for _ in range(2)]
    for booking, score in zip(bookings, (5, 4), strict=True):
        attend(booking)
        db.session.add(ServiceRating(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=booking.id,
                                     user_id=booking.user_id, score=score, created_at=BASE))
    db.session.add(Complaint(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=bookings[1].id,
                             user_id=bookings[1].user_id, body="迟到了", created_at=BASE,
                             status="answered", answer="已改进", answered_at=BASE + timedelta(days=1)))
    db.session.flush()


def test_monthly_service_equals_the_service_figures_and_the_statement(client, books):
    fw, contract = books
    _served_in_march(fw, contract)
    services.generate(fw.tenant, 2026, 3, now=_after(2026, 3))
    report = _report(fw, fw.org.id, 2026, 3)
    service = report.figures["service"]
    march = live(fw.tenant.id, fw.org.id, *month_bounds(2026, 3))
    quarter = statements.statement(fw.tenant.id, contract, 2026, 1).service
    assert service["hours"] == str(march.hours) == str(quarter.hours)
    assert service["people_served"] == march.people_served == quarter.people_served == 2
    assert service["volunteers"] == quarter.volunteers == 1
    assert (service["satisfaction"], service["ratings"]) == ("4.50", 2)
    assert (service["complaints_received"], service["complaints_answered"]) == (1, 1)
    assert report.figures["previous"]["people_served"] == 0
    page = client.get(f"/t/{fw.tenant.slug}/open/monthly/{report.id}").get_data(as_text=True)
    row = page.split('data-service="people_served"')[1].split("</tr>")[0]
    assert 'data-value="2"' in row and "+2" in row
    district = _report(fw, None, 2026, 3)
    assert district.figures["service"]["people_served"] == 2
    assert _report(fw, fw.org2.id, 2026, 3).figures["service"]["people_served"] == 0


def test_the_scheduled_job_makes_one_report_per_organization_and_month(books):
    fw, _contract = books
    from workers.monthly import publish_last_month
    from workers.periodic import SCHEDULE

    assert any(p.func == "workers.monthly.publish_last_month" and p.per_tenant and
               p.cron == "0 6 1 * *" for p in SCHEDULE)
    now = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)  # 06:00 on 1 December in Beijing
    assert publish_last_month(fw.tenant.id, now.isoformat()) == 3
    assert publish_last_month(fw.tenant.id, now.isoformat()) == 0
    counts = db.session.execute(select(MonthlyReport.org_id, func.count()).where(
        MonthlyReport.tenant_id == fw.tenant.id).group_by(MonthlyReport.org_id)).all()
    assert sorted(counts, key=lambda c: c[0] or 0) == [(None, 1), (fw.org.id, 1), (fw.org2.id, 1)]
    assert {(r.year, r.month, r.trigger) for r in db.session.scalars(select(MonthlyReport))
            .all() if r.tenant_id == fw.tenant.id} == {(2026, 11, "schedule")}


def test_the_bureau_publishes_a_past_month_once_after_confirming(client, books, login):
    fw, _contract = books
    login(fw.officer)
    url = f"/t/{fw.tenant.slug}/monthly"
    asked = client.post(url, data={"month": "2026-10"}).get_data(as_text=True)
    assert "请确认" in asked and "通报发布后不会再更改" in asked
    assert '<input type="hidden" name="month" value="2026-10">' in asked
    assert _report(fw, None, 2026, 10) is None
    done = client.post(url, data={"month": "2026-10", "confirmed": "yes"}, follow_redirects=True)
    assert "已发布" in done.get_data(as_text=True)
    report = _report(fw, None, 2026, 10)
    assert report.trigger == "bureau" and report.made_by_id == fw.officer.id
    client.post(url, data={"month": "2026-10", "confirmed": "yes"})
    assert db.session.scalar(select(func.count()).select_from(MonthlyReport).where(
        MonthlyReport.tenant_id == fw.tenant.id)) == 3
    future = client.post(url, data={"month": "2099-01", "confirmed": "yes"}, follow_redirects=True)
    assert "月份结束后才能通报" in future.get_data(as_text=True)
    bad = client.post(url, data={"month": "2026-13", "confirmed": "yes"}, follow_redirects=True)
    assert bad.status_code == 200 and "请选择月份" in bad.get_data(as_text=True)
    login(fw.admin)
    assert client.post(url, data={"month": "2026-09", "confirmed": "yes"}).status_code == 403


def test_xlsx_and_pdf_hold_the_pages_figures(client, books):
    fw, contract = books
    day = today()
    services.generate(fw.tenant, day.year, day.month, now=_after(day.year, day.month))
    report = _report(fw, fw.org.id, day.year, day.month)
    base = f"/t/{fw.tenant.slug}/open/monthly/{report.id}"
    response = client.get(f"{base}/report.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    summary = {r[0].value: r[1].value for r in book["汇总"].iter_rows() if r[0].value}
    assert summary["已拨付"] == 24000 and summary["已支出"] == 800 and summary["账面余额"] == 23200
    assert summary["本月支出"] == 800
    assert book["汇总"]["B1"].value is None and fw.org.name in book["汇总"]["A1"].value
    sheet = book["合同"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["合同编号", "合同", "组织"] and sheet[1][0].font.bold
    row = {h: c.value for h, c in zip(headers, sheet[2], strict=True)}
    assert row["合同编号"] == contract.number and row["已拨付"] == 24000
    assert sheet.cell(row=2, column=headers.index("已拨付") + 1).number_format == "#,##0.00"
    pdf = client.get(f"{base}/report.pdf").data
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "每月通报" in text and fw.org.name in text and "¥24,000.00" in text
    assert "¥23,200.00" in text and contract.title in text


def test_another_districts_monthly_reports_are_refused(client, books, login):
    fw, _contract = books
    from tests.funding.factories import funding_world

    day = today()
    services.generate(fw.tenant, day.year, day.month, now=_after(day.year, day.month))
    mine = _report(fw, fw.org.id, day.year, day.month)
    other = funding_world()
    for path in (f"/open/monthly/{mine.id}", f"/open/monthly/{mine.id}/report.xlsx",
                 f"/open/monthly/{mine.id}/report.pdf"):
        response = client.get(f"/t/{other.tenant.slug}{path}")
        assert response.status_code == 404 and fw.org.name not in response.get_data(as_text=True)
    login(other.officer)
    response = client.get(f"/t/{other.tenant.slug}/monthly/orgs/{fw.org.id}")
    assert response.status_code == 404
    assert fw.org.name not in client.get(f"/t/{other.tenant.slug}/open/monthly").get_data(as_text=True)
    login(fw.admin2)  # the other organization of the same district
    assert client.get(f"/t/{fw.tenant.slug}/monthly/orgs/{fw.org.id}").status_code == 403
    login(fw.admin)
    own = client.get(f"/t/{fw.tenant.slug}/monthly/orgs/{fw.org.id}", follow_redirects=True)
    assert own.status_code == 200 and f"/open/monthly/{mine.id}" in own.get_data(as_text=True)


def test_the_demo_district_has_a_published_month(app, db, demo, client):
    from app.tenancy.models import Tenant

    reports = list(db.session.scalars(select(MonthlyReport)))
    assert len({(r.year, r.month) for r in reports}) == 1
    assert len(reports) == len({r.org_id for r in reports}) >= 3
    district = next(r for r in reports if r.org_id is None)
    slug = db.session.get(Tenant, district.tenant_id).slug
    page = client.get(f"/t/{slug}/open/monthly").get_data(as_text=True)
    assert "阳光社区服务中心" in page and district.subject in page
