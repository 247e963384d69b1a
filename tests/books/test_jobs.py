"""The ledger jobs run without Redis: the sweep and the nightly close-and-verify."""

from __future__ import annotations

import ledger
from app.books import services
from app.books.outbox import emit
from app.db_commit import commit
from tests.books.conftest import D, common, day
from tests.factories import TenantFactory
from workers import ledger as jobs


def test_sweep_posts_rows_left_pending_in_every_tenant(app, db, books_dir):
    first, second = TenantFactory(), TenantFactory()
    app.config["JOBS_INLINE"] = False  # the commit could not reach the queue
    try:
        for tenant in (first, second):
            emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("3.00"),
                 **common(1, day(6, 1)))
        db.session.commit()
    finally:
        app.config["JOBS_INLINE"] = True
    db.session.info.pop("gz_ready_jobs", None)
    assert jobs.sweep() == {first.id: 1, second.id: 1}
    assert services.outbox_status(first.id).pending == 0
    assert services.balance(second.id, "Assets:FY2025:Fund:F1:Available") == {"CNY": D("3.00")}


def test_nightly_closes_ended_months_and_records_a_verification(db, books_dir):
    tenant = TenantFactory()
    emit(ledger.Appropriation, tenant=tenant, fund_id=1, amount=D("3.00"), **common(1, day(6, 1)))
    commit()
    assert services.last_verified(tenant.id) is None
    assert jobs.nightly() == {tenant.id: True}
    text = ledger.year_path(books_dir, tenant.slug, 2025).read_text(encoding="utf-8")
    assert "2025-07-01 balance Assets:FY2025:Fund:F1:Available" in text
    # Today is long after 2025: the year was closed and carried forward.
    assert services.transaction(tenant.id, "ledger:carry-in:2026") is not None
    last = services.last_verified(tenant.id)
    assert (last.ok, last.problems) == (True, 0) and last.transactions >= 3
