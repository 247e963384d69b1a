"""Kill the ledger worker with SIGKILL while it drains 10,000 events, restart it,
and check that every event was posted exactly once and the books verify clean.

PostgreSQL (a throwaway database) and Redis (a unique queue prefix) are used;
the worker is the real ``flask worker -q ledger`` process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import empty_database  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def report(name: str, value, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.2f}"
    print(f"{name}: {value} {unit}".rstrip(), flush=True)

EVENTS = int(os.environ.get("CHAOS_EVENTS", "10000"))
BATCH = 250
ROOT = Path(__file__).resolve().parent.parent


def flask(env: dict, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, **kw)


def main() -> int:
    with empty_database("gz_bench_chaos") as url, tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FLASK_APP": "app:create_app", "DATABASE_URL": url,
               "REDIS_URL": REDIS_URL, "RQ_QUEUE_PREFIX": f"chaos-{uuid.uuid4().hex[:6]}-",
               "LEDGER_DIR": str(Path(tmp) / "ledger"), "SECRET_KEY": "bench",
               "INSTANCE_PATH": tmp}
        assert flask(env, "db", "upgrade").returncode == 0
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "RQ_QUEUE_PREFIX",
                                                "LEDGER_DIR", "SECRET_KEY", "INSTANCE_PATH")})
        from sqlalchemy import func, select

        import ledger
        from app import create_app
        from app.books.models import OutboxEvent
        from app.books.outbox import emit
        from app.db_commit import commit
        from app.extensions import db
        from app.tenancy.services import create_tenant

        app = create_app()
        with app.app_context():
            tenant = create_tenant("chaos", "混沌测试区")
            commit()
            start = time.perf_counter()
            for n in range(EVENTS):
                emit(ledger.Appropriation, tenant=tenant, date=date(2026, 3, 1 + n % 28),
                     narration=f"拨款 {n}", source=f"bench:{n}", approver="user:1",
                     fund_id=1 + n % 5, amount=Decimal("100.01"))
                if (n + 1) % BATCH == 0:
                    commit()  # each commit enqueues a drain job on Redis
            commit()
            report("chaos_events_emitted", EVENTS, "events")
            report("chaos_emit_seconds", time.perf_counter() - start, "s")

            def posted() -> int:
                db.session.expire_all()
                n = db.session.scalar(select(func.count(OutboxEvent.id)).where(
                    OutboxEvent.posted_at.is_not(None))) or 0
                db.session.rollback()
                return n

            worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "-q", "ledger"],
                                      env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL)
            deadline = time.time() + 300
            while posted() < EVENTS // 3 and time.time() < deadline:
                time.sleep(0.05)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            killed_at = posted()
            report("chaos_killed_after_posted", killed_at, "events")

            restart = time.perf_counter()
            burst = flask(env, "worker", "-q", "ledger", "--burst", timeout=600)
            sweep = flask(env, "ledger", "drain", "--tenant", "chaos", timeout=600)
            report("chaos_restart_drain_seconds", time.perf_counter() - restart, "s")
            if burst.returncode or sweep.returncode:
                print(burst.stderr[-2000:], sweep.stderr[-2000:], file=sys.stderr)
            final = posted()
            journal = [p for year in ledger.years(env["LEDGER_DIR"], "chaos")
                       for p in ledger.read_posted(env["LEDGER_DIR"], "chaos", year) if not p.system]
            ids = [p.txn_id for p in journal]
            report("chaos_outbox_posted", final, "events")
            report("chaos_journal_transactions", len(ids), "txn")
            report("chaos_journal_duplicates", len(ids) - len(set(ids)), "txn")
            verify = flask(env, "ledger", "verify", "--tenant", "chaos", timeout=600)
            report("chaos_verify_exit_code", verify.returncode)
            ok = final == EVENTS and len(ids) == EVENTS == len(set(ids)) and verify.returncode == 0
            report("chaos_exactly_once", "yes" if ok else "NO")
            if verify.returncode:
                print(verify.stdout[-3000:], verify.stderr[-3000:], file=sys.stderr)
            return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
