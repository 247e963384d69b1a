"""verify finds what an auditor must see: edits, deletions, insertions, reordering, drift."""

from __future__ import annotations

import pytest

import ledger
from ledger import chain, entries
from ledger import events as ev
from ledger.verify import ChainBreak, Mismatch
from tests.ledger.support import SCENARIO_BALANCES, TENANT, D, day, make, scenario


@pytest.fixture
def books(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario())
    return ledger.year_path(ledger_dir, TENANT, 2025)


def blocks(path):
    return path.read_text(encoding="utf-8").split("\n\n")


def save(path, parts):
    path.write_text("\n\n".join(parts), encoding="utf-8")


def block_of(parts, txn_id):
    [index] = [i for i, b in enumerate(parts) if f'  txn-id: "{txn_id}"\n' in b]
    return index


def line_of(path, txn_id):
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'  txn-id: "{txn_id}"')  # the header is the line before (1-based)


def only_break(report):
    assert len(report.chain_breaks) == 1, report.lines()
    return report.chain_breaks[0]


def test_clean_books_verify(ledger_dir, books):
    report = ledger.verify(ledger_dir, TENANT, 2025, index_balances=SCENARIO_BALANCES)
    assert report.ok and report.lines() == []
    assert (report.years, report.transactions) == ([2025], 9)
    assert report.heads[2025] == ledger.post(ledger_dir, TENANT, scenario())[-1].hash
    assert report.balances == SCENARIO_BALANCES


def test_edited_amount_is_found(ledger_dir, books):
    parts = blocks(books)
    i = block_of(parts, "gz-xihu-8")
    parts[i] = parts[i].replace("100.00 CNY", "10.00 CNY")  # both legs: still balanced
    save(books, parts)
    report = ledger.verify(ledger_dir, TENANT)
    assert only_break(report) == ChainBreak(
        2025,
        "edited",
        f"xihu/2025.beancount:{line_of(books, 'gz-xihu-8')}",
        "gz-xihu-8",
        "content does not match its hash: the transaction was edited",
    )
    assert report.errors == []  # March is still open: only the chain sees this one


def test_deleted_transaction_is_found(ledger_dir, books):
    parts = blocks(books)
    prev_hash = [b for b in parts if 'txn-id: "gz-xihu-5"' in b][0].split('hash: "')[-1][:12]
    del parts[block_of(parts, "gz-xihu-5")]
    save(books, parts)
    report = ledger.verify(ledger_dir, TENANT)
    assert only_break(report) == ChainBreak(
        2025,
        "deleted",
        f"xihu/2025.beancount:{line_of(books, 'gz-xihu-6')}",
        "gz-xihu-6",
        f"the transaction before it (hash {prev_hash}) is missing: deleted",
    )
    assert any("Balance failed for 'Liabilities:FY2025:Org:O5:Points'" in e for e in report.errors)


def test_swapped_pair_is_found(ledger_dir, books):
    parts = blocks(books)
    i, j = block_of(parts, "gz-xihu-7"), block_of(parts, "gz-xihu-8")
    parts[i], parts[j] = parts[j], parts[i]
    save(books, parts)
    report = ledger.verify(ledger_dir, TENANT)
    assert only_break(report) == ChainBreak(
        2025,
        "reordered",
        f"xihu/2025.beancount:{line_of(books, 'gz-xihu-8')}",
        "gz-xihu-8",
        "it should follow gz-xihu-7, found later",
    )
    assert report.errors == []  # beancount itself cannot see a reordering


def test_inserted_transactions_are_found(ledger_dir, books):
    parts = blocks(books)
    i = block_of(parts, "gz-xihu-3")
    forged = make(
        ev.Disbursement, 99, day(2, 1), fund_id=1, org_id=5, contract_id=34, amount=D("1.00")
    )
    before = parts[i - 1] if 'hash: "' in parts[i - 1] else parts[i - 2]
    linked = chain.chained(entries.transaction(forged), before.split('hash: "')[-1][:64])
    text = ledger.render(forged).rstrip("\n")
    header, rest = text.split("\n", 1)
    meta = f'  prev-hash: "{linked.meta["prev-hash"]}"\n  hash: "{linked.meta["hash"]}"\n'
    parts.insert(i, header + "\n" + rest.replace("  Assets:", meta + "  Assets:", 1))
    save(books, parts)
    report = ledger.verify(ledger_dir, TENANT)
    assert only_break(report) == ChainBreak(
        2025,
        "inserted",
        f"xihu/2025.beancount:{line_of(books, 'gz-xihu-3')}",
        "gz-xihu-3",
        "it follows gz-xihu-2, but other transactions were inserted in between",
    )

    parts = blocks(books)
    parts[block_of(parts, "gz-xihu-99")] = text  # the same, without any hashes
    save(books, parts)
    assert only_break(ledger.verify(ledger_dir, TENANT)) == ChainBreak(
        2025,
        "inserted",
        f"xihu/2025.beancount:{line_of(books, 'gz-xihu-99')}",
        "gz-xihu-99",
        "transaction has no hash: it was not written by the ledger",
    )


