"""Figures by place and group on PostgreSQL: a district of 10 streets, 200 communities and
600 grids, 2,000 projects, 100,000 verified service records, 100,000 bookings with their
attendance, 30,000 ratings, 5,000 complaints, 20,000 needs and 100 contracts in the books.

Prints, as ``name: value unit`` lines: the time of ``places.compute`` (all time and one
quarter) and of its pages and spreadsheet, against the tenant dashboard's own service and
money figures measured in the same run (the baseline), the statements one computation
issues at 50 and at 200 communities (bounded: the same), and the load average.

    python bench/figures_by_area.py [--communities 200] [--records 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from books_setup import create_tenant, make_app, throwaway_database  # noqa: E402
from oversight_data import copy, ids  # noqa: E402

GROUPS = ["独居老人", "留守儿童", "残疾人", "低收入家庭", "社区居民"]
BASE = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)


def _areas(tenant_id: int, communities: int) -> tuple[list[int], list[int]]:
    """10 streets, ``communities`` communities, three grids each; (communities, grids)."""
    from app.extensions import db
    from app.tenancy.models import Area

    def add(name, level, parent=None):
        area = Area(tenant_id=tenant_id, name=name, level=level, parent_id=parent.id if parent else None)
        db.session.add(area)
        db.session.flush()
        area.path = f"{parent.path if parent else '/'}{area.id}/"
        return area

    comms, grids = [], []
    streets = [add(f"街道{s:02d}", "街道") for s in range(10)]
    for c in range(communities):
        comm = add(f"社区{c:03d}", "社区", streets[c % 10])
        comms.append(comm.id)
        grids += [add(f"社区{c:03d}第{g}网格", "网格", comm).id for g in (1, 2, 3)]
    db.session.flush()
    return comms, grids


def build(tenant_id: int, communities: int, records: int, rnd: random.Random) -> dict:
    from sqlalchemy import text

    from app.auth.models import Role
    from app.extensions import db

    now = dt.datetime.now(dt.UTC)
    comms, grids = _areas(tenant_id, communities)
    people = records // 5
    copy("user", ({"phone": f"1{5 + n % 4}{n:09d}", "name": f"居民{n}", "password_hash": "x",
                   "created_at": now} for n in range(2 * people + 1)))
    users = list(db.session.scalars(text('SELECT id FROM "user" ORDER BY id')))
    auditor, volunteers, residents = users[0], users[1:people + 1], users[people + 1:]
    copy("role_grant", [{"user_id": auditor, "tenant_id": tenant_id, "role": Role.AUDITOR.value,
                         "created_at": now}])
    copy("resident_profile", ({"tenant_id": tenant_id, "user_id": r, "area_id": rnd.choice(grids),
                               "target_group": rnd.choice(GROUPS[:3] + ["", ""]), "created_at": now}
                              for r in residents))
    copy("organization", ({"tenant_id": tenant_id, "name": f"社会组织{o}", "credit_code": f"91{o:016d}",
                           "kind": "群众生活类", "status": "verified", "created_at": now}
                          for o in range(20)))
    orgs = ids("organization", tenant_id)
    contracts = _contracts(tenant_id, orgs, auditor, now)
    from app.projects.models import Project

    per_street = communities // 10 - 1  # each street's last community gets no project
    for n in range(2000):
        contract, org = contracts[n % 100]  # a contract's projects lie in one street
        community = (n % 100) % 10 + 10 * rnd.randrange(per_street)
        db.session.add(Project(tenant_id=tenant_id, org_id=org, name=f"项目{n}", category="助老服务",
                               status="published", area_id=grids[3 * community + rnd.randrange(3)],
                               target_groups=[rnd.choice(GROUPS[:3])], contract_id=contract))
    db.session.flush()
    project_rows = db.session.execute(text(
        "SELECT id, org_id FROM project WHERE tenant_id = :t ORDER BY id"), {"t": tenant_id}).all()
    per = 10
    n_shifts = records // per

    def at(i):
        return BASE + dt.timedelta(hours=3 * (i % 2000))

    copy("shift", ({"tenant_id": tenant_id, "org_id": project_rows[i % 2000][1],
                    "project_id": project_rows[i % 2000][0], "starts_at": at(i),
                    "ends_at": at(i) + dt.timedelta(hours=2), "place": "活动中心", "capacity": per,
                    "confirmed_count": per, "created_at": now} for i in range(n_shifts)))
    shifts = db.session.execute(text("SELECT id, org_id, starts_at FROM shift WHERE tenant_id = :t "
                                     "ORDER BY id"), {"t": tenant_id}).all()
    copy("service_record", ({"tenant_id": tenant_id, "org_id": org, "shift_id": s,
                             "user_id": volunteers[(i * 7 + k) % len(volunteers)],
                             "activity_name": "助老服务", "activity_date": (start + dt.timedelta(hours=8)).date(),
                             "place": "活动中心", "organizing_unit": "组织", "scheduled_minutes": 120,
                             "minutes": 120, "method": "qr", "status": "verified", "verified_at": start,
                             "created_at": now}
                            for i, (s, org, start) in enumerate(shifts) for k in range(per)))
    copy("service_slot", ({"tenant_id": tenant_id, "org_id": project_rows[i % 2000][1],
                           "project_id": project_rows[i % 2000][0], "starts_at": at(i),
                           "ends_at": at(i) + dt.timedelta(hours=1), "place": "活动中心",
                           "capacity": per, "confirmed_count": per, "created_at": now}
                          for i in range(n_shifts)))
    slots = db.session.execute(text("SELECT id, org_id, starts_at FROM service_slot WHERE tenant_id = :t "
                                    "ORDER BY id"), {"t": tenant_id}).all()
    copy("slot_booking", ({"tenant_id": tenant_id, "slot_id": s, "user_id": residents[(i * 13 + k) % len(residents)],
                           "status": "confirmed", "queued_at": start, "created_at": now}
                          for i, (s, _o, start) in enumerate(slots) for k in range(per)))
    bookings = db.session.execute(text(
        "SELECT b.id, b.slot_id, b.user_id, s.org_id, s.starts_at FROM slot_booking b "
        "JOIN service_slot s ON s.id = b.slot_id WHERE b.tenant_id = :t ORDER BY b.id"),
        {"t": tenant_id}).all()
    copy("slot_attendance", ({"tenant_id": tenant_id, "org_id": o, "booking_id": b, "slot_id": s,
                              "user_id": u, "attended": n % 10 != 0, "source": "staff",
                              "recorded_at": start, "created_at": now}
                             for n, (b, s, u, o, start) in enumerate(bookings)))
    copy("service_rating", ({"tenant_id": tenant_id, "org_id": o, "booking_id": b, "user_id": u,
                             "score": 1 + n % 5, "created_at": start}
                            for n, (b, s, u, o, start) in enumerate(bookings) if n % 10 in (1, 4, 7)))
    copy("complaint", ({"tenant_id": tenant_id, "kind": "service", "booking_id": b, "org_id": o,
                        "area_id": rnd.choice(grids), "user_id": u, "body": "意见",
                        "due_on": start.date(), "created_at": start}
                       for n, (b, s, u, o, start) in enumerate(bookings) if n % 20 == 3))
    copy("need", ({"tenant_id": tenant_id, "what": "需要帮助", "category": "助老服务",
                   "target_group": rnd.choice(GROUPS), "area_id": rnd.choice(grids),
                   "due_at": BASE + dt.timedelta(days=n % 400), "status": ("open", "met")[n % 2],
                   "claimed_org_id": orgs[0] if n % 2 else None,
                   "met_at": BASE + dt.timedelta(days=n % 300) if n % 2 else None,
                   "posted_by_id": residents[n % len(residents)], "created_at": BASE + dt.timedelta(days=n % 300)}
                  for n in range(20_000)))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"auditor": auditor, "areas": 10 + len(comms) + len(grids), "bookings": len(bookings)}


def _contracts(tenant_id, orgs, officer, now) -> list[tuple[int, int]]:
    """100 signed contracts with their money in the books' index (balances and postings)."""
    from sqlalchemy import text

    from app.extensions import db

    copy("fund", [{"tenant_id": tenant_id, "fiscal_year": 2026, "name": "专项", "source": "区级财政",
                   "amount_fen": 1_000_000_000, "committed_fen": 0, "created_by_id": officer,
                   "created_at": now}])
    [fund] = ids("fund", tenant_id)
    copy("call", [{"tenant_id": tenant_id, "fund_id": fund, "title": f"助老{n}", "category": "助老服务",
                   "ceiling_fen": 100_000_000, "deadline_at": now, "created_by_id": officer,
                   "created_at": now} for n in range(5)])
    calls = ids("call", tenant_id)  # one application per organization and call
    pairs = [orgs[n % 20] for n in range(100)]
    copy("application", ({"tenant_id": tenant_id, "org_id": o, "call_id": calls[n // 20], "title": "方案",
                          "plan": "方案", "total_fen": 1_000_000, "status": "awarded",
                          "submitted_by_id": officer, "created_at": now} for n, o in enumerate(pairs)))
    copy("award", ({"tenant_id": tenant_id, "org_id": o, "application_id": a, "call_id": calls[n // 20],
                    "amount_fen": 1_000_000, "status": "contracted", "notice_starts_at": now,
                    "notice_ends_at": now + dt.timedelta(days=7), "proposed_by_id": officer, "created_at": now}
                   for n, (o, a) in enumerate(zip(pairs, ids("application", tenant_id), strict=True))))
    copy("contract", ({"tenant_id": tenant_id, "org_id": o, "award_id": a, "fund_id": fund,
                       "number": f"HT-{a}", "title": f"合同{a}", "content": "服务",
                       "starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 12, 31),
                       "quantity": "若干", "quality": "合格", "price_fen": 1_000_000, "settlement": "分期",
                       "duties": "按约", "liability": "按约", "status": "signed", "committed_fen": 1_000_000,
                       "disbursed_fen": 500_000, "created_at": now}
                      for o, a in zip(pairs, ids("award", tenant_id), strict=True)))
    contracts = list(zip(ids("contract", tenant_id), pairs, strict=True))
    copy("ledger_account", ({"tenant_id": tenant_id, "account": a, "commodity": "CNY", "year": 2026,
                             "balance": b, "postings": 1}
                            for c, o in contracts for a, b in (
                                (f"Assets:FY2026:Org:O{o}:C{c}:Cash", 400_000),
                                (f"Expenses:FY2026:Org:O{o}:C{c}:Transport", 100_000))))
    copy("ledger_txn", ({"tenant_id": tenant_id, "txn_id": f"t{c}-{k}", "year": 2026,
                         "date": dt.date(2026, 2, 1 + k), "kind": ("disbursement", "expenditure")[k],
                         "contract_id": c, "hash": "0" * 64, "prev_hash": "0" * 64, "posted_at": now}
                        for c, _o in contracts for k in (0, 1)))
    txns = dict(((c, k), t) for t, c, k in db.session.execute(text(
        "SELECT id, contract_id, CASE kind WHEN 'disbursement' THEN 0 ELSE 1 END FROM ledger_txn "
        "WHERE tenant_id = :t"), {"t": tenant_id}))
    copy("ledger_posting", ({"tenant_id": tenant_id, "ledger_txn_id": txns[(c, k)], "year": 2026,
                             "account": a, "commodity": "CNY", "amount": amt, "balance_after": 0,
                             "org_id": o, "contract_id": c}
                            for c, o in contracts for k, a, amt in (
                                (0, f"Assets:FY2026:Org:O{o}:C{c}:Cash", 500_000),
                                (1, f"Assets:FY2026:Org:O{o}:C{c}:Cash", -100_000),
                                (1, f"Expenses:FY2026:Org:O{o}:C{c}:Transport", 100_000))))
    return contracts


def timed(fn, repeat: int) -> float:
    """The median of ``repeat`` runs, in milliseconds."""
    return interleaved({"fn": fn}, repeat)["fn"]


def interleaved(fns: dict, repeat: int) -> dict[str, float]:
    """The median of ``repeat`` runs of each of ``fns``, in milliseconds, taken in turns (one
    of each, then again), so a change in the shared machine's load falls on all of them."""
    runs: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            began = time.perf_counter()
            fn()
            runs[name].append((time.perf_counter() - began) * 1000)
    return {name: statistics.median(r) for name, r in runs.items()}


def statements(fn, slowest: int = 0) -> int:
    """How many statements ``fn`` sends; prints the ``slowest`` of them with their time."""
    from sqlalchemy import event

    from app.extensions import db

    seen: list[list] = []

    def before(_conn, _cursor, statement, *_args):
        seen.append([statement, time.perf_counter()])

    def after(*_args):
        seen[-1][1] = time.perf_counter() - seen[-1][1]

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    for statement, took in sorted(seen, key=lambda s: -s[1])[:slowest]:
        print(f"# {took * 1000:8.1f} ms  {' '.join(statement.split())[:160]}")
    return len(seen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load_before: {os.getloadavg()[0]:.2f} (1-minute load average, 2 cores shared)")
    with throwaway_database() as url, tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp) / "ledger")
        app.config.update(SERVER_NAME="localhost", WTF_CSRF_ENABLED=False)
        with app.app_context():
            from werkzeug.security import generate_password_hash

            from app.auth.models import User
            from app.extensions import db
            from app.oversight import money, places, service_figures
            from app.tenancy.models import Tenant

            tenant_id = create_tenant()
            began = time.perf_counter()
            info = build(tenant_id, args.communities, args.records, random.Random(20261207))
            print(f"build: {time.perf_counter() - began:.1f} s")
            print(f"areas: {info['areas']} areas")
            print(f"bookings: {info['bookings']} bookings")
            tenant = db.session.get(Tenant, tenant_id)
            out = places.compute(tenant)
            print(f"communities_without_service: {len(out.unserved)} communities")
            print(f"district_hours: {out.district.hours} h")

            def baseline():
                service_figures.compute(tenant_id)
                money.load(tenant_id)

            def compute(start=None, end=None):
                places.compute(tenant, start, end)
                db.session.rollback()  # as a request ends: its SET LOCAL settings go with it

            took = interleaved({"base": baseline, "whole": compute,
                                "quarter": lambda: compute(dt.date(2026, 1, 1), dt.date(2026, 3, 31))},
                               args.repeat)
            base, whole, quarter = took["base"], took["whole"], took["quarter"]
            print(f"baseline_dashboard_figures: {base:.1f} ms")
            print(f"places_compute_all_time: {whole:.1f} ms")
            print(f"places_compute_quarter: {quarter:.1f} ms")
            print(f"ratio_all_time_to_baseline: {whole / base:.2f} x")
            print(f"ratio_quarter_to_baseline: {quarter / base:.2f} x")
            print(f"statements_per_compute: {statements(lambda: places.compute(tenant), 8)} statements")
            auditor = db.session.get(User, info["auditor"])
            auditor.password_hash = generate_password_hash("bench-pass", "pbkdf2:sha256:1000")
            account = auditor.phone
            db.session.commit()
            db.session.remove()
        client = app.test_client()
        assert client.post("/login", data={"account": account, "password": "bench-pass"}).status_code == 302
        pages = {"dashboard_page": "/t/bench/oversight/", "places_page": "/t/bench/oversight/places",
                 "public_places_page": "/t/bench/open/places",
                 "public_places_xlsx": "/t/bench/open/places.xlsx"}
        for url in pages.values():
            assert client.get(url).status_code == 200, url
        times = interleaved({name: lambda url=url: client.get(url) for name, url in pages.items()},
                            args.repeat)
        for name, took in times.items():
            print(f"{name}: {took:.1f} ms")
        print(f"ratio_places_page_to_dashboard_page: {times['places_page'] / times['dashboard_page']:.2f} x")
        with app.app_context():
            from sqlalchemy import text

            from app.extensions import db
            from app.oversight import places
            from app.tenancy.models import Tenant

            # Fewer communities, same statements: drop the last 150 communities' subtrees.
            tenant = db.session.scalar(db.select(Tenant).where(Tenant.slug == "bench"))
            before = statements(lambda: places.compute(tenant))
            db.session.execute(text("UPDATE project SET area_id = NULL WHERE tenant_id = :t"), {"t": tenant.id})
            db.session.execute(text("UPDATE need SET area_id = (SELECT min(id) FROM area WHERE tenant_id = :t)"),
                               {"t": tenant.id})
            db.session.execute(text("UPDATE complaint SET area_id = NULL"))
            db.session.execute(text("UPDATE resident_profile SET area_id = NULL"))
            db.session.execute(text("DELETE FROM area WHERE tenant_id = :t AND level <> '街道' AND name >= '社区050'"),
                               {"t": tenant.id})
            after = statements(lambda: places.compute(tenant))
            print(f"statements_at_{args.communities}_communities: {before} statements")
            print(f"statements_at_50_communities: {after} statements")
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    print(f"load_after: {os.getloadavg()[0]:.2f} (1-minute load average)")


if __name__ == "__main__":
    main()
