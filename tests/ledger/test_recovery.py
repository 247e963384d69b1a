"""A retry never posts twice: after a crash, a torn write, a lost sidecar, or a race."""

from __future__ import annotations

import multiprocessing
import os

import pytest

import ledger
from ledger import events as ev
from ledger import journal, recovery, state
from tests.ledger.support import SCENARIO_BALANCES, TENANT, D, bean_check, day, make, scenario

FORK = multiprocessing.get_context("fork")


def journal_text(ledger_dir, year=2025):
    return ledger.year_path(ledger_dir, TENANT, year).read_text(encoding="utf-8")


def assert_books_clean(ledger_dir, transactions):
    result = bean_check(ledger.main_path(ledger_dir, TENANT))
    assert (result.returncode, result.stderr) == (0, "")
    report = ledger.verify(ledger_dir, TENANT)
    assert report.ok, report.lines()
    assert report.transactions == transactions


def test_retry_of_a_posted_batch_writes_nothing(ledger_dir):
    first = ledger.post(ledger_dir, TENANT, scenario())
    before = journal_text(ledger_dir)
    again = ledger.post(ledger_dir, TENANT, scenario())
    assert journal_text(ledger_dir) == before
    assert [p.replayed for p in again] == [True] * 9
    assert [(p.txn_id, p.hash, p.date, p.postings) for p in again] == [
        (p.txn_id, p.hash, p.date, p.postings) for p in first
    ]
    assert_books_clean(ledger_dir, 9)


def test_retry_with_more_events_posts_only_the_new_ones(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:5])
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.replayed for p in posted] == [True] * 5 + [False] * 4
    assert journal_text(ledger_dir).count('txn-id: "gz-xihu-4"') == 1
    assert ledger.balances(ledger_dir, TENANT, 2025) == SCENARIO_BALANCES


def test_same_txn_id_with_other_content_is_a_conflict(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:4])
    before = journal_text(ledger_dir)
    changed = make(
        ev.Expenditure,
        4,
        day(2, 3),
        org_id=5,
        contract_id=34,
        line="Materials",
        amount=D("1234.57"),
        payee="文具店",
    )
    with pytest.raises(
        ledger.TxnConflict, match="txn-id gz-xihu-4 was already posted with different content"
    ):
        ledger.post(ledger_dir, TENANT, [*scenario()[4:6], changed])
    assert journal_text(ledger_dir) == before  # the whole batch was refused


def _crash_before_sidecar(ledger_dir):
    def crash(*args, **kwargs):
        os._exit(3)

    recovery.append_index = crash  # the journal is fsynced; the txn index never is
    ledger.post(ledger_dir, TENANT, scenario())


def _crash_mid_write(ledger_dir):
    def torn(path, start, payload):
        with open(path, "ab") as fh:
            fh.write(payload[: len(payload) // 2])
        os._exit(3)

    journal._append_chunk = torn
    ledger.post(ledger_dir, TENANT, scenario())


def _in_child(target, ledger_dir):
    child = FORK.Process(target=target, args=(ledger_dir,))
    child.start()
    child.join()
    assert child.exitcode == 3


def test_crash_after_fsync_before_sidecar_then_retry_is_a_no_op(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:3])
    _in_child(_crash_before_sidecar, ledger_dir)
    on_disk = journal_text(ledger_dir)
    assert on_disk.count("txn-id:") == 9  # the crashed batch reached the disk
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.replayed for p in posted] == [True] * 9
    assert journal_text(ledger_dir) == on_disk
    assert_books_clean(ledger_dir, 9)
    assert ledger.balances(ledger_dir, TENANT, 2025) == SCENARIO_BALANCES


def test_torn_write_is_cut_off_and_the_retry_posts_it_once(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:3])
    before = journal_text(ledger_dir)
    _in_child(_crash_mid_write, ledger_dir)
    assert journal_text(ledger_dir) != before
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.replayed for p in posted] == [True] * 3 + [False] * 6
    assert journal_text(ledger_dir).startswith(before)
    assert_books_clean(ledger_dir, 9)
    kept_aside = [p.name for p in (ledger_dir / TENANT).glob(".ledger-discarded-*")]
    assert kept_aside == [f".ledger-discarded-2025-{len(before.encode())}.txt"]


def test_in_process_failure_leaves_a_retry_that_works(ledger_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(recovery, "save_state", fail)
    with pytest.raises(OSError, match="disk full"):
        ledger.post(ledger_dir, TENANT, scenario())
    monkeypatch.undo()
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.replayed for p in posted] == [True] * 9
    assert_books_clean(ledger_dir, 9)


def test_bytes_appended_by_hand_stop_the_writer(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:3])
    path = ledger.year_path(ledger_dir, TENANT, 2025)
    size = path.stat().st_size
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(
            '\n2025-02-02 * "补记"\n  Assets:FY2025:Fund:F1:Available  1.00 CNY\n'
            "  Equity:FY2025:Appropriation:F1  -1.00 CNY\n"
        )
    with pytest.raises(ledger.LedgerCorrupt) as error:
        ledger.post(ledger_dir, TENANT, scenario()[3:])
    assert str(error.value) == (
        f"2025.beancount is {path.stat().st_size} bytes but the writer left it at {size}: "
        "it was changed outside the ledger writer; run verify"
    )


def test_lost_sidecar_is_rebuilt_from_the_journal(ledger_dir):
    ledger.post(ledger_dir, TENANT, scenario()[:6])
    (ledger_dir / TENANT / ".ledger-state.json").unlink()
    (ledger_dir / TENANT / ".ledger-txns.jsonl").unlink()
    state.INDEXES.forget(ledger_dir / TENANT)
    posted = ledger.post(ledger_dir, TENANT, scenario())
    assert [p.replayed for p in posted] == [True] * 6 + [False] * 3
    assert_books_clean(ledger_dir, 9)
    assert ledger.balances(ledger_dir, TENANT, 2025) == SCENARIO_BALANCES


def _worker(ledger_dir, name, fund_id, barrier):
    barrier.wait()
    for batch in range(10):
        events = [
            make(
                ev.Appropriation,
                n,
                day(1 + n // 12, 1 + n % 28),
                fund_id=fund_id,
                amount=D(f"{n}.{fund_id:02d}"),
                txn_id=f"gz-{TENANT}-{name}-{n}",
            )
            for n in range(batch * 6, batch * 6 + 6)
        ]
        ledger.post(ledger_dir, TENANT, events)


def test_two_processes_interleave_whole_batches_with_an_intact_chain(ledger_dir):
    barrier = FORK.Barrier(2)
    workers = [
        FORK.Process(target=_worker, args=(ledger_dir, name, fund, barrier))
        for name, fund in (("a", 1), ("b", 2))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.exitcode for w in workers] == [0, 0]
    assert_books_clean(ledger_dir, 120)
    ids = [
        line.split('"')[1]
        for line in journal_text(ledger_dir).splitlines()
        if line.startswith("  txn-id:")
    ]
    assert sorted(ids) == sorted(f"gz-{TENANT}-{w}-{n}" for w in "ab" for n in range(60))
    runs = [ids[i : i + 6] for i in range(0, 120, 6)]
    assert all(len({i.split("-")[2] for i in run}) == 1 for run in runs)  # batches stay whole
    for name in "ab":  # each writer's own order is kept
        mine = [int(i.rsplit("-", 1)[1]) for i in ids if i.split("-")[2] == name]
        assert mine == list(range(60))
    total = sum(D(n) for n in range(60))
    assert ledger.balances(ledger_dir, TENANT, 2025) == {
        "Assets:FY2025:Fund:F1:Available": {"CNY": total + D("0.60")},
        "Equity:FY2025:Appropriation:F1": {"CNY": -total - D("0.60")},
        "Assets:FY2025:Fund:F2:Available": {"CNY": total + D("1.20")},
        "Equity:FY2025:Appropriation:F2": {"CNY": -total - D("1.20")},
    }


def _steady_writer(ledger_dir, started):
    for batch in range(40):
        ledger.post(
            ledger_dir,
            TENANT,
            [
                make(ev.Appropriation, n, day(1 + n // 40, 1), fund_id=1, amount=D("1.00"))
                for n in range(batch * 10, batch * 10 + 10)
            ],
        )
        started.set()


def test_verify_while_posting_sees_whole_batches_only(ledger_dir):
    started = FORK.Event()
    writer = FORK.Process(target=_steady_writer, args=(ledger_dir, started))
    writer.start()
    started.wait(timeout=30)
    reports = []
    while writer.is_alive() or not reports:
        reports.append(ledger.verify(ledger_dir, TENANT))
    writer.join()
    assert writer.exitcode == 0
    assert [r.lines() for r in reports] == [[]] * len(reports)
    assert all(r.transactions % 10 == 0 for r in reports)
    assert ledger.verify(ledger_dir, TENANT).transactions == 400
