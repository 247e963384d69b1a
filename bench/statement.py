"""Per-organization, per-contract statement latency with 1,000,000 postings in the index.

Creates a throwaway PostgreSQL database, bulk-loads the read index with COPY
(500,000 two-posting transactions over 1,000 organizations × 2 contracts),
VACUUM ANALYZEs, then times ``app.books.services.statement`` (50 lines) for
random organization/contract pages: first pages and pages after a random
cursor, per contract and for the whole organization.

    python bench/statement.py [--postings N] [--requests R]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import tempfile
import time
from pathlib import Path

from books_setup import create_tenant, make_app, throwaway_database

ORGS, CONTRACTS = 1000, 2


def load_index(tenant_id: int, postings: int) -> list[tuple[int, int, int, int]]:
    """COPY ``postings`` postings (half as many transactions); returns (org, contract,
    first posting id, last posting id) per contract."""
    from app.books import bulk
    from app.db import utcnow
    from app.extensions import db

    txns = postings // 2
    now = utcnow()
    start = datetime.date(2025, 1, 1)
    txn_cols = ["id", "tenant_id", "txn_id", "year", "date", "event_date", "kind", "narration",
                "payee", "fund_id", "org_id", "contract_id", "source", "approver", "hash",
                "prev_hash", "posted_at"]
    post_cols = ["id", "tenant_id", "ledger_txn_id", "year", "account", "commodity", "amount",
                 "balance_after", "org_id", "contract_id"]
    balances: dict[str, int] = {}
    spans: dict[tuple[int, int], list[int]] = {}
    chunk = 50_000
    posting_id = 0
    for base in range(0, txns, chunk):
        txn_rows, post_rows = [], []
        for t in range(base + 1, min(txns, base + chunk) + 1):
            org = random.randint(1, ORGS)
            contract = org * 10 + random.randint(1, CONTRACTS)
            day = start + datetime.timedelta(days=t * 360 // txns)
            amount = random.randint(100, 500_000)
            txn_rows.append([t, tenant_id, f"gz-{t}", 2025, day, day, "expenditure",
                             f"支出 第{t}笔", "供应商", None, org, contract, f"expenditure:{t}",
                             "user:1", "a" * 64, "b" * 64, now])
            for account, signed in ((f"Expenses:FY2025:Org:O{org}:C{contract}:Materials", amount),
                                    (f"Assets:FY2025:Org:O{org}:C{contract}:Cash", -amount)):
                posting_id += 1
                balances[account] = balances.get(account, 0) + signed
                post_rows.append([posting_id, tenant_id, t, 2025, account, "CNY", signed,
                                  balances[account], org, contract])
                span = spans.setdefault((org, contract), [posting_id, posting_id])
                span[1] = posting_id
        bulk.copy_rows("ledger_txn", txn_cols, txn_rows)
        bulk.copy_rows("ledger_posting", post_cols, post_rows)
    bulk.copy_rows("ledger_account", ["tenant_id", "account", "commodity", "year", "balance",
                                      "postings"],
                   [[tenant_id, a, "CNY", 2025, b, 0] for a, b in balances.items()])
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("ledger_txn", "ledger_posting", "ledger_account"):
            conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
    return [(o, c, a, b) for (o, c), (a, b) in spans.items()]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as scratch, throwaway_database() as url:
        app = make_app(url, Path(scratch) / "books")
        with app.app_context():
            from app.books import services
            from app.extensions import db

            tenant_id = create_tenant()
            started = time.perf_counter()
            spans = load_index(tenant_id, args.postings)
            load_seconds = time.perf_counter() - started
            count = db.session.execute(db.text("SELECT count(*) FROM ledger_posting")).scalar()

            def timed(fn) -> float:
                t = time.perf_counter()
                page = fn()
                elapsed = (time.perf_counter() - t) * 1000
                assert page.lines, "empty page"
                db.session.rollback()
                return elapsed

            contract_ms, org_ms = [], []
            for i in range(args.requests):
                org, contract, first, last = random.choice(spans)
                after = None if i % 2 == 0 else random.randint(first, last) - 1
                contract_ms.append(timed(lambda o=org, c=contract, a=after: services.statement(
                    tenant_id, o, c, 2025, after=a, limit=50)))
                org_ms.append(timed(lambda o=org, a=after: services.statement(
                    tenant_id, o, None, None, after=a, limit=50)))
    print(f"index_postings: {count} postings")
    print(f"index_bulk_load: {load_seconds:.1f} s")
    print(f"statement_requests: {args.requests} requests")
    print(f"statement_contract_p50: {statistics.median(contract_ms):.1f} ms")
    print(f"statement_contract_p95: {percentile(contract_ms, 95):.1f} ms")
    print(f"statement_contract_max: {max(contract_ms):.1f} ms")
    print(f"statement_org_p50: {statistics.median(org_ms):.1f} ms")
    print(f"statement_org_p95: {percentile(org_ms, 95):.1f} ms")


if __name__ == "__main__":
    main()
