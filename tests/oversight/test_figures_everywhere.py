"""One definition per contract figure: every page and export that shows a contract gives each
figure the glossary's word and the same value, equal to what beancount itself sums from the
journal. A contract's service is its own projects' service. The dashboard is fresh."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import ledger
from app.books.drain import drain
from app.exports.models import Export
from app.extensions import db
from app.funding import closing, spending
from app.funding.figures import ORDER
from app.glossary import TERMS
from tests.funding.factories import funded_contract, pay_tranche, spend

FIGURE = re.compile(r'data-figure="(\w+)" data-fen="(-?\d+)"')
LABEL = re.compile(r'<dt data-figure="(\w+)">([^<]+)</dt>')


def beancount_sums(books_dir, tenant, contract) -> dict[str, int]:
    """Fen per figure, from the journal as beancount loads it (not from our index)."""
    from beancount import loader
    from beancount.core import data

    entries, errors, _ = loader.load_file(str(ledger.main_path(books_dir, tenant.slug)))
    assert not errors, errors
    o, c, f = contract.org_id, contract.id, contract.fund_id
    cash = re.compile(rf"Assets:FY\d+:Org:O{o}:C{c}:Cash")
    spent = re.compile(rf"Expenses:FY\d+:Org:O{o}:C{c}:\w+")
    refunded = re.compile(rf"Assets:FY\d+:Fund:F{f}:Refunded")
    sums = {"held": Decimal(0), "spent": Decimal(0), "refunded": Decimal(0)}
    for entry in entries:
        if not isinstance(entry, data.Transaction) or entry.flag == "S":
            continue
        if "carry" in (entry.meta.get("kind") or "") or entry.narration.startswith("结转"):
            continue
        for p in entry.postings:
            if p.units.currency != "CNY":
                continue
            if cash.fullmatch(p.account):
                sums["held"] += p.units.number
            elif spent.fullmatch(p.account):
                sums["spent"] += p.units.number
            elif refunded.fullmatch(p.account):
                sums["refunded"] += p.units.number
    out = {k: int(v * 100) for k, v in sums.items()}
    out["disbursed"] = out["held"] + out["spent"] + out["refunded"]
    return out


def shown(html: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for key, fen in FIGURE.findall(html):
        found.setdefault(key, set()).add(int(fen))
    return found


def labels(html: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key, word in LABEL.findall(html):
        found.setdefault(key, set()).add(word.strip())
    return found


def export_sheet(client, tenant, kind, contract) -> dict[str, float]:
    before = db.session.scalar(select(db.func.count(Export.id)))
    response = client.post(f"/t/{tenant.slug}/exports", data={
        "kind": kind, "fmt": "xlsx", "p_contract_id": contract.id})
    assert response.status_code == 302
    assert db.session.scalar(select(db.func.count(Export.id))) == before + 1
    export = db.session.scalar(select(Export).where(Export.tenant_id == tenant.id)
                               .order_by(Export.id.desc()))
    assert export.status == "ready", export.error if hasattr(export, "error") else export.status
    download = client.get(f"/t/{tenant.slug}/exports/{export.id}/download")
    rows = {}
    for sheet in load_workbook(io.BytesIO(download.data)).worksheets:
        for row in sheet.iter_rows(values_only=True):
            if row and isinstance(row[0], str) and len(row) > 1:
                rows.setdefault(row[0], row[1])
    return rows


def check_everywhere(client, login, fw, contract, books_dir, expected: dict[str, int]):
    slug = fw.tenant.slug
    beans = beancount_sums(books_dir, fw.tenant, contract)
    for attr in ("disbursed", "spent", "held", "refunded"):
        assert expected[attr] == beans[attr], (attr, expected[attr], beans[attr])
    expected = {**expected, "available": expected["held"] - expected["pending"]}
    by_key = {key: expected[attr] for key, attr in ORDER}
    pages = {
        "org": (fw.admin, f"/t/{slug}/funding/orgs/{fw.org.id}"),
        "contract": (fw.admin, f"/t/{slug}/funding/contracts/{contract.id}"),
        "statement": (fw.admin, f"/t/{slug}/funding/contracts/{contract.id}/statement"),
        "expenditures": (fw.bookkeeper, f"/t/{slug}/funding/contracts/{contract.id}/expenditures"),
        "published": (None, f"/t/{slug}/funding/published/{contract.id}"),
        "disclosure": (None, f"/t/{slug}/open/contracts/{contract.id}"),
        "oversight contract": (fw.auditor, f"/t/{slug}/oversight/contracts/{contract.id}"),
        "dashboard": (fw.auditor, f"/t/{slug}/oversight/"),
        "oversight org": (fw.auditor, f"/t/{slug}/oversight/orgs/{fw.org.id}"),
        "fund": (fw.auditor, f"/t/{slug}/oversight/funds/{contract.fund_id}"),
    }
    for name, (person, url) in pages.items():
        client.get("/logout") if person is None else login(person)
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        html = response.get_data(as_text=True)
        figures = shown(html)
        assert figures, f"{name} shows no figures"
        for key, values in figures.items():
            assert values == {by_key[key]}, (name, key, values, by_key[key])
        for key, words in labels(html).items():
            assert words == {TERMS[key].zh}, (name, key, words)
    full = {"contract", "statement", "published", "disclosure", "oversight contract"}
    for name in full:  # the pages with the whole table show every figure
        person, url = pages[name]
        client.get("/logout") if person is None else login(person)
        assert set(shown(client.get(url).get_data(as_text=True))) == set(by_key), name
    login(fw.auditor)
    for kind in ("statement", "contract_audit"):
        rows = export_sheet(client, fw.tenant, kind, contract)
        for key, fen in by_key.items():
            assert round(rows[TERMS[key].zh] * 100) == fen, (kind, key, rows.get(TERMS[key].zh))


def test_each_figure_is_the_same_everywhere_and_equals_beancount(client, login, fw, books_dir):
    contract = funded_contract(fw, tranches=1)        # ¥60,000; tranche 1 (¥24,000) paid
    posted = spend(fw, contract, 50_000)              # ¥500 交通, approved: in the books
    spending.approve(posted, fw.admin, as_bureau=False)
    wrong = spend(fw, contract, 32_000, line="物资")   # ¥320, approved, then corrected
    spending.approve(wrong, fw.admin, as_bureau=False)
    closing.reverse_expenditure(wrong, fw.officer, "金额录错，应为 ¥230")
    pending = spend(fw, contract, 20_000)             # ¥200 awaiting approval
    drain(fw.tenant.id)
    db.session.commit()
    expected = {"amount": 6_000_000, "disbursed": 2_400_000, "spent": 50_000,
                "pending": 20_000, "held": 2_400_000 - 50_000, "refunded": 0}
    check_everywhere(client, login, fw, contract, books_dir, expected)

    # The second tranche, the pending one refused, the contract closed: the rest goes back.
    with client.application.test_request_context("/"):
        pay_tranche(fw, contract, 2)
        spending.reject(pending, fw.admin, "票据不清")
        closing.close_contract(contract, fw.officer)
        drain(fw.tenant.id)
        db.session.commit()
    expected = {"amount": 6_000_000, "disbursed": 6_000_000, "spent": 50_000, "pending": 0,
                "held": 0, "refunded": 6_000_000 - 50_000}
    check_everywhere(client, login, fw, contract, books_dir, expected)


@pytest.mark.parametrize("unused", [None])
def test_a_contract_shows_the_service_of_its_own_projects(client, login, fw, unused):
    from datetime import timedelta

    from app.auth.models import Role
    from app.service.models import ServiceRating
    from tests.factories import user_with
    from tests.oversight.builders import record
    from tests.service.factories import BASE, book, make_project, make_shift, make_slot

    contract = funded_contract(fw)
    spending.approve(spend(fw, contract, 60_000), fw.admin, as_bureau=False)   # ¥600 spent
    ours, other = make_project(fw.tenant, fw.org), make_project(fw.tenant, fw.org)
    volunteer = user_with(fw.tenant, Role.VOLUNTEER)
    for n, project in enumerate((ours, ours, other)):
        record(make_shift(project, starts_at=BASE + timedelta(days=n)), volunteer)
    booking = book(make_slot(ours, starts_at=BASE), user_with(fw.tenant, Role.RESIDENT))
    db.session.add(ServiceRating(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=booking.id,
                                 user_id=booking.user_id, score=4))
    drain(fw.tenant.id)
    db.session.commit()
    login(fw.coordinator)
    # Another organization's contract, or a made-up one, is refused; ours is taken.
    response = client.post(f"/t/{fw.tenant.slug}/funding/projects/{ours.id}/contract",
                           data={"contract_id": "999999"})
    assert response.status_code == 302 and db.session.get(type(ours), ours.id).contract_id is None
    page = client.get(f"/t/{fw.tenant.slug}/projects/{ours.id}/manage").get_data(as_text=True)
    assert f"{contract.number} {contract.title}" in page and f'value="{contract.id}"' in page
    client.post(f"/t/{fw.tenant.slug}/funding/projects/{ours.id}/contract",
                data={"contract_id": str(contract.id)})
    db.session.expire_all()
    assert db.session.get(type(ours), ours.id).contract_id == contract.id
    minutes = sum(int((s.ends_at - s.starts_at).total_seconds() // 60) for s in
                  db.session.get(type(ours), ours.id).shifts)
    hours = (Decimal(minutes) / 60).quantize(Decimal("0.1"))
    per_hour = round(60_000 * 60 / minutes)
    client.get("/logout")
    for url in (f"/t/{fw.tenant.slug}/open/contracts/{contract.id}",
                f"/t/{fw.tenant.slug}/funding/published/{contract.id}"):
        html = client.get(url).get_data(as_text=True)
        assert f'data-service="hours">{hours}<' in html, url
        assert 'data-service="volunteers">1<' in html and 'data-service="people_served">' in html
        assert 'data-service="satisfaction">4.00 / 5<' in html
        assert f"¥{per_hour / 100:,.2f}" in html.split('data-service="cost_per_hour">')[1][:40]
    login(fw.auditor)
    html = client.get(f"/t/{fw.tenant.slug}/oversight/contracts/{contract.id}").get_data(as_text=True)
    assert f">{hours}<" in html


def test_a_complaint_shows_on_the_dashboard_at_once(client, login, fw):
    from app.auth.models import Role
    from app.complaints.models import Complaint
    from tests.factories import user_with
    from tests.service.factories import BASE, book, make_project, make_slot

    login(fw.auditor)

    def complaints() -> int:
        html = client.get(f"/t/{fw.tenant.slug}/oversight/").get_data(as_text=True)
        return int(re.search(r'投诉</div><div class="value">(?:<a[^>]*>)?(\d+)', html)[1])

    assert complaints() == 0
    booking = book(make_slot(make_project(fw.tenant, fw.org), starts_at=BASE),
                   user_with(fw.tenant, Role.RESIDENT))
    db.session.add(Complaint(tenant_id=fw.tenant.id, org_id=fw.org.id, booking_id=booking.id,
                             user_id=booking.user_id, body="没有按时上门"))
    db.session.commit()
    assert complaints() == 1  # no scan, no job: the dashboard counts when it is opened
