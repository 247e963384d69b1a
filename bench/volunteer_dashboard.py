"""Benchmark: the dashboard of a volunteer with 5,000 service records.

Seeds a throwaway database (SQLite file and PostgreSQL, migrated to head) with one
volunteer holding 5,000 records across three organizations and four years, plus 100 other
volunteers with 20 records each, then requests the dashboard page (``/service/me``) and the
API figures (``/api/v1/.../service/dashboard``) through the app and reports the server time.
Target: p95 ≤ 100 ms.

    python bench/volunteer_dashboard.py [--backend sqlite|postgresql|both] [--requests 200]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from _setup import make_app, percentile, throwaway_database

RECORDS = 5000
OTHERS, OTHER_RECORDS = 100, 20
CATEGORIES = ["助老服务", "社区教育", "环境保护"]


def seed(app) -> tuple[str, str, int]:
    """Returns (tenant slug, volunteer phone, expected verified minutes)."""
    from sqlalchemy import insert
    from werkzeug.security import generate_password_hash

    from app.auth.models import Role, RoleGrant, User
    from app.db import utcnow
    from app.extensions import db
    from app.orgs.models import Organization
    from app.projects.models import Project, Shift
    from app.service.models import PointsWallet, ServiceRecord
    from app.tenancy.models import Tenant

    rng = random.Random(7)
    with app.app_context():
        tenant = Tenant(slug="bench", name="基准区民政局", settings={})
        db.session.add(tenant)
        db.session.flush()
        orgs = [Organization(tenant_id=tenant.id, name=f"基准组织{i}", credit_code=f"BENCH{i:013d}",
                             kind="群众生活类", status="verified") for i in range(3)]
        db.session.add_all(orgs)
        db.session.flush()
        projects = [Project(tenant_id=tenant.id, org_id=orgs[i].id, name=f"项目{i}",
                            category=CATEGORIES[i], status="published") for i in range(3)]
        db.session.add_all(projects)
        password = generate_password_hash("bench123", method="pbkdf2:sha256:1000")
        people = [User(phone=f"1370000{i:04d}", name=f"志愿者{i}", password_hash=password)
                  for i in range(OTHERS + 1)]
        db.session.add_all(people)
        db.session.flush()
        db.session.add_all(RoleGrant(user_id=u.id, tenant_id=tenant.id, role=Role.VOLUNTEER)
                           for u in people)
        owners = [people[0].id] * RECORDS + [u.id for u in people[1:] for _ in range(OTHER_RECORDS)]
        start = datetime(2023, 1, 2, 1, 0, tzinfo=UTC)
        shifts, records, expected = [], [], 0
        for index, user_id in enumerate(owners):
            k = index % 3
            begins = start + timedelta(hours=7 * index)
            shifts.append({"id": index + 1, "tenant_id": tenant.id, "org_id": orgs[k].id,
                           "project_id": projects[k].id, "starts_at": begins,
                           "ends_at": begins + timedelta(hours=3), "place": "活动中心",
                           "capacity": 10, "confirmed_count": 1, "required_skills": "",
                           "insurance_required": False, "created_at": utcnow()})
            minutes = rng.choice([60, 90, 120, 150, 180])
            status = "verified" if index % 25 else rng.choice(["open", "void"])
            if user_id == people[0].id and status == "verified":
                expected += minutes
            records.append({
                "tenant_id": tenant.id, "org_id": orgs[k].id, "shift_id": index + 1,
                "user_id": user_id, "activity_name": f"项目{k}", "activity_date": begins.date(),
                "place": "活动中心", "content": "服务内容", "category": CATEGORIES[k],
                "organizing_unit": orgs[k].name, "leader_name": "负责人",
                "scheduled_minutes": 180, "checked_in_at": begins,
                "checked_out_at": begins + timedelta(minutes=minutes),
                "minutes": minutes if status != "open" else 0, "method": "qr", "status": status,
                "is_late": False, "points": minutes // 60 if status == "verified" else 0,
                "created_at": utcnow()})
        db.session.execute(insert(Shift), shifts)
        db.session.execute(insert(ServiceRecord), records)
        db.session.add(PointsWallet(tenant_id=tenant.id, user_id=people[0].id, balance=9000))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT setval('shift_id_seq', (SELECT max(id) FROM shift))")
                conn.exec_driver_sql("ANALYZE")
                conn.commit()
        return tenant.slug, people[0].phone, expected


def measure(client, url: str, requests: int, check: str) -> list[float]:
    for _ in range(10):  # warm caches, templates, connection pool
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert check in response.get_data(as_text=True), (url, check)
    times = []
    for _ in range(requests):
        begin = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    return times


def run(backend: str, requests: int) -> None:
    from app.service.hours import format_minutes

    with throwaway_database(backend) as (url, tmp):
        app = make_app(url, tmp)
        slug, phone, expected = seed(app)
        client = app.test_client()
        assert client.post("/login", data={"account": phone, "password": "bench123"}
                           ).status_code == 302
        hours = format_minutes(expected)
        page = measure(client, f"/t/{slug}/service/me", requests, hours)
        api = measure(client, f"/api/v1/t/{slug}/service/dashboard", requests,
                      f'"total_minutes":{expected}')
        print(f"dashboard_page_{backend}_p50: {percentile(page, 50):.1f} ms")
        print(f"dashboard_page_{backend}_p95: {percentile(page, 95):.1f} ms")
        print(f"dashboard_api_{backend}_p50: {percentile(api, 50):.1f} ms")
        print(f"dashboard_api_{backend}_p95: {percentile(api, 95):.1f} ms")
        print(f"dashboard_records_{backend}: {RECORDS} records")
        with app.app_context():
            from app.extensions import db

            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        run(backend, args.requests)


if __name__ == "__main__":
    main()
