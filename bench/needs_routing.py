"""Benchmark: routing residents' needs and the morning escalation sweep in a district of
100,000 residents.

Makes a throwaway database migrated to head (PostgreSQL or SQLite) holding a realistic area
tree (10 streets → 10 communities each → 8 grids each: 910 areas), 100,000 residents spread
over the grids, 400 verified organizations each serving a street, one to three communities or
a grid, most with projects in one or two categories, a few with none (they see every
category), staff in charge of most communities and every street, and needs posted in the
grids: most open on time, ``--overdue`` of them past their deadline. Then times, against a
baseline measured in the same run:

- ``route``: ``routing.routed_org_ids`` for a need (which organizations see it), over many
  needs; baseline: a plain indexed count of the open needs in the same grid and category;
- ``open_for``: the list an organization sees (``routing.open_for``, first page of 50);
- ``sweep``: ``escalation.escalate_overdue`` over the overdue needs (the morning job: each
  one step up the tree, its staff told), then the same sweep run again (nothing due);
  baseline: counting the overdue needs with the sweep's own selection.

Each figure is the median of several runs. Prints ``name: value unit`` lines, the query plans'
verdict (an index used, no full scan of the needs or the organizations), and the machine's
load average (the figures depend on it).

    python bench/needs_routing.py [--residents 100000] [--overdue 2000]
                                  [--backend postgresql|sqlite] [--explain]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta

from _setup import make_app, throwaway_database

STREETS, COMMUNITIES, GRIDS = 10, 10, 8
ORGS = 400
NEEDS_ON_TIME = 20_000
CHUNK = 5000
ROUTED = 300  # needs routed in the timed loop
CATEGORIES = ["助老服务", "助残服务", "儿童关爱", "社区教育", "文体活动", "环境保护",
              "法律咨询", "心理关怀", "邻里互助"]
GROUPS = ["独居老人", "留守儿童", "残疾人", "低收入家庭", "社区居民"]


def _median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def seed(residents: int, overdue: int) -> dict:
    """The district, its tree, residents, organizations, staff in charge and needs."""
    from sqlalchemy import insert, select

    from app.auth.models import Role, RoleGrant, User
    from app.db import utcnow
    from app.extensions import db
    from app.needs.models import Need
    from app.orgs.models import Organization, OrgArea
    from app.projects.models import Project
    from app.residents.models import ResidentProfile
    from app.tenancy.models import Area, AreaStaff, Tenant

    rnd = random.Random(20261207)
    now = utcnow()
    tenant = Tenant(slug="bench", name="基准区民政局", settings={})
    db.session.add(tenant)
    db.session.flush()
    tid = tenant.id
    # The tree, with its paths, in three inserts (ids chosen here: the database is empty).
    streets, communities, grids, rows = [], [], [], []
    next_id = 1
    for s in range(STREETS):
        sid, next_id = next_id, next_id + 1
        streets.append(sid)
        rows.append({"id": sid, "tenant_id": tid, "parent_id": None, "name": f"街道{s}",
                     "level": "街道", "path": f"/{sid}/"})
        for c in range(COMMUNITIES):
            cid, next_id = next_id, next_id + 1
            communities.append((cid, sid))
            rows.append({"id": cid, "tenant_id": tid, "parent_id": sid, "name": f"社区{s}-{c}",
                         "level": "社区", "path": f"/{sid}/{cid}/"})
            for g in range(GRIDS):
                gid, next_id = next_id, next_id + 1
                grids.append((gid, f"/{sid}/{cid}/{gid}/"))
                rows.append({"id": gid, "tenant_id": tid, "parent_id": cid,
                             "name": f"网格{s}-{c}-{g}", "level": "网格",
                             "path": f"/{sid}/{cid}/{gid}/"})
    db.session.execute(insert(Area), rows)
    officer = User(name="王科长", email="bench-officer@example.cn", password_hash="!")
    db.session.add(officer)
    db.session.flush()
    db.session.add(RoleGrant(user_id=officer.id, tenant_id=tid, role=Role.BUREAU_OFFICER.value))
    # Staff in charge: every street, four communities in five (the rest are passed over).
    staff = []
    for area_id in streets + [c for i, (c, _s) in enumerate(communities) if i % 5]:
        person = User(name=f"负责人{area_id}", email=f"staff{area_id}@example.cn",
                      password_hash="!")
        db.session.add(person)
        staff.append((person, area_id))
    db.session.flush()
    db.session.execute(insert(RoleGrant), [
        {"user_id": p.id, "tenant_id": tid, "role": Role.BUREAU_OFFICER.value} for p, _a in staff])
    db.session.execute(insert(AreaStaff), [
        {"tenant_id": tid, "area_id": a, "user_id": p.id} for p, a in staff])
    db.session.commit()
    # Residents, each living in a grid.
    first = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) + 1
    for start in range(0, residents, CHUNK):
        ids = range(first + start, first + min(start + CHUNK, residents))
        db.session.execute(insert(User), [
            {"id": i, "name": f"居民{i}", "password_hash": "!", "phone": f"139{i:08d}"}
            for i in ids])
        db.session.execute(insert(RoleGrant), [
            {"user_id": i, "tenant_id": tid, "role": Role.RESIDENT.value} for i in ids])
        db.session.execute(insert(ResidentProfile), [
            {"tenant_id": tid, "user_id": i, "area_id": grids[i % len(grids)][0],
             "target_group": GROUPS[i % len(GROUPS)]} for i in ids])
        db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("user", "area"):
            db.session.execute(db.text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', "
                                       f"'id'), (SELECT max(id) FROM \"{table}\"))"))
    # Organizations: a street, one to three communities, or a grid; categories by projects.
    orgs = [Organization(tenant_id=tid, name=f"基准组织{i}", credit_code=f"BENCH{i:013d}",
                         kind="群众生活类", status="verified") for i in range(ORGS)]
    db.session.add_all(orgs)
    db.session.flush()
    serves, projects = [], []
    for i, org in enumerate(orgs):
        if i % 10 == 0:
            areas = [rnd.choice(streets)]
        elif i % 10 == 1:
            areas = [rnd.choice(grids)[0]]
        else:
            areas = list({rnd.choice(communities)[0] for _ in range(rnd.randint(1, 3))})
        serves += [{"tenant_id": tid, "org_id": org.id, "area_id": a} for a in areas]
        if i % 20:  # one in twenty has no project yet: it sees every category
            for category in rnd.sample(CATEGORIES, rnd.randint(1, 2)):
                projects.append({"tenant_id": tid, "org_id": org.id, "name": f"{org.name}项目",
                                 "category": category, "status": "published"})
    db.session.execute(insert(OrgArea), serves)
    db.session.execute(insert(Project), projects)
    db.session.commit()
    # Needs: open and on time, and ``overdue`` past their deadline (none escalated yet).
    residents_first = first

    def need(n: int, late: bool) -> dict:
        gid = grids[n % len(grids)][0]
        created = now - timedelta(days=40 if late else rnd.randint(0, 5))
        return {"tenant_id": tid, "what": f"需求{n}", "category": CATEGORIES[n % len(CATEGORIES)],
                "target_group": GROUPS[n % len(GROUPS)], "area_id": gid,
                "urgency": "routine", "status": "open", "posted_by_id": officer.id,
                "resident_id": residents_first + n % residents, "created_at": created,
                "due_at": created + timedelta(days=30)}

    total = NEEDS_ON_TIME + overdue
    for start in range(0, total, CHUNK):
        db.session.execute(insert(Need), [need(n, n >= NEEDS_ON_TIME)
                                          for n in range(start, min(start + CHUNK, total))])
        db.session.commit()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return {"tenant_id": tid, "areas": len(rows), "orgs": ORGS, "needs": total}


PLAN_WORDS = {"postgresql": ("Seq Scan on need", "Seq Scan on organization",
                             "Seq Scan on org_area", "Seq Scan on project"),
              "sqlite": ("SCAN need", "SCAN organization", "SCAN org_area", "SCAN project")}


def plan(stmt) -> list[str]:
    """The database's plan for ``stmt``, one line a step."""
    from app.extensions import db

    compiled = stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    rows = db.session.execute(db.text(prefix + str(compiled))).all()
    return [str(r[-1]) for r in rows]


def scans(lines: list[str], backend: str) -> list[str]:
    """The full scans of the big tables in a plan (SQLite's 'SCAN x USING INDEX' is not)."""
    found = []
    for line in lines:
        for word in PLAN_WORDS[backend]:
            if word in line and "USING" not in line and "INDEX" not in line.upper():
                found.append(line.strip())
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--overdue", type=int, default=2000)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--explain", action="store_true", help="print the plans in full")
    args = parser.parse_args()
    print(f"machine_cpus: {os.cpu_count()} cores")
    print("machine_load_average_1_5_15_before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} runnable")
    print(f"needs_backend: {args.backend} -")
    with throwaway_database(args.backend) as (url, tmp):
        began = time.perf_counter()
        app = make_app(url, tmp)
        with app.app_context(), app.test_request_context():
            from sqlalchemy import func, select

            from app.db import utcnow
            from app.extensions import db
            from app.needs import escalation, routing
            from app.needs.models import UNMET, Need, NeedEscalation
            from app.notifications.models import Notification
            from app.tenancy.models import Tenant

            world = seed(args.residents, args.overdue)
            print(f"needs_setup_time: {time.perf_counter() - began:.1f} s")
            print(f"needs_residents: {args.residents} residents")
            print(f"needs_areas: {world['areas']} areas")
            print(f"needs_organizations: {world['orgs']} organizations")
            print(f"needs_posted: {world['needs']} needs")
            tenant = db.session.get(Tenant, world["tenant_id"])
            sample = list(db.session.scalars(select(Need).where(
                Need.tenant_id == tenant.id).order_by(Need.id).limit(ROUTED)))
            for need in sample:
                _ = need.area.path  # loaded before timing

            def route_all():
                return [routing.routed_org_ids(n) for n in sample]

            def count_all():
                return [db.session.scalar(select(func.count(Need.id)).where(
                    Need.tenant_id == n.tenant_id, Need.status == "open",
                    Need.area_id == n.area_id, Need.category == n.category)) for n in sample]

            routed = route_all()
            base_s = _median(count_all) / len(sample)
            route_s = _median(route_all) / len(sample)
            print(f"needs_baseline_count_time: {base_s * 1e3:.3f} ms/need")
            print(f"needs_route_time: {route_s * 1e3:.3f} ms/need")
            print(f"needs_route_vs_baseline: {route_s / base_s:.1f} ratio")
            print(f"needs_routed_orgs_mean: {statistics.mean(len(r) for r in routed):.1f} "
                  "organizations")
            busiest = max(routed, key=len)
            first_page = routing.open_for(tenant.id, busiest).limit(50)
            open_s = _median(lambda: db.session.scalars(first_page).all())
            print(f"needs_open_for_time: {open_s * 1e3:.1f} ms "
                  f"({len(busiest)} organizations, first 50)")
            one_org = routing.open_for(tenant.id, {min(busiest)}).limit(50)
            one_s = _median(lambda: db.session.scalars(one_org).all())
            print(f"needs_open_for_one_org_time: {one_s * 1e3:.1f} ms")

            routed_stmt = routing.routed_orgs(sample[0])
            full = 0
            for name, stmt in (("route", routed_stmt), ("open_for", one_org)):
                lines = plan(stmt)
                found = scans(lines, args.backend)
                full += len(found)
                if args.explain or found:
                    print(f"-- plan of {name}:\n   " + "\n   ".join(lines))
                print(f"needs_{name}_full_scans: {len(found)} scans")

            def told() -> int:
                return db.session.scalar(select(func.count(Notification.id)).where(
                    Notification.kind == "need.overdue"))

            now = utcnow()
            late = select(func.count(Need.id)).where(
                Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]),
                Need.due_at < now, Need.escalated_at.is_(None))
            overdue = db.session.scalar(late)
            print(f"needs_overdue: {overdue} needs")
            count_s = _median(lambda: db.session.scalar(late))
            print(f"needs_sweep_baseline_count_time: {count_s * 1e3:.1f} ms")
            started = time.perf_counter()
            steps = escalation.escalate_overdue(tenant, now)
            db.session.commit()
            sweep_s = time.perf_counter() - started
            print(f"needs_sweep_steps: {steps} steps")
            print(f"needs_sweep_time: {sweep_s:.2f} s")
            print(f"needs_sweep_per_need: {sweep_s / max(steps, 1) * 1e3:.2f} ms/need")
            print(f"needs_sweep_vs_baseline: {sweep_s / count_s:.0f} ratio")
            print(f"needs_sweep_told: {told()} messages")
            reached = dict(db.session.execute(select(NeedEscalation.step, func.count()).group_by(
                NeedEscalation.step)).all())
            print(f"needs_sweep_first_steps: {reached.get(1, 0)} steps")
            started = time.perf_counter()
            again = escalation.escalate_overdue(tenant, now + timedelta(hours=1))
            db.session.commit()
            again_s = time.perf_counter() - started
            print(f"needs_sweep_again_steps: {again} steps")
            print(f"needs_sweep_again_time: {again_s:.2f} s")
            print(f"needs_sweep_again_vs_baseline: {again_s / count_s:.0f} ratio")
            started = time.perf_counter()
            second = escalation.escalate_overdue(tenant, now + timedelta(days=3))
            db.session.commit()
            second_s = time.perf_counter() - started
            print(f"needs_sweep_second_step_steps: {second} steps")
            print(f"needs_sweep_second_step_time: {second_s:.2f} s")
            print(f"needs_sweep_second_step_per_need: {second_s / max(second, 1) * 1e3:.2f} "
                  "ms/need")
            print(f"needs_sweep_told_in_all: {told()} messages")
            print(f"needs_full_scans: {full} scans")
            db.session.remove()
            db.engine.dispose()
    print("machine_load_average_1_5_15_after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} runnable")


if __name__ == "__main__":
    main()
