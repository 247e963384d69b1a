"""Time credits (时间银行) are their own commodity: deposits, gifts, payments and reversals
balance in HOUR, pass bean-check across a month end and a year end, and open in fava."""

from __future__ import annotations

import re

import pytest

import ledger
from ledger import accounts, entries
from ledger import events as ev
from tests.ledger.support import TENANT, D, all_balances, bean_check, day, make


def rows(event):
    return [(p.account, str(p.units.number), p.units.currency)
            for p in entries.transaction(event).postings]


def test_a_deposit_above_the_cap_gives_the_excess_to_the_pool():
    deposit = make(ev.TimeDeposit, 1, day(3, 2), org_id=5, person=12, hours=D("1.5"),
                   donated=D("0.75"))
    assert rows(deposit) == [
        ("Expenses:FY2025:TimeBank:Deposited:O5", "2.25", "HOUR"),
        ("Liabilities:FY2025:TimeBank:P12", "-1.50", "HOUR"),
        ("Liabilities:FY2025:TimeBank:Pool", "-0.75", "HOUR"),
    ]
    whole_gift = make(ev.TimeDeposit, 2, day(3, 2), org_id=5, person=12, hours=D(0),
                      donated=D(2))
    assert rows(whole_gift) == [("Expenses:FY2025:TimeBank:Deposited:O5", "2.00", "HOUR"),
                                ("Liabilities:FY2025:TimeBank:Pool", "-2.00", "HOUR")]


def test_a_gift_and_a_payment_move_credits_between_holders():
    assert rows(make(ev.TimeTransfer, 1, day(3, 2), giver=12, receiver=15, hours=D("1"))) == [
        ("Liabilities:FY2025:TimeBank:P12", "1.00", "HOUR"),
        ("Liabilities:FY2025:TimeBank:P15", "-1.00", "HOUR")]
    assert rows(make(ev.TimeTransfer, 2, day(3, 2), giver=None, receiver=15, hours=D("2"))) == [
        ("Liabilities:FY2025:TimeBank:Pool", "2.00", "HOUR"),
        ("Liabilities:FY2025:TimeBank:P15", "-2.00", "HOUR")]
    assert rows(make(ev.TimePayment, 3, day(3, 2), org_id=7, person=15, hours=D("0.5"))) == [
        ("Liabilities:FY2025:TimeBank:P15", "0.50", "HOUR"),
        ("Income:FY2025:TimeBank:Received:O7", "-0.50", "HOUR")]


@pytest.mark.parametrize("cls, fields", [
    (ev.TimeDeposit, {"org_id": 5, "person": 12, "hours": D("0.3")}),  # not a quarter
    (ev.TimeDeposit, {"org_id": 5, "person": 12, "hours": D(0)}),  # nothing credited
    (ev.TimeDeposit, {"org_id": 5, "person": 12, "hours": D(-1)}),
    (ev.TimeTransfer, {"giver": 12, "receiver": 12, "hours": D(1)}),
    (ev.TimeTransfer, {"giver": None, "receiver": None, "hours": D(1)}),
    (ev.TimePayment, {"org_id": 5, "person": 0, "hours": D(1)}),
])
def test_impossible_time_events_are_refused(cls, fields):
    with pytest.raises((TypeError, ValueError)):
        make(cls, 1, day(3, 2), **fields)


def test_hours_are_never_floats():
    with pytest.raises(TypeError):
        make(ev.TimePayment, 1, day(3, 2), org_id=5, person=3, hours=1.5)


def test_a_payload_round_trip_keeps_the_event():
    gift = make(ev.TimeTransfer, 1, day(3, 2), giver=None, receiver=15, hours=D("2.25"))
    assert ev.event_from_payload(gift.to_payload()) == gift


def test_time_books_pass_bean_check_and_verify_across_a_year_end(ledger_dir):
    deposit = make(ev.TimeDeposit, 1, day(11, 3), org_id=5, person=12, hours=D("3.25"),
                   donated=D("0.75"))
    events = [
        deposit,
        make(ev.TimeTransfer, 2, day(11, 20), giver=12, receiver=15, hours=D("1")),
        make(ev.TimePayment, 3, day(12, 5), org_id=7, person=15, hours=D("0.5")),
        make(ev.Reversal, 4, day(12, 9), original=make(
            ev.TimePayment, 3, day(12, 5), org_id=7, person=15, hours=D("0.5")),
            reason="预约取消"),
        make(ev.TimePayment, 5, day(1, 8, 2026), org_id=7, person=12, hours=D("1.25")),
    ]
    ledger.post(ledger_dir, TENANT, events)
    checked = bean_check(ledger.main_path(ledger_dir, TENANT))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    main = ledger.main_path(ledger_dir, TENANT).read_text(encoding="utf-8")
    assert "commodity HOUR" in main
    assert re.search(r"2025-12-01 balance Liabilities:FY2025:TimeBank:P12 +-2.25 HOUR",
                     ledger.year_path(ledger_dir, TENANT, 2025).read_text(encoding="utf-8"))
    balances = all_balances(ledger_dir)
    assert balances["Liabilities:FY2026:TimeBank:P12"] == {"HOUR": D("-1.00")}
    assert balances["Liabilities:FY2026:TimeBank:P15"] == {"HOUR": D("-1.00")}
    assert balances["Liabilities:FY2026:TimeBank:Pool"] == {"HOUR": D("-0.75")}
    assert balances["Income:FY2026:TimeBank:Received:O7"] == {"HOUR": D("-1.25")}
    for year in (2025, 2026):
        report = ledger.verify(ledger_dir, TENANT, year)
        assert report.ok, report.lines()


def test_the_chart_names_time_accounts():
    assert accounts.commodity("Liabilities:FY2025:TimeBank:P12") == "HOUR"
    assert accounts.commodity("Expenses:FY2025:TimeBank:Deposited:O5") == "HOUR"
    assert accounts.parse("Liabilities:FY2025:TimeBank:P12").person_id == 12
    assert accounts.parse("Liabilities:FY2025:TimeBank:Pool").kind == "time_pool"
    assert accounts.parse("Income:FY2025:TimeBank:Received:O7").org_id == 7
