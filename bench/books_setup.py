"""Shared set-up for the books benchmarks: a throwaway PostgreSQL database migrated to
head, an app bound to it, and a year of outbox events bulk-inserted for one tenant."""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import ledger  # noqa: E402

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TENANT = "bench"


@contextmanager
def throwaway_database() -> Iterator[str]:
    """Create a scratch database, yield its URL, drop it afterwards."""
    from bench.common import empty_database

    with empty_database() as url:
        yield url


def make_app(database_url: str, ledger_dir: Path):
    """The app on ``database_url``, migrated to head, jobs inline, no Redis."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "LEDGER_DIR": str(ledger_dir),
                      "REDIS_URL": None, "JOBS_INLINE": True, "SECRET_KEY": "bench",
                      "TESTING": True})
    with app.app_context():
        upgrade()
    return app


def create_tenant() -> int:
    from app.extensions import db
    from app.tenancy.models import Tenant

    tenant = Tenant(slug=TENANT, name="基准测试区")
    db.session.add(tenant)
    db.session.commit()
    return tenant.id


ORGS = 200


def events(count: int, year: int = 2025) -> Iterator[ledger.MoneyEvent]:
    """A year of one fund's money, dates non-decreasing; txn-ids ``gz-1`` … ``gz-<count>``."""
    start = datetime.date(year, 1, 1)
    span = 360
    n = 0

    def common(kind: str) -> dict:
        nonlocal n
        n += 1
        day = start + datetime.timedelta(days=min(span - 1, n * span // count))
        return {"txn_id": f"gz-{n}", "tenant": TENANT, "date": day,
                "narration": f"{kind} 第{n}笔", "source": f"{kind}:{n}", "approver": "user:7"}

    yield ledger.Appropriation(fund_id=1, amount=Decimal("900000000.00"), **common("fund"))
    for org in range(1, ORGS + 1):
        yield ledger.Commitment(fund_id=1, org_id=org, contract_id=org,
                                amount=Decimal("2000000.00"), **common("contract"))
    cycle = 0
    while n < count:
        org = cycle % ORGS + 1
        step = (cycle // ORGS) % 4
        if step == 0:
            event = ledger.Disbursement(fund_id=1, org_id=org, contract_id=org,
                                        amount=Decimal("5000.00"), **common("tranche"))
        elif step == 1:
            event = ledger.Expenditure(org_id=org, contract_id=org, line="Materials",
                                       amount=Decimal(f"{1 + cycle % 997}.{cycle % 100:02d}"),
                                       payee="文具店", **common("expenditure"))
        elif step == 2:
            event = ledger.IncentiveAccrual(org_id=org, points=1 + cycle % 5,
                                            **common("hours"))
        else:
            event = ledger.RedemptionSettlement(org_id=org, contract_id=org, points=1,
                                                amount=Decimal("1.00"), payee="爱心超市",
                                                **common("redemption"))
        yield event
        cycle += 1


def bulk_outbox(tenant_id: int, workload: list[ledger.MoneyEvent]) -> None:
    """Insert the events as pending outbox rows with ids 1..N (txn-id ``gz-<id>``)."""
    from app.books.models import OutboxEvent
    from app.db import utcnow
    from app.extensions import db

    now = utcnow()
    rows = [{"id": i, "tenant_id": tenant_id, "kind": e.kind, "payload": e.to_payload(),
             "txn_id": e.txn_id, "source": e.source, "attempts": 0, "created_at": now}
            for i, e in enumerate(workload, start=1)]
    table = OutboxEvent.__table__
    with db.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(table.insert(), rows[i:i + 5000])
        conn.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('ledger_outbox', 'id'), "
            f"{len(rows)})")


def server_cpu_seconds(database_url: str) -> float:
    """CPU time used so far by the PostgreSQL backends serving ``database_url`` (Linux)."""
    name = sa.engine.make_url(database_url).database
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            if not cmdline.startswith("postgres:") or f" {name} " not in cmdline:
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks
