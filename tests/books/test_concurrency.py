"""Drains of one tenant running at the same time (real commits, several connections)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

import ledger
from app.books import drain as posting
from app.books.audit import verify_tenant
from app.books.models import LedgerTxn, OutboxEvent
from app.books.outbox import emit
from app.db_commit import commit
from app.extensions import db as _db
from app.tenancy.models import Tenant
from tests.books.conftest import D, common, day

EMITTERS, PER_EMITTER, DRAINERS = 4, 15, 2


def _run_threads(targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            start.wait()
            try:
                fn()
            except BaseException as exc:  # reported by the test
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(fn)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


def test_concurrent_drains_post_every_event_exactly_once(app, committed, books_dir, monkeypatch):
    monkeypatch.setattr(posting, "BATCH_SIZE", 4)  # many small batches: many chances to interleave
    tenant = Tenant(slug="conc", name="并发区")
    _db.session.add(tenant)
    _db.session.commit()
    tenant_id = tenant.id
    # Rows already waiting (as after a Redis outage) ...
    app.config["JOBS_INLINE"] = False
    try:
        for n in range(10):
            emit(ledger.IncentiveAccrual, tenant=tenant, org_id=1, points=n + 1,
                 **common(n, day(1, 1 + n)))
        _db.session.commit()
    finally:
        app.config["JOBS_INLINE"] = True
    _db.session.info.pop("gz_ready_jobs", None)
    _db.session.remove()

    def emitter(k: int):
        def run():
            with app.app_context():
                me = _db.session.get(Tenant, tenant_id)
                for i in range(PER_EMITTER):
                    emit(ledger.Appropriation, tenant=me, fund_id=k + 1, amount=D(f"{i + 1}.01"),
                         **common(i, day(2 + i % 3, 1 + k)))
                    commit()  # each commit drains inline, racing the others
        return run

    def drainer():
        with app.app_context():
            for _ in range(10):
                posting.drain(tenant_id)

    errors = _run_threads([emitter(k) for k in range(EMITTERS)] + [drainer] * DRAINERS)
    assert errors == []

    with app.app_context():
        posting.drain(tenant_id)  # whatever the last commits left (none expected)
        total = 10 + EMITTERS * PER_EMITTER
        txn_ids = _db.session.scalars(select(OutboxEvent.txn_id).where(
            OutboxEvent.tenant_id == tenant_id, OutboxEvent.posted_at.is_not(None))).all()
        assert len(txn_ids) == total
        text = ledger.year_path(books_dir, "conc", 2025).read_text(encoding="utf-8")
        assert all(text.count(f'txn-id: "{t}"') == 1 for t in txn_ids)
        assert _db.session.scalar(select(func.count()).select_from(LedgerTxn).where(
            LedgerTxn.tenant_id == tenant_id)) == total
        outcome = verify_tenant(tenant_id)
        assert outcome.ok, outcome.problems
        assert outcome.transactions == total
