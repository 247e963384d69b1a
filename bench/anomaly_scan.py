"""Anomaly scan over 1,000,000 service records and 200,000 expenditures on PostgreSQL.

Creates a throwaway database, bulk-loads a district (``oversight_data``) with COPY,
then runs every anomaly rule once (the nightly scan, with the dashboard's service totals)
and prints the total time, each rule's time and the process's peak memory while scanning.

    python bench/anomaly_scan.py [--records N] [--expenditures N]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import psutil
from oversight_data import build, create_tenant, make_app, throwaway_database


class PeakMemory:
    """Samples this process's resident memory every 20 ms."""

    def __init__(self) -> None:
        self.process, self.peak, self._stop = psutil.Process(), 0, threading.Event()

    def __enter__(self):
        self.start = self.process.memory_info().rss
        self.peak = self.start
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--expenditures", type=int, default=200_000)
    args = parser.parse_args()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "ledger")
        with app.app_context():
            from app.db_commit import commit
            from app.extensions import db
            from app.oversight import scan as scanning
            from app.tenancy.models import Tenant

            tenant_id = create_tenant()
            began = time.perf_counter()
            info = build(tenant_id, args.records, args.expenditures)
            print(f"load_time: {time.perf_counter() - began:.1f} s")
            tenant = db.session.get(Tenant, tenant_id)
            with PeakMemory() as memory:
                began = time.perf_counter()
                run = scanning.run_scan(scanning.start_scan(tenant, "cli"))
                commit()
                total = time.perf_counter() - began
            print(f"service_records: {args.records + info['planted']['overlap']} rows")
            print(f"expenditures: {args.expenditures + 170} rows")
            for code, stats in sorted(run.rule_stats.items()):
                if "error" in stats:
                    print(f"rule_{code}: error {stats['error'][:120]}")
                else:
                    print(f"rule_{code}: {stats['ms']} ms ({stats['hits']} hits)")
            print(f"findings: {run.new_findings} findings")
            print(f"scan_total: {total:.2f} s")
            print(f"scan_peak_rss: {memory.peak / 2**20:.0f} MiB")
            print(f"scan_rss_growth: {(memory.peak - memory.start) / 2**20:.0f} MiB")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
