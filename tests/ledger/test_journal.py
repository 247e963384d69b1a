"""The journal writer: bean-check clean, fava-equal, month-end assertions, dates, years."""

from __future__ import annotations

import pytest

import ledger
from ledger import events as ev
from tests.ledger.support import (
    SCENARIO_BALANCES,
    TENANT,
    D,
    all_balances,
    bean_check,
    day,
    fava_balances,
    make,
    scenario,
)


def clean_check(ledger_dir):
    result = bean_check(ledger.main_path(ledger_dir, TENANT))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("upto", range(9), ids=[e.kind for e in scenario()])
def test_each_event_type_passes_bean_check_and_opens_in_fava(ledger_dir, upto):
    events = scenario()[: upto + 1]
    posted = ledger.post(ledger_dir, TENANT, events)
    clean_check(ledger_dir)
    assert fava_balances(ledger.main_path(ledger_dir, TENANT)) == all_balances(ledger_dir)
    mine = posted[-1]
    assert (mine.txn_id, mine.kind, mine.year, mine.replayed) == (
        events[-1].txn_id,
        events[-1].kind,
        2025,
        False,
    )
    assert sum(line.amount for line in mine.postings if line.currency == "CNY") == 0


def test_scenario_balances_to_the_fen(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    assert ledger.balances(ledger_dir, TENANT, 2025) == SCENARIO_BALANCES
    assert fava_balances(ledger.main_path(ledger_dir, TENANT)) == SCENARIO_BALANCES
    report = ledger.verify(ledger_dir, TENANT, index_balances=SCENARIO_BALANCES)
    assert report.ok, report.lines()
    assert report.transactions == 9


def test_posted_records_mirror_the_journal(ledger_dir):
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.txn_id for p in posted] == [f"gz-xihu-{n}" for n in range(1, 10)]
    assert posted[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(posted, posted[1:], strict=False))
    index: dict[str, dict[str, D]] = {}
    for record in posted:
        for line in record.postings:
            per = index.setdefault(line.account, {})
            per[line.currency] = per.get(line.currency, D(0)) + line.amount
    index = {a: {c: n for c, n in per.items() if n} for a, per in index.items()}
    assert {a: per for a, per in index.items() if per} == SCENARIO_BALANCES
    assert ledger.verify(ledger_dir, TENANT, index_balances=index).ok
    assert ledger.read_posted(ledger_dir, TENANT, 2025) == posted  # the index can be rebuilt


