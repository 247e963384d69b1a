"""Dashboards: every money figure equals the ledger's (read from the books' index) and
drills down to postings that add up to it; service figures drill down to records;
late tranches are visible."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.books import services as books
from app.books.drain import drain
from app.funding import closing, spending
from app.funding.services import today
from app.oversight import drill
from app.oversight import money as money_mod
from app.oversight.service_figures import live, refresh_summary
from tests.funding.factories import (
    funded_contract,
    make_application,
    make_award,
    make_call,
    make_contract,
    make_fund,
    pay_tranche,
    spend,
)


@pytest.fixture
def scene(fw):
    a = funded_contract(fw)                      # ¥60,000; first tranche ¥24,000 paid
    e1 = spend(fw, a, 50_000)                    # ¥500 交通
    e2 = spend(fw, a, 30_000, line="物资")       # ¥300 物资
    for e in (e1, e2):
        spending.approve(e, fw.admin, as_bureau=False)
    spend(fw, a, 20_000)                          # ¥200 pending: not in the books yet
    b = make_contract(fw, make_award(fw, make_application(fw, make_call(fw, make_fund(
        fw, name="第二专项")))))
    pay_tranche(fw, b, 1)
    e3 = spend(fw, b, 100_000)
    spending.approve(e3, fw.admin, as_bureau=False)
    closing.close_contract(b, fw.officer)         # releases ¥36,000, refunds ¥23,000
    drain(fw.tenant.id)
    return fw, a, b


def ledger_balance(tenant_id, pattern):
    """Sum, in fen, of the books' balances of the CNY accounts matching ``pattern``."""
    return sum(int(row.balance * 100) for row in books.accounts(tenant_id)
               if row.commodity == "CNY" and re.fullmatch(pattern, row.account))


def test_contract_figures_equal_the_ledger_and_the_contract(scene):
    fw, a, b = scene
    money = money_mod.load(fw.tenant.id)
    ma, mb = money.contract(a.id), money.contract(b.id)
    assert (ma.committed, ma.disbursed, ma.spent, ma.refunded) == (6_000_000, 2_400_000, 80_000, 0)
    assert ma.by_line == {"Transport": 50_000, "Materials": 30_000}
    assert (mb.committed, mb.disbursed, mb.spent, mb.refunded) == (2_400_000, 2_400_000, 100_000,
                                                                   2_300_000)
    # The ledger's own balances (books' read index) say the same.
    o = fw.org.id
    assert ledger_balance(fw.tenant.id, rf"Expenses:FY\d+:Org:O{o}:C{a.id}:\w+") == 80_000
    assert ledger_balance(fw.tenant.id, rf"Assets:FY\d+:Org:O{o}:C{a.id}:Cash") == 2_400_000 - 80_000
    assert ledger_balance(fw.tenant.id, rf"Assets:FY\d+:Fund:F{b.fund_id}:Refunded") == 2_300_000
    assert ledger_balance(fw.tenant.id, rf"Assets:FY\d+:Fund:F{a.fund_id}:Committed:C{a.id}") == \
        ma.committed - ma.disbursed
    # The organization and the tenant add their contracts up.
    org = money.org(o)
    assert (org.disbursed, org.spent, org.refunded) == (4_800_000, 180_000, 2_300_000)
    assert money.tenant().spent == 180_000


@pytest.mark.parametrize("figure", ["committed", "disbursed", "spent", "refunded"])
def test_every_money_figure_drills_down_to_postings_that_add_up(scene, figure):
    fw, a, b = scene
    money = money_mod.load(fw.tenant.id)
    for contract in (a, b):
        lines, total, _ = drill.money_lines(fw.tenant.id, figure, contract_id=contract.id)
        assert total == getattr(money.contract(contract.id), figure)
        assert sum(line.amount for line in lines) == total
    lines, total, _ = drill.money_lines(fw.tenant.id, figure, org_id=fw.org.id)
    assert total == getattr(money.org(fw.org.id), figure)


def test_spent_by_line_drills_to_its_expenditures(client, db, scene, login):
    from app.funding.models_spending import Expenditure

    fw, a, _ = scene
    lines, total, _ = drill.money_lines(fw.tenant.id, "spent", contract_id=a.id, line="Transport")
    assert total == 50_000 and [drill.source_link(x.source)[0] for x in lines] == ["expenditure"]
    login(fw.auditor)
    page = client.get(f"/t/{fw.tenant.slug}/oversight/money?figure=spent&contract_id={a.id}"
                      "&line=Transport").get_data(as_text=True)
    assert "¥500.00" in page and "/oversight/expenditures/" in page
    href, name = re.search(r'href="(/t/[^"]+/oversight/expenditures/\d+)">([^<]+)</a>', page).groups()
    expenditure = db.session.get(Expenditure, int(href.rsplit("/", 1)[1]))
    # Named by its payee, amount and day, as the page it opens is titled, not by its number.
    assert name == f"支出 {expenditure.payee} ¥500.00（{expenditure.spent_on.isoformat()}）"
    page = client.get(href).get_data(as_text=True)
    assert f"<title>{name}" in page and "#" not in name
    # Its status and payment method in words, not stored codes.
    assert "已入账" in page and "<dd>final</dd>" not in page
    assert re.search(r"\d{4}-\d\d-\d\d · (银行转账|公务卡 / 线上支付|现金)</dd>", page)


