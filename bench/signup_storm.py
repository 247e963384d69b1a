"""A sign-up storm on PostgreSQL: 1,000 volunteers try, all at once, to take one shift of
capacity 100, through real HTTP against gunicorn (several workers and threads).

Expected: exactly 100 confirmed, 900 waitlisted in the order they reached the shift, no
errors. Prints attempts/s (target >= 200/s) and p50/p95 latency. Runs as in production:
PostgreSQL, a Redis of its own and an rq worker (whose CPU counts as the server's).
Then the same storm of the cheapest signed-in request, ``GET /api/v1/me``, as the ceiling
this machine, server and client allow.
Creates its own throwaway database and drops it afterwards.

    python bench/signup_storm.py [--volunteers 1000] [--capacity 100] [--workers 4] [--threads 5]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._live import private_redis, worker  # noqa: E402
from bench.common import (  # noqa: E402
    Client,
    backend_pids,
    cpu_seconds,
    gunicorn,
    load_average,
    pids_cpu_seconds,
    summary,
    throwaway_database,
)

SLUG = "storm"


def seed(database_url: str, volunteers: int, capacity: int) -> tuple[int, list[str]]:
    """A verified organization's published project with one shift, and ``volunteers``
    registered volunteers, each with an API token. Returns the shift id and the tokens."""
    from sqlalchemy import insert, select

    from app import create_app
    from app.auth.models import ApiToken, Role, RoleGrant, User
    from app.db import utcnow
    from app.extensions import db
    from app.orgs.models import Organization, OrgStatus
    from app.projects.models import Project, ProjectStatus, Shift
    from app.tenancy.services import create_tenant
    from app.volunteers.models import VolunteerProfile

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        now = utcnow().replace(microsecond=0)
        tenant = create_tenant(SLUG, "压测区民政局")
        org = Organization(tenant_id=tenant.id, name="压测社工", credit_code="91350100M000100Y43",
                           kind="公益慈善类", status=OrgStatus.VERIFIED)
        db.session.add(org)
        db.session.flush()
        project = Project(tenant_id=tenant.id, org_id=org.id, name="周末助老", category="助老服务",
                          status=ProjectStatus.PUBLISHED, published_at=now)
        db.session.add(project)
        db.session.flush()
        shift = Shift(tenant_id=tenant.id, org_id=org.id, project_id=project.id,
                      starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2),
                      place="社区活动室", capacity=capacity)
        db.session.add(shift)
        db.session.flush()
        phones = [f"139{n:08d}" for n in range(volunteers)]
        db.session.execute(insert(User), [
            {"phone": p, "name": f"志愿者{n}", "password_hash": "!", "created_at": now}
            for n, p in enumerate(phones)])
        ids = dict(db.session.execute(select(User.phone, User.id).where(User.phone.in_(phones))).all())
        tokens = ["gz_" + secrets.token_urlsafe(32) for _ in phones]
        db.session.execute(insert(RoleGrant), [
            {"user_id": ids[p], "tenant_id": tenant.id, "role": Role.VOLUNTEER.value, "created_at": now}
            for p in phones])
        db.session.execute(insert(VolunteerProfile), [
            {"tenant_id": tenant.id, "user_id": ids[p], "real_name": f"志愿者{n}", "gender": "M",
             "birth_date": date(1990, 1, 1), "id_number": f"X{n:017d}", "phone": p,
             "consent_at": now, "consent_version": "bench", "created_at": now}
            for n, p in enumerate(phones)])
        db.session.execute(insert(ApiToken), [
            {"user_id": ids[p], "name": "storm", "token_hash": ApiToken.hash(t), "created_at": now}
            for p, t in zip(phones, tokens, strict=True)])
        db.session.commit()
        shift_id = shift.id
        db.engine.dispose()
    return shift_id, tokens


def warm(port: int, concurrent: int) -> None:
    """Every worker up and its connection pool full before the clock starts."""
    def hit() -> None:
        client = Client(port)
        for _ in range(5):
            client.request("GET", "/healthz")

    threads = [threading.Thread(target=hit) for _ in range(concurrent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def storm(port: int, tokens: list[str], method: str, path: str) -> dict:
    """One thread and connection per volunteer, released together."""
    barrier = threading.Barrier(len(tokens) + 1)
    results: list[tuple | None] = [None] * len(tokens)

    def attempt(i: int, token: str) -> None:
        client = Client(port)
        barrier.wait()
        started = time.perf_counter()
        try:
            status, body = client.request(method, path, headers={"Authorization": f"Bearer {token}"})
        except OSError as exc:
            status, body = 0, str(exc).encode()
        results[i] = (status, body, started, time.perf_counter())

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=attempt, args=(i, t)) for i, t in enumerate(tokens)]
    for t in threads:
        t.start()
    barrier.wait()
    for t in threads:
        t.join()
    return {"results": results}


def check(database_url: str, shift_id: int) -> dict:
    """What the database holds afterwards."""
    import sqlalchemy as sa

    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, status, queued_at FROM shift_signup WHERE shift_id = :s ORDER BY queued_at, id"),
            {"s": shift_id}).all()
        count = conn.execute(sa.text("SELECT confirmed_count FROM shift WHERE id = :s"),
                             {"s": shift_id}).scalar()
    engine.dispose()
    return {"rows": rows, "confirmed_count": count}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--volunteers", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=100)
    # Threads per worker stay within the connection pool (5), so no connection is opened
    # and closed during the storm and the database backends' CPU can be counted.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=5)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    args = parser.parse_args()

    with throwaway_database("gz_bench_storm") as url, private_redis() as (redis_port, _):
        shift_id, tokens = seed(url, args.volunteers, args.capacity)
        redis = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0"}
        with worker(url, **redis) as jobs, gunicorn("app:create_app()", url, args.workers,
                                                    args.threads, worker_class=args.worker_class,
                                                    **redis) as port:
            warm(port, args.workers * args.threads * 2)
            load, backends = load_average(), backend_pids(url)
            web_cpu, jobs_cpu = cpu_seconds(gunicorn.pid), cpu_seconds(jobs.pid)
            db_cpu, client_cpu = pids_cpu_seconds(backends), time.process_time()
            outcome = storm(port, tokens, "POST", f"/api/v1/t/{SLUG}/shifts/{shift_id}/signup")
            client_cpu = time.process_time() - client_cpu
            web_cpu = cpu_seconds(gunicorn.pid) - web_cpu
            jobs_cpu = cpu_seconds(jobs.pid) - jobs_cpu
            db_cpu = pids_cpu_seconds(backends) - db_cpu
            # The same storm of the cheapest signed-in request (who am I?): what this
            # machine, server and client allow before a sign-up does any work.
            ceiling = storm(port, tokens, "GET", "/api/v1/me")["results"]
        db = check(url, shift_id)

    results = outcome["results"]
    statuses = [r[0] for r in results]
    bodies = [json.loads(r[1]) if r[0] == 201 else {} for r in results]
    confirmed = sum(b.get("status") == "confirmed" for b in bodies)
    waitlisted = sum(b.get("status") == "waitlisted" for b in bodies)
    positions = sorted(b["position"] for b in bodies if b.get("status") == "waitlisted")
    first, last = min(r[2] for r in results), max(r[3] for r in results)
    p50, p95 = summary([r[3] - r[2] for r in results])
    # The line in the database: confirmed places first, then the waitlist, by arrival at the shift.
    states = [row.status for row in db["rows"]]
    in_order = (states == ["confirmed"] * args.capacity + ["waitlisted"] * (len(states) - args.capacity)
                and positions == list(range(1, waitlisted + 1)))
    print(f"attempts: {len(results)} requests")
    print(f"server: gunicorn {args.worker_class} {args.workers} workers x "
          f"{args.threads if args.worker_class == 'gthread' else 1} threads")
    print(f"confirmed: {confirmed} signups")
    print(f"waitlisted: {waitlisted} signups")
    print(f"errors: {sum(s != 201 for s in statuses)} requests")
    print(f"shift_confirmed_count: {db['confirmed_count']} places")
    print(f"waitlist_in_arrival_order: {'yes' if in_order else 'no'} check")
    print(f"throughput: {len(results) / (last - first):.1f} attempts/s")
    print(f"latency_p50: {p50:.1f} ms")
    print(f"latency_p95: {p95:.1f} ms")
    print(f"wall_time: {last - first:.2f} s")
    print(f"server_cpu_per_attempt: {(web_cpu + jobs_cpu) / len(results) * 1000:.1f} ms")
    print(f"web_cpu_per_attempt: {web_cpu / len(results) * 1000:.1f} ms")
    print(f"jobs_cpu_per_attempt: {jobs_cpu / len(results) * 1000:.1f} ms")
    print(f"postgres_cpu_per_attempt: {db_cpu / len(results) * 1000:.1f} ms")
    print(f"client_cpu_per_attempt: {client_cpu / len(results) * 1000:.1f} ms")
    c_first, c_last = min(r[2] for r in ceiling), max(r[3] for r in ceiling)
    print(f"ceiling_signed_in_get: {len(ceiling) / (c_last - c_first):.1f} requests/s "
          f"({sum(r[0] != 200 for r in ceiling)} errors)")
    print(f"cpus: {os.cpu_count()} cores")
    print(f"machine_load_average_at_start: {load:.1f} runnable")


if __name__ == "__main__":
    main()