def test_month_end_assertions_have_three_decimals(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    text = ledger.year_path(ledger_dir, TENANT, 2025).read_text(encoding="utf-8")
    assert "2025-02-01 balance Assets:FY2025:Fund:F1:Available" in text
    assert "50000.000 CNY\n" in text
    assert (
        "2025-03-01 balance Assets:FY2025:Org:O5:C34:Cash                   18765.440 CNY" in text
    )
    assert "2025-03-01 balance Liabilities:FY2025:Org:O5:Points                -120 PTS" in text
    # March is still open: nothing asserted for April 1 until the month is closed.
    assert "2025-04-01 balance" not in text
    assert ledger.close_month(ledger_dir, TENANT, 2025, 3) == []
    text = ledger.year_path(ledger_dir, TENANT, 2025).read_text(encoding="utf-8")
    assert (
        "2025-04-01 balance Assets:FY2025:Org:O5:C34:Cash                   19880.000 CNY" in text
    )
    assert ledger.close_month(ledger_dir, TENANT, 2025, 3) == []
    assert ledger.year_path(ledger_dir, TENANT, 2025).read_text(encoding="utf-8") == text
    clean_check(ledger_dir)


def test_one_fen_tampering_fails_the_assertion(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    path = ledger.year_path(ledger_dir, TENANT, 2025)
    text = path.read_text(encoding="utf-8")
    tampered = text.replace("Materials   1234.56 CNY", "Materials   1234.55 CNY").replace(
        "Cash         -1234.56 CNY", "Cash         -1234.55 CNY"
    )
    assert tampered.count("1234.55 CNY") == 2
    path.write_text(tampered, encoding="utf-8")
    result = bean_check(ledger.main_path(ledger_dir, TENANT))
    assert result.returncode == 1
    assert (
        f"{path}:88: Balance failed for 'Assets:FY2025:Org:O5:C34:Cash': expected "
        "18765.440 CNY != accumulated 18765.45 CNY (0.010 too much)"
    ) in result.stderr
    # With two decimals beancount would tolerate the fen: that is why we write three.
    path.write_text(
        tampered.replace("18765.440 CNY", "18765.44 CNY").replace("1234.560 CNY", "1234.56 CNY"),
        encoding="utf-8",
    )
    assert "2025.beancount:88:" not in bean_check(ledger.main_path(ledger_dir, TENANT)).stderr


def test_back_dated_event_is_posted_in_the_open_month(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:6])  # open month is now March
    late = make(
        ev.Expenditure,
        20,
        day(2, 20),
        org_id=5,
        contract_id=34,
        line="Transport",
        amount=D("10.01"),
    )
    [posted] = ledger.post(ledger_dir, TENANT, [late])
    assert (posted.date, posted.event_date, posted.year) == (day(3, 1), day(2, 20), 2025)
    text = ledger.year_path(ledger_dir, TENANT, 2025).read_text(encoding="utf-8")
    assert '2025-03-01 * "expenditure 第20笔"\n' in text
    assert '  event-date: "2025-02-20"\n' in text
    clean_check(ledger_dir)  # the 1 March assertions still hold


def test_new_year_carries_the_balance_sheet_forward(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    next_year = make(
        ev.Expenditure,
        30,
        day(1, 3, 2026),
        org_id=5,
        contract_id=34,
        line="Transport",
        amount=D("80.00"),
    )
    posted = ledger.post(ledger_dir, TENANT, [next_year])
    assert [(p.txn_id, p.year, p.date) for p in posted] == [
        ("ledger:carry-out:2025", 2025, day(12, 31)),
        ("ledger:carry-in:2026", 2026, day(1, 1, 2026)),
        ("gz-xihu-30", 2026, day(1, 3, 2026)),
    ]
    assert posted[1].prev_hash == posted[0].hash and posted[2].prev_hash == posted[1].hash
    again = ledger.post(ledger_dir, TENANT, [next_year])  # a retry also returns the carry-over
    assert [(p.txn_id, p.hash, p.postings, p.replayed) for p in again] == [
        (p.txn_id, p.hash, p.postings, True) for p in posted
    ]
    assert ledger.years(ledger_dir, TENANT) == [2025, 2026]
    assert ledger.balances(ledger_dir, TENANT, 2026) == {
        "Assets:FY2026:Fund:F1:Available": {"CNY": D("55000.00")},
        "Assets:FY2026:Fund:F1:Committed:C34": {"CNY": D("25000.00")},
        "Assets:FY2026:Fund:F1:Refunded": {"CNY": D("100.00")},
        "Assets:FY2026:Org:O5:C34:Cash": {"CNY": D("19800.00")},
        "Liabilities:FY2026:Org:O5:Points": {"PTS": D("-100")},
        "Equity:FY2026:BroughtForward": {"CNY": D("-99980.00"), "PTS": D("100")},
        "Expenses:FY2026:Org:O5:C34:Transport": {"CNY": D("80.00")},
    }
    closed = ledger.balances(ledger_dir, TENANT, 2025)
    assert "Assets:FY2025:Org:O5:C34:Cash" not in closed  # carried out to zero
    assert closed["Equity:FY2025:CarriedForward"] == {"CNY": D("99980.00"), "PTS": D("-100")}
    clean_check(ledger_dir)
    assert fava_balances(ledger.main_path(ledger_dir, TENANT)) == all_balances(ledger_dir)
    for year in (2025, 2026):  # each year file also stands on its own
        result = bean_check(ledger.year_path(ledger_dir, TENANT, year))
        assert (result.returncode, result.stderr) == (0, "")
    assert ledger.verify(ledger_dir, TENANT).ok
    assert ledger.read_posted(ledger_dir, TENANT, 2026) == posted[1:]


def test_late_event_for_a_closed_year_goes_to_the_new_year(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    ledger.close_month(ledger_dir, TENANT, 2025, 12)
    assert ledger.years(ledger_dir, TENANT) == [2025, 2026]
    late = make(
        ev.Expenditure,
        31,
        day(12, 30),
        org_id=5,
        contract_id=34,
        line="Transport",
        amount=D("8.00"),
    )
    [posted] = ledger.post(ledger_dir, TENANT, [late])
    assert (posted.year, posted.date, posted.event_date) == (2026, day(1, 1, 2026), day(12, 30))
    assert posted.postings[0].account == "Expenses:FY2026:Org:O5:C34:Transport"
    clean_check(ledger_dir)
    assert ledger.verify(ledger_dir, TENANT).ok


def test_close_month_without_books_does_nothing(ledger_dir):
    assert ledger.close_month(ledger_dir, TENANT, 2025, 1) == []
    assert ledger.post(ledger_dir, TENANT, []) == []
    assert ledger.years(ledger_dir, TENANT) == []
    assert ledger.verify(ledger_dir, TENANT).ok


def test_events_of_another_tenant_are_refused(ledger_dir):
    other = make(ev.Appropriation, 1, day(1, 5), fund_id=1, amount=D("1.00"), tenant="binjiang")
    with pytest.raises(ValueError, match="belongs to tenant binjiang, not xihu"):
        ledger.post(ledger_dir, TENANT, [other])
    assert ledger.years(ledger_dir, TENANT) == []


def test_render_shows_the_transaction_for_display():
    text = ledger.render(scenario()[3])
    assert text.startswith('2025-02-03 * "文具店" "expenditure 第4笔"\n')
    assert "  Expenses:FY2025:Org:O5:C34:Materials   1234.56 CNY\n" in text
