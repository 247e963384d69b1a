"""The tenant dashboard's response time with 1,000,000 service records and 200,000
expenditures on PostgreSQL (the same district as ``anomaly_scan.py``).

Loads the data into a throwaway database, recomputes the service totals once (as the
nightly job does), then requests ``/t/<tenant>/oversight/`` as an auditor through the
app (the full page: permission, queries, template) and prints p50, p95 and max.

    python bench/dashboard.py [--records N] [--expenditures N] [--requests R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from oversight_data import TENANT_SLUG, build, create_tenant, make_app, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--expenditures", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "ledger")
        app.config.update(SERVER_NAME="localhost", WTF_CSRF_ENABLED=False)
        with app.app_context():
            from app.extensions import db
            from app.oversight.service_figures import refresh_summary

            tenant_id = create_tenant()
            info = build(tenant_id, args.records, args.expenditures)
            began = time.perf_counter()
            refresh_summary(tenant_id)
            db.session.commit()
            print(f"summary_refresh: {time.perf_counter() - began:.2f} s")
            from werkzeug.security import generate_password_hash

            from app.auth.models import User

            auditor = db.session.get(User, info["auditor"])
            auditor.password_hash = generate_password_hash("bench-pass", "pbkdf2:sha256:1000")
            account = auditor.phone
            db.session.commit()
            db.session.remove()
        client = app.test_client()
        login = client.post("/login", data={"account": account, "password": "bench-pass"})
        assert login.status_code == 302, login.status_code
        page = f"/t/{TENANT_SLUG}/oversight/"
        first = client.get(page)
        assert first.status_code == 200, first.status_code
        assert "¥" in first.get_data(as_text=True)
        times = []
        for _ in range(args.requests):
            began = time.perf_counter()
            response = client.get(page)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        times.sort()
        print(f"dashboard_requests: {len(times)} requests")
        print(f"dashboard_p50: {statistics.median(times):.1f} ms")
        print(f"dashboard_p95: {times[int(len(times) * 0.95) - 1]:.1f} ms")
        print(f"dashboard_max: {times[-1]:.1f} ms")
        with app.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