def test_removed_tail_is_found(ledger_dir, books):
    parts = blocks(books)
    save(books, parts[: block_of(parts, "gz-xihu-9")])
    report = ledger.verify(ledger_dir, TENANT)
    assert only_break(report).kind == "truncated"
    assert report.lines() == [
        "xihu/2025.beancount: chain truncated: the journal does not end with the last "
        "transaction the writer recorded: transactions were removed from the end"
    ]


def test_year_link_is_checked(ledger_dir, books):
    ledger.post(
        ledger_dir,
        TENANT,
        [
            make(
                ev.Expenditure,
                30,
                day(1, 3, 2026),
                org_id=5,
                contract_id=34,
                line="Transport",
                amount=D("8.00"),
            )
        ],
    )
    path = ledger.year_path(ledger_dir, TENANT, 2026)
    text = path.read_text(encoding="utf-8")
    first_prev = text.split('prev-hash: "')[1][:64]
    path.write_text(text.replace(first_prev, "f" * 64, 1), encoding="utf-8")
    assert ledger.verify(ledger_dir, TENANT, 2025).ok
    assert only_break(ledger.verify(ledger_dir, TENANT, 2026)).kind == "unchained"


def test_one_fen_tampering_is_reported_with_file_and_line(ledger_dir, books):
    ledger.close_month(ledger_dir, TENANT, 2025, 3)
    text = books.read_text(encoding="utf-8")
    books.write_text(
        text.replace("Refunded   100.00 CNY", "Refunded   100.01 CNY").replace(
            "Cash   -100.00 CNY", "Cash   -100.01 CNY"
        ),
        encoding="utf-8",
    )
    report = ledger.verify(ledger_dir, TENANT)
    assert report.errors == [
        "xihu/2025.beancount:158: Balance failed for 'Assets:FY2025:Fund:F1:Refunded': "
        "expected 100.000 CNY != accumulated 100.01 CNY (0.010 too much)",
        "xihu/2025.beancount:159: Balance failed for 'Assets:FY2025:Org:O5:C34:Cash': "
        "expected 19880.000 CNY != accumulated 19879.99 CNY (0.010 too little)",
    ]
    assert only_break(report).txn_id == "gz-xihu-8"


def test_index_drift_is_reported_per_account(ledger_dir, books):
    index = {a: dict(per) for a, per in SCENARIO_BALANCES.items()}
    index["Assets:FY2025:Org:O5:C34:Cash"]["CNY"] = D("19879.99")
    del index["Income:FY2025:Org:O5:Points:Redeemed"]
    index["Assets:FY2025:Org:O5:C35:Cash"] = {"CNY": D("5.00")}
    index["Assets:FY2024:Org:O5:C35:Cash"] = {"CNY": D("7.00")}  # another year: not checked
    index["Assets:Org:O5:Cash"] = {"CNY": D("1.00")}  # not an account of the chart at all
    report = ledger.verify(ledger_dir, TENANT, 2025, index_balances=index)
    assert report.mismatches == [
        Mismatch("Assets:FY2025:Org:O5:C34:Cash", "CNY", D("19880.00"), D("19879.99")),
        Mismatch("Assets:FY2025:Org:O5:C35:Cash", "CNY", D("0"), D("5.00")),
        Mismatch("Assets:Org:O5:Cash", "CNY", D("0"), D("1.00")),
        Mismatch("Income:FY2025:Org:O5:Points:Redeemed", "PTS", D("-20"), D("0")),
    ]
    assert not report.ok and report.errors == [] and report.chain_breaks == []


def test_reversal_restores_balances(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:3])
    before = ledger.balances(ledger_dir, TENANT, 2025)
    expenditure = make(
        ev.Expenditure,
        4,
        day(2, 3),
        org_id=5,
        contract_id=34,
        line="Materials",
        amount=D("1234.56"),
    )
    ledger.post(ledger_dir, TENANT, [expenditure])
    assert ledger.balances(ledger_dir, TENANT, 2025)["Assets:FY2025:Org:O5:C34:Cash"] == {
        "CNY": D("18765.44")
    }
    ledger.post(
        ledger_dir,
        TENANT,
        [make(ev.Reversal, 5, day(2, 4), original=expenditure, reason="重复录入")],
    )
    assert ledger.balances(ledger_dir, TENANT, 2025) == before
    assert ledger.verify(ledger_dir, TENANT).ok


def test_missing_year_is_an_error(ledger_dir, books):
    report = ledger.verify(ledger_dir, TENANT, 2024)
    assert report.errors == ["xihu/2024.beancount: no journal for fiscal year 2024"]
