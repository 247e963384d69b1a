"""verify against beancount's own load on a 100,000-transaction year journal.

Builds one year journal through ``ledger.post``, then times, each in a fresh
process and alternating, ``beancount.loader.load_file`` (load cache disabled)
and ``ledger.verify`` on that year. Prints the best of ``--repeat`` runs:
``load_file_seconds``, ``verify_seconds``, ``verify_ratio`` (target <= 1.3),
and the peak RSS of each child.

    python bench/ledger_verify.py [--events N] [--repeat R] [--dir PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def child(mode: str, ledger_dir: str, tenant: str, year: int) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    from beancount import loader

    import ledger

    loader.initialize(use_cache=False)
    path = ledger.year_path(ledger_dir, tenant, year)
    started = time.perf_counter()
    if mode == "load_file":
        entries, errors, _ = loader.load_file(str(path))
        count, problems = len(entries), len(errors)
    else:
        report = ledger.verify(ledger_dir, tenant, year)
        count, problems = report.transactions, len(report.lines())
    seconds = time.perf_counter() - started
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss": rss_mib, "count": count, "problems": problems}))


def measure(mode: str, ledger_dir: Path, tenant: str, year: int) -> dict:
    env = {**os.environ, "BEANCOUNT_DISABLE_LOAD_CACHE": "1"}
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(ledger_dir), tenant, str(year)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    from ledger_workload import TENANT, YEAR, events

    import ledger

    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        books = Path(scratch) / "books"
        workload = list(events(args.events))
        for i in range(0, len(workload), 2000):
            ledger.post(books, TENANT, workload[i : i + 2000])
        path = ledger.year_path(books, TENANT, YEAR)
        loads, verifies = [], []
        for _ in range(args.repeat):
            loads.append(measure("load_file", books, TENANT, YEAR))
            verifies.append(measure("verify", books, TENANT, YEAR))
        size = path.stat().st_size
    load = min(loads, key=lambda r: r["seconds"])
    check = min(verifies, key=lambda r: r["seconds"])
    assert check["problems"] == 0, "the benchmark journal does not verify"
    print(f"journal_transactions: {check['count']} txn")
    print(f"journal_size: {size / 2**20:.1f} MiB")
    print(f"load_file_seconds: {load['seconds']:.2f} s")
    print(f"verify_seconds: {check['seconds']:.2f} s")
    print(f"verify_ratio: {check['seconds'] / load['seconds']:.3f} x")
    print(f"load_file_peak_rss_mib: {max(r['rss'] for r in loads):.0f} MiB")
    print(f"verify_peak_rss_mib: {max(r['rss'] for r in verifies):.0f} MiB")


if __name__ == "__main__":
    main()
