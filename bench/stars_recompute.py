"""Benchmark: nightly recomputation of stars for 100,000 volunteers with 3,000,000 records.

Creates a throwaway PostgreSQL database migrated to head, bulk-loads users, shifts and
service records with COPY, then runs ``app.service.standing.recompute_stars`` (the job the
nightly ``flask service recompute-stars`` runs) in a fresh worker process per scenario, and
reports its wall time and the worker's peak memory (max RSS). Targets: ≤ 60 s, ≤ 1 GiB.

Scenarios: ``first`` (no standings yet: 100,000 inserted), ``unchanged`` (the usual night:
nothing to write), ``thresholds`` (the tenant changed its star thresholds: every row updated).

    python bench/stars_recompute.py [--volunteers 100000] [--records 3000000]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from _setup import ROOT, make_app, throwaway_database

PER_SHIFT_GROUP = 1000  # volunteers sharing one shift within a round


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _copy(cur, table: str, columns: list[str], lines) -> None:
    with cur.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
        buffer = io.StringIO()
        for count, line in enumerate(lines, 1):
            buffer.write(line)
            if count % 200_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def load(url: str, volunteers: int, records: int) -> dict:
    import psycopg

    rounds = records // volunteers
    rng = random.Random(3)
    now = datetime.now(UTC).isoformat()
    begin = time.perf_counter()
    with psycopg.connect(_psycopg_url(url)) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO tenant (slug, name, settings, created_at) VALUES "
                    "('bench', '基准区民政局', '{}', now()) RETURNING id")
        tenant_id = cur.fetchone()[0]
        cur.execute("INSERT INTO organization (tenant_id, name, credit_code, kind, status, "
                    "created_at) VALUES (%s, '基准组织', 'BENCH000000000001', '群众生活类', "
                    "'verified', now()) RETURNING id", (tenant_id,))
        org_id = cur.fetchone()[0]
        cur.execute("INSERT INTO project (tenant_id, org_id, name, theme, highlights, content, "
                    "schedule, expected_outcomes, team_roles, budget_lines, safety_plan, "
                    "target_groups, category, status, cancel_deadline_hours, closing_report, "
                    "created_at) VALUES (%s, %s, '基准项目', '', '', '', '', '', '', '[]', '', "
                    "'[]', '助老服务', 'published', 24, '', now()) RETURNING id",
                    (tenant_id, org_id))
        project_id = cur.fetchone()[0]
        _copy(cur, "user", ["id", "phone", "name", "password_hash", "is_platform_admin", "active",
                            "created_at"],
              (f"{u}\t1{u:010d}\tV{u}\tx\tf\tt\t{now}\n" for u in range(1, volunteers + 1)))
        shifts = rounds * PER_SHIFT_GROUP
        start = datetime(2020, 1, 1, 1, 0, tzinfo=UTC)

        def shift_line(s: int) -> str:
            at = start + timedelta(hours=6 * s)
            return (f"{s}\t{tenant_id}\t{org_id}\t{project_id}\t{at.isoformat()}\t"
                    f"{(at + timedelta(hours=8)).isoformat()}\t活动中心\t2000\t0\t\tf\t{now}\n")

        _copy(cur, "shift", ["id", "tenant_id", "org_id", "project_id", "starts_at", "ends_at",
                             "place", "capacity", "confirmed_count", "required_skills",
                             "insurance_required", "created_at"],
              (shift_line(s) for s in range(1, shifts + 1)))
        loaded_shifts = time.perf_counter()

        def record_line(i: int) -> str:
            round_, user = divmod(i, volunteers)
            shift = round_ * PER_SHIFT_GROUP + user % PER_SHIFT_GROUP + 1
            day = (start + timedelta(hours=6 * (shift - 1))).date()
            minutes = 15 * rng.randint(4, 32)  # 1 to 8 hours
            draw = rng.random()  # 95 % verified, the rest still open or voided
            status = "verified" if draw < 0.95 else ("open" if draw < 0.975 else "void")
            return (f"{tenant_id}\t{org_id}\t{shift}\t{user + 1}\t基准项目\t{day}\t活动中心\t"
                    f"服务\t助老服务\t基准组织\t负责人\t480\t{minutes if status != 'open' else 0}"
                    f"\tqr\t{status}\tf\t0\t{now}\n")

        _copy(cur, "service_record",
              ["tenant_id", "org_id", "shift_id", "user_id", "activity_name", "activity_date",
               "place", "content", "category", "organizing_unit", "leader_name",
               "scheduled_minutes", "minutes", "method", "status", "is_late", "points",
               "created_at"],
              (record_line(i) for i in range(rounds * volunteers)))
        conn.commit()
        cur.execute("SELECT setval('user_id_seq', %s), setval('shift_id_seq', %s)",
                    (volunteers, shifts))
        conn.commit()
    with psycopg.connect(_psycopg_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return {"tenant_id": tenant_id, "load_seconds": time.perf_counter() - begin,
            "shift_seconds": loaded_shifts - begin, "records": rounds * volunteers}


def worker(url: str, tenant_id: int, thresholds: str | None) -> None:
    """One nightly run in a fresh process: time and peak memory of the job itself."""
    import resource
    from pathlib import Path

    from app import create_app
    from app.db_commit import commit
    from app.extensions import db
    from app.service.standing import recompute_stars
    from app.tenancy.models import Tenant

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "REDIS_URL": None,
                      "JOBS_INLINE": True, "EXPORT_DIR": str(Path("/tmp"))})
    with app.app_context():
        tenant = db.session.get(Tenant, tenant_id)
        if thresholds:
            tenant.settings = {"star_thresholds": json.loads(thresholds)}
            commit()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        begin = time.perf_counter()
        changed = recompute_stars(tenant)
        commit()
        elapsed = time.perf_counter() - begin
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        stars = dict(db.session.execute(db.text(
            "SELECT stars, count(*) FROM volunteer_standing WHERE tenant_id = :t GROUP BY stars"),
            {"t": tenant_id}).all())
    print(json.dumps({"seconds": elapsed, "changed": changed, "peak_kib": peak,
                      "peak_before_kib": before, "stars": stars}))


def run_worker(url: str, tenant_id: int, thresholds: list[int] | None = None) -> dict:
    args = [sys.executable, __file__, "--worker", url, "--tenant-id", str(tenant_id)]
    if thresholds:
        args += ["--thresholds", json.dumps(thresholds)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=3_000_000)
    parser.add_argument("--worker")
    parser.add_argument("--tenant-id", type=int)
    parser.add_argument("--thresholds")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.tenant_id, args.thresholds)
        return
    with throwaway_database("postgresql") as (url, tmp):
        app = make_app(url, tmp)
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()
        loaded = load(url, args.volunteers, args.records)
        print(f"stars_bulk_load_time: {loaded['load_seconds']:.1f} s")
        print(f"stars_records_loaded: {loaded['records']} records")
        for name, thresholds in (("first", None), ("unchanged", None),
                                 ("thresholds", [50, 150, 300, 500, 800])):
            result = run_worker(url, loaded["tenant_id"], thresholds)
            print(f"stars_recompute_{name}_time: {result['seconds']:.2f} s")
            print(f"stars_recompute_{name}_peak_memory: {result['peak_kib'] / 1024:.0f} MiB")
            print(f"stars_recompute_{name}_changed: {result['changed']} volunteers")
        print(f"stars_distribution_after: {json.dumps(result['stars'], sort_keys=True)} stars")


if __name__ == "__main__":
    main()
