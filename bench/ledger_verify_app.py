"""``flask ledger verify`` on a 100,000-transaction year journal against beancount's
own ``load_file`` on the same file: wall time, ratio and peak memory.

Builds the journal and its read index the way production does (bulk outbox on
a throwaway PostgreSQL database, drained by the ledger worker code), then runs
each measurement in a fresh process: ``flask ledger verify --tenant --year``
(beancount load with validation, hash chain, reconciliation of every account
with the index, recording the outcome) and ``beancount.loader.load_file``
without its cache.

    python bench/ledger_verify_app.py [--events N] [--runs R]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from books_setup import (
    ROOT,
    TENANT,
    bulk_outbox,
    create_tenant,
    events,
    make_app,
    throwaway_database,
)

CHILD = r"""
import atexit, json, resource, sys, time
started = time.perf_counter()
def report():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": time.perf_counter() - started, "rss": rss}), file=sys.stderr)
atexit.register(report)
if sys.argv[1] == "load_file":
    from beancount import loader
    entries, errors, _ = loader.load_file(sys.argv[2])
    assert not errors, errors[:3]
else:
    from flask.cli import main
    sys.argv = ["flask", "ledger", "verify", "--tenant", sys.argv[2], "--year", sys.argv[3]]
    main()
"""


def measure(args: list[str], env: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                            text=True, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stderr.strip().splitlines()[-1]) | {"out": result.stdout}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, throwaway_database() as url:
        books = Path(scratch) / "books"
        app = make_app(url, books)
        with app.app_context():
            from app.books import drain as posting

            tenant_id = create_tenant()
            bulk_outbox(tenant_id, list(events(args.events)))
            started = time.perf_counter()
            posting.drain(tenant_id)
            build_seconds = time.perf_counter() - started
        year_file = books / TENANT / "2025.beancount"
        env = {**os.environ, "DATABASE_URL": url, "LEDGER_DIR": str(books),
               "FLASK_APP": "app:create_app", "BEANCOUNT_DISABLE_LOAD_CACHE": "1",
               "PYTHONPATH": str(ROOT)}
        env.pop("REDIS_URL", None)
        loads, verifies = [], []
        for _ in range(args.runs):  # interleaved, so machine load affects both alike
            loads.append(measure(["load_file", str(year_file)], env))
            verifies.append(measure(["verify", TENANT, "2025"], env))
        size = year_file.stat().st_size
    load = min(r["seconds"] for r in loads)
    check = min(r["seconds"] for r in verifies)
    print(f"journal_transactions: {args.events} txn")
    print(f"journal_size: {size / 2**20:.1f} MiB")
    print(f"journal_build_seconds: {build_seconds:.1f} s")
    print(f"load_file_seconds: {load:.2f} s")
    print(f"flask_ledger_verify_seconds: {check:.2f} s")
    print(f"verify_ratio: {check / load:.3f} x")
    print(f"load_file_peak_rss_mib: {max(r['rss'] for r in loads):.0f} MiB")
    print(f"verify_peak_rss_mib: {max(r['rss'] for r in verifies):.0f} MiB")
    print(f"verify_output: {verifies[-1]['out'].strip()}")


if __name__ == "__main__":
    main()