def test_the_pages_show_the_figures_and_when_the_books_were_verified(client, scene, login):
    from app.books.audit import verify_tenant

    fw, a, b = scene
    verify_tenant(fw.tenant.id)
    login(fw.auditor)
    home = client.get(f"/t/{fw.tenant.slug}/oversight/").get_data(as_text=True)
    assert "¥48,000.00" in home           # disbursed in the tenant
    assert "账簿最近核验" in home and "账簿与索引一致" in home
    contract = client.get(f"/t/{fw.tenant.slug}/oversight/contracts/{a.id}").get_data(as_text=True)
    assert "<dd><span class=\"tag tag-signed\">已签订</span></dd>" in contract
    assert "¥60,000.00" in contract and "¥24,000.00" in contract and "¥300.00" in contract
    org = client.get(f"/t/{fw.tenant.slug}/oversight/orgs/{fw.org.id}").get_data(as_text=True)
    assert "¥23,000.00" in org            # refunded at close
    fund = client.get(f"/t/{fw.tenant.slug}/oversight/funds/{a.fund_id}")
    assert fund.status_code == 200


def test_late_tranches_are_visible(client, scene, login):
    fw, a, _ = scene
    second = next(t for t in a.tranches if t.seq == 2)
    second.planned_on = today() - timedelta(days=5)
    from app.extensions import db

    db.session.flush()
    login(fw.officer)
    page = client.get(f"/t/{fw.tenant.slug}/oversight/contracts/{a.id}").get_data(as_text=True)
    assert "5 天" in page


def test_service_figures_count_verified_hours_people_and_satisfaction(client, fw, login):
    from app.auth.models import Role
    from app.complaints.models import Complaint
    from app.extensions import db
    from app.service.models import ServiceRating
    from tests.factories import user_with
    from tests.oversight.builders import record
    from tests.service.factories import BASE, attend, book, make_project, make_shift, make_slot

    project = make_project(fw.tenant, fw.org)
    v1, v2 = user_with(fw.tenant, Role.VOLUNTEER), user_with(fw.tenant, Role.VOLUNTEER)
    for n in range(3):
        shift = make_shift(project, starts_at=BASE + timedelta(days=n))
        record(shift, v1, method="qr")
        record(shift, v2, method="manual", checked=False)
    void_shift = make_shift(project, starts_at=BASE + timedelta(days=9))
    record(void_shift, v1, status="void", minutes=0)
    slot = make_slot(project, starts_at=BASE)
    residents = [user_with(fw.tenant, Role.RESIDENT) for _ in range(3)]
    bookings = [book(slot, r) for r in residents]
    for booking in bookings:
        attend(booking)
    for booking, score in zip(bookings, (5, 4, 3), strict=True):
        db.session.add(ServiceRating(tenant_id=fw.tenant.id, org_id=fw.org.id,
                                     booking_id=booking.id, user_id=booking.user_id, score=score))
    db.session.add(Complaint(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=bookings[2].id,
                             user_id=bookings[2].user_id, body="迟到了"))
    db.session.flush()
    figures = live(fw.tenant.id, fw.org.id)
    assert (figures.verified_minutes, figures.staff_minutes, figures.records) == (1080, 540, 6)
    assert (figures.volunteers, figures.people_served, figures.ratings) == (2, 3, 3)
    assert (str(figures.satisfaction), figures.complaints, str(figures.hours)) == ("4.00", 1, "18.0")
    refresh_summary(fw.tenant.id)
    login(fw.auditor)
    page = client.get(f"/t/{fw.tenant.slug}/oversight/").get_data(as_text=True)
    assert "18.0" in page and "4.00" in page
    records = client.get(f"/t/{fw.tenant.slug}/oversight/records?org_id={fw.org.id}").get_data(as_text=True)
    assert records.count("/oversight/records/") == 6
    first = records.split('/oversight/records/')[1].split('"')[0]
    record = client.get(f"/t/{fw.tenant.slug}/oversight/records/{first}").get_data(as_text=True)
    assert "已核实" in record and ">verified<" not in record


def test_dashboards_are_for_the_bureau_and_auditors_only(client, scene, login):
    fw, a, _ = scene
    for person in (fw.admin, fw.bookkeeper, fw.volunteer, fw.overseer):
        login(person)
        assert client.get(f"/t/{fw.tenant.slug}/oversight/").status_code == 403
        assert client.get(f"/t/{fw.tenant.slug}/oversight/contracts/{a.id}").status_code == 403


def test_people_served_ratings_and_complaints_drill_down(client, fw, login):
    from app.auth.models import Role
    from app.complaints.models import Complaint
    from app.extensions import db
    from app.service.models import ServiceRating
    from tests.factories import user_with
    from tests.service.factories import BASE, attend, book, make_project, make_slot

    slot = make_slot(make_project(fw.tenant, fw.org), starts_at=BASE)
    resident = user_with(fw.tenant, Role.RESIDENT, name="周大爷")
    booking = book(slot, resident)
    attend(booking, source="qr")
    db.session.add(ServiceRating(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=booking.id,
                                 user_id=resident.id, score=2, comment="来晚了半小时"))
    db.session.add(Complaint(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=booking.id,
                             user_id=resident.id, body="志愿者态度不好"))
    db.session.flush()
    login(fw.auditor)
    page = client.get(f"/t/{fw.tenant.slug}/oversight/orgs/{fw.org.id}/residents").get_data(as_text=True)
    assert "来晚了半小时" in page and "志愿者态度不好" in page and "<td>周**</td>" in page
    assert "周大爷" not in page
    org_page = client.get(f"/t/{fw.tenant.slug}/oversight/orgs/{fw.org.id}").get_data(as_text=True)
    assert f"/oversight/orgs/{fw.org.id}/residents" in org_page
