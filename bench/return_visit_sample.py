"""Drawing a return-visit sample (回访抽样) among 100,000 served residents on PostgreSQL.

Creates a throwaway database migrated to head, bulk-loads one organization's 1,000 past
service slots with 100,000 residents booked and recorded as served (COPY), then times
``app.returnvisits.services.draw`` (500 residents, seeded) and ``reproduce`` against a
baseline measured in the same run: counting the same population. Time is the median of
three runs; peak memory is what Python allocated at most during one run (tracemalloc).

    python bench/return_visit_sample.py [--served 100000] [--size 500]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from oversight_data import copy, create_tenant, make_app, throwaway_database

PER_SLOT = 100
RUNS = 3


def load(tenant_id: int, served: int) -> None:
    """One organization, one project, ``served / PER_SLOT`` past slots, ``served`` residents
    each booked on one slot and recorded as come (most scanned, some marked by staff)."""
    from sqlalchemy import text

    from app.extensions import db
    from app.orgs.models import Organization
    from app.projects.models import Project

    org = Organization(tenant_id=tenant_id, name="基准组织", credit_code="BENCH0000000000001",
                       kind="群众生活类", status="verified")
    db.session.add(org)
    db.session.flush()
    project = Project(tenant_id=tenant_id, org_id=org.id, name="基准项目", category="助老服务",
                      status="published")
    db.session.add(project)
    db.session.flush()
    start = datetime(2025, 1, 6, 1, 0, tzinfo=UTC)
    now = datetime.now(UTC)
    slots = served // PER_SLOT
    copy("user", ({"id": u, "phone": f"1{u:010d}", "name": f"居民{u}", "password_hash": "x",
                   "created_at": now} for u in range(1, served + 1)))
    copy("service_slot", ({"id": s, "tenant_id": tenant_id, "org_id": org.id,
                           "project_id": project.id, "starts_at": start + timedelta(hours=8 * s),
                           "ends_at": start + timedelta(hours=8 * s + 2), "place": "活动中心",
                           "capacity": PER_SLOT, "confirmed_count": PER_SLOT, "created_at": now}
                          for s in range(1, slots + 1)))
    copy("slot_booking", ({"id": u, "tenant_id": tenant_id, "slot_id": (u - 1) // PER_SLOT + 1,
                           "user_id": u, "status": "confirmed", "queued_at": start,
                           "confirmed_at": start, "created_at": now}
                          for u in range(1, served + 1)))
    copy("slot_attendance", (
        {"tenant_id": tenant_id, "org_id": org.id, "booking_id": u,
         "slot_id": (u - 1) // PER_SLOT + 1, "user_id": u, "attended": True,
         "source": "qr" if u % 5 else "staff", "code_ref": f"{u:064d}" if u % 5 else None,
         "marked_by_id": None if u % 5 else 1,
         "recorded_at": start + timedelta(hours=8 * ((u - 1) // PER_SLOT + 1)),
         "created_at": now} for u in range(1, served + 1)))
    for table, last in (("user", served), ("service_slot", slots), ("slot_booking", served)):
        db.session.execute(text(f"SELECT setval('{table}_id_seq', :n)"), {"n": last})
    db.session.commit()
    db.session.execute(text("ANALYZE"))


def measure(fn) -> tuple[float, float]:
    """(median seconds over ``RUNS``, peak MiB Python allocated in one more run)."""
    from app.extensions import db

    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
        db.session.rollback()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    db.session.rollback()
    return statistics.median(times), peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--served", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=500)
    args = parser.parse_args()
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "ledger")
        with app.app_context():
            from app.auth.models import User
            from app.db import utcnow
            from app.extensions import db
            from app.returnvisits import services
            from app.tenancy.models import Tenant

            tenant_id = create_tenant()
            began = time.perf_counter()
            load(tenant_id, args.served)
            print(f"load_time: {time.perf_counter() - began:.1f} s")
            tenant, officer = db.session.get(Tenant, tenant_id), db.session.get(User, 1)
            cutoff = utcnow()
            population = services.population_count(tenant_id, {}, cutoff)
            print(f"served_residents: {population} residents")
            count_s, count_mib = measure(lambda: services.population_count(tenant_id, {},
                                                                            cutoff))
            draw_s, draw_mib = measure(lambda: services.draw(tenant, officer, args.size, {},
                                                             seed="20261209"))
            sample = services.draw(tenant, officer, args.size, {}, seed="20261209")
            db.session.commit()  # kept: reproducing reads the sample back
            reproduce_s, reproduce_mib = measure(lambda: services.reproduce(sample))
            assert services.reproduce(sample).same_sample
            print(f"baseline_count_time: {count_s * 1000:.1f} ms")
            print(f"baseline_count_peak_memory: {count_mib:.2f} MiB")
            print(f"draw_time: {draw_s * 1000:.1f} ms")
            print(f"draw_peak_memory: {draw_mib:.2f} MiB")
            print(f"draw_sample_size: {len(sample.visits)} residents")
            print(f"draw_vs_baseline_time: {draw_s / count_s:.1f} x")
            print(f"reproduce_time: {reproduce_s * 1000:.1f} ms")
            print(f"reproduce_peak_memory: {reproduce_mib:.2f} MiB")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
