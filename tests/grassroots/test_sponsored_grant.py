"""A filed group's small grant, end to end: the group applies, the bureau awards and signs,
the tranche is paid to the sponsor on the group's behalf, the group spends it, the contract
closes. The outbox drains into the journal on commit; beancount's own loader, the real
``bean-check`` and ``flask ledger verify`` accept it, and the books name the group in the
accounts and the sponsor as payee."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import ledger
from app.auth.models import Role
from app.db_commit import commit
from app.funding import closing, spending
from app.funding.services import today
from app.grassroots import filing
from app.orgs import services as orgs
from app.parsing import local_today
from app.tenancy.services import add_area
from tests.factories import user_with
from tests.funding.factories import (
    funding_world,
    make_application,
    make_award,
    make_contract,
    pay_tranche,
    spend,
)
from tests.grassroots.factories import document, group_data
from tests.ledger.support import bean_check

SPONSOR_PAYEE = "彩虹文体协会（代幸福社区银龄合唱队）"
SMALL = [("交通", 500_000), ("物资", 1_000_000)]  # ¥15,000, under the default cap of ¥20,000


@pytest.fixture
def books_dir(app, tmp_path):
    before = app.config["LEDGER_DIR"]
    app.config["LEDGER_DIR"] = str(tmp_path / "ledger")
    yield tmp_path / "ledger"
    app.config["LEDGER_DIR"] = before


def _filed_group(w):
    """A filed group sponsored by the world's second organization (an incubating hub),
    confirmed by the sponsor and verified by the bureau; its leader is its admin."""
    w.org2.is_incubator = True
    street = add_area(w.tenant, "东湖街道", "街道")
    community = add_area(w.tenant, "幸福社区", "社区", street)
    leader = user_with(w.tenant, Role.VOLUNTEER, name="周玉梅")
    data = filing.FilingData(number="东湖社备〔2026〕012号", filed_with_id=community.id,
                             filed_on=local_today(), sponsor_id=w.org2.id)
    group = filing.register_group(w.tenant, leader, group_data(), data, document())
    filing.answer_sponsorship(group, w.admin2, accept=True)
    orgs.approve(group, w.officer)
    assert group.is_filed and group.parent_id == w.org2.id
    return group, leader


def _journal(books_dir, tenant):
    """The journal as beancount's loader reads it: (entries, errors)."""
    from beancount import loader

    entries, errors, _options = loader.load_file(str(ledger.main_path(books_dir, tenant.slug)))
    return entries, errors


def test_a_filed_groups_small_grant_posts_clean_books_naming_group_and_sponsor(app, db,
                                                                                books_dir):
    w = funding_world()
    group, leader = _filed_group(w)
    bookkeeper = user_with(w.tenant, Role.ORG_BOOKKEEPER, group, name="李会计")

    application = make_application(w, org=group, lines=SMALL)
    contract = make_contract(w, make_award(w, application), shares=(10000,))
    pay_tranche(w, contract, 1)
    assert contract.cash_fen == 1_500_000
    taxi = spend(w, contract, 86_000, by=bookkeeper)
    spending.approve(taxi, leader, as_bureau=False)
    paper = spend(w, contract, 250_000, line="物资", by=bookkeeper)
    spending.approve(paper, leader, as_bureau=False)
    closing.close_contract(contract, w.officer)
    commit()  # the outbox drains inline into the journal

    entries, errors = _journal(books_dir, w.tenant)
    assert errors == []
    year, g, c, f = today().year, group.id, contract.id, contract.fund_id
    txns = [e for e in entries if type(e).__name__ == "Transaction" and e.flag != "S"
            and not e.narration.startswith("结转")]

    def by_kind(kind):
        return [t for t in txns if t.meta.get("kind") == kind]

    commitment, = by_kind("commitment")
    disbursement, = by_kind("disbursement")
    for entry in (commitment, disbursement):
        assert entry.payee == SPONSOR_PAYEE
    assert {p.account for p in disbursement.postings} == {
        ledger.accounts.fund_committed(year, f, c), ledger.accounts.org_cash(year, g, c)}
    assert {p.account: p.units.number for p in disbursement.postings}[
        ledger.accounts.org_cash(year, g, c)] == Decimal("15000.00")
    spent = by_kind("expenditure")
    assert sorted(t.postings[0].units.number.copy_abs() for t in spent) == [
        Decimal("860.00"), Decimal("2500.00")]
    for t in spent:
        assert {p.account for p in t.postings} <= {
            ledger.accounts.org_cash(year, g, c),
            *(a for a in (p.account for p in t.postings) if re.fullmatch(
                rf"Expenses:FY{year}:Org:O{g}:C{c}:\w+", a))}

    # Every account of the grant's money is the group's, never the sponsor's.
    org_accounts = {p.account for t in txns for p in t.postings if ":Org:" in p.account}
    assert org_accounts and all(f":Org:O{g}:" in a for a in org_accounts)
    assert not any(f":Org:O{w.org2.id}:" in a for a in org_accounts)

    books = ledger.balances(books_dir, w.tenant.slug, year)

    def cny(account):
        return books.get(account, {}).get("CNY", Decimal(0))

    assert cny(ledger.accounts.org_cash(year, g, c)) == 0  # closed: the rest went back
    assert cny(ledger.accounts.fund_refunded(year, f)) == Decimal("11640.00")
    assert contract.refunded_fen == 1_164_000

    checked = bean_check(ledger.main_path(books_dir, w.tenant.slug))
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    verified = app.test_cli_runner().invoke(args=["ledger", "verify", "--tenant", w.tenant.slug])
    assert verified.exit_code == 0, verified.output
    assert "索引与账簿一致" in verified.output



def test_the_group_page_lists_its_grant_paid_through_the_sponsor(app, db, books_dir, login,
                                                                 client):
    w = funding_world()
    group, leader = _filed_group(w)
    contract = make_contract(w, make_award(w, make_application(w, org=group, lines=SMALL)),
                             shares=(10000,))
    pay_tranche(w, contract, 1)
    url = f"/t/{w.tenant.slug}/grassroots/groups/{group.id}"
    login(leader)
    page = client.get(url).get_data(as_text=True)
    assert "小额资助（经依托单位拨付）" in page and "资助款由彩虹文体协会代本组织收取" in page
    assert f"/funding/contracts/{contract.id}" in page and "¥15,000.00" in page
    client.post("/logout")
    login(w.admin2)  # the sponsor's admin sees the grant, without the contract's internals
    page = client.get(url).get_data(as_text=True)
    assert contract.title in page and f"/funding/contracts/{contract.id}" not in page
