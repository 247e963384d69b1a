"""Outbox → journal → read index on PostgreSQL: the ledger worker's posting rate.

Creates a throwaway database, bulk-inserts N pending outbox events for one
tenant, then times ``app.books.drain.drain`` (batches of 1000: advisory lock,
``ledger.post`` with fsync, index rows, outbox marked posted, one commit per
batch). Also times the same events only rendered (``ledger.render``, i.e.
beancount's ``format_entry``) and appended to a file: the ceiling.

    python bench/ledger_post.py [--events N]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from books_setup import (
    bulk_outbox,
    create_tenant,
    events,
    make_app,
    server_cpu_seconds,
    throwaway_database,
)

import ledger


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    workload = list(events(args.events))
    with tempfile.TemporaryDirectory() as scratch, throwaway_database() as url:
        root = Path(scratch)
        app = make_app(url, root / "books")
        with app.app_context():
            from app.books import drain as posting
            from app.books.audit import verify_tenant

            tenant_id = create_tenant()
            started = time.perf_counter()
            bulk_outbox(tenant_id, workload)
            load_seconds = time.perf_counter() - started

            server = server_cpu_seconds(url)
            started, cpu = time.perf_counter(), time.process_time()
            posted = posting.drain(tenant_id, batch_size=args.batch)
            drain_seconds = time.perf_counter() - started
            drain_cpu = time.process_time() - cpu
            server_cpu = server_cpu_seconds(url) - server
            assert posted == len(workload), (posted, len(workload))

            started = time.perf_counter()
            outcome = verify_tenant(tenant_id)
            verify_seconds = time.perf_counter() - started
            assert outcome.ok, outcome.problems[:5]

        started = time.perf_counter()
        with open(root / "ceiling.beancount", "a", encoding="utf-8") as fh:
            for i in range(0, len(workload), args.batch):
                fh.write("".join("\n" + ledger.render(e) for e in workload[i:i + args.batch]))
                fh.flush()
                os.fsync(fh.fileno())
        ceiling_seconds = time.perf_counter() - started
        journal_bytes = (root / "books" / "bench" / "2025.beancount").stat().st_size

    n = len(workload)
    print(f"events: {n} txn")
    print(f"outbox_bulk_insert: {load_seconds:.2f} s")
    print(f"drain_seconds: {drain_seconds:.2f} s")
    print(f"drain_cpu_seconds: {drain_cpu:.2f} s")
    print(f"postgres_cpu_seconds: {server_cpu:.2f} s")
    print(f"ledger_post_rate_per_cpu: {n / (drain_cpu + server_cpu):.0f} txn/s "
          "(worker + database CPU; the wall rate depends on the machine's load)")
    print(f"ledger_post_rate: {n / drain_seconds:.0f} txn/s")
    print(f"format_append_ceiling: {n / ceiling_seconds:.0f} txn/s")
    print(f"post_vs_ceiling: {ceiling_seconds / drain_seconds:.2f} x")
    print(f"journal_size: {journal_bytes / 2**20:.1f} MiB")
    print(f"verify_after_post: {verify_seconds:.2f} s")


if __name__ == "__main__":
    main()
