"""Journal write throughput: ``post`` against the bare format-and-append ceiling.

Prints ``journal_post_rate`` (events through ``ledger.post`` in batches, with
locking, hash chain, month-end assertions, txn index, fsync per batch) and
``format_append_ceiling`` (the same transactions only formatted with
beancount's ``format_entry`` and appended, fsync per batch).

    python bench/ledger_journal.py [--events N] [--batch B] [--dir PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from beancount.parser import printer  # noqa: E402
from ledger_workload import TENANT, events  # noqa: E402

import ledger  # noqa: E402
from ledger import entries  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    workload = list(events(args.events))
    batches = [workload[i : i + args.batch] for i in range(0, len(workload), args.batch)]
    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        root = Path(scratch)
        started, cpu = time.perf_counter(), time.process_time()
        for batch in batches:
            ledger.post(root / "books", TENANT, batch)
        post_seconds = time.perf_counter() - started
        post_cpu = time.process_time() - cpu

        txns = []
        for event in workload:
            txn = entries.transaction(event)
            txn.meta["prev-hash"] = txn.meta["hash"] = "0" * 64
            txns.append(txn)
        started, cpu = time.perf_counter(), time.process_time()
        with open(root / "ceiling.beancount", "a", encoding="utf-8") as fh:
            for i in range(0, len(txns), args.batch):
                fh.write("".join("\n" + printer.format_entry(t) for t in txns[i : i + args.batch]))
                fh.flush()
                os.fsync(fh.fileno())
        ceiling_seconds = time.perf_counter() - started
        ceiling_cpu = time.process_time() - cpu
        journal_bytes = sum(p.stat().st_size for p in (root / "books" / TENANT).glob("*.beancount"))
    print(f"events: {len(workload)} txn")
    print(f"batch_size: {args.batch} txn")
    print(f"journal_post_seconds: {post_seconds:.2f} s")
    print(f"journal_post_rate: {len(workload) / post_seconds:.0f} txn/s")
    print(f"journal_post_cpu_seconds: {post_cpu:.2f} s")
    print(f"format_append_ceiling: {len(workload) / ceiling_seconds:.0f} txn/s")
    print(f"format_append_cpu_seconds: {ceiling_cpu:.2f} s")
    print(f"journal_size: {journal_bytes / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
