"""A district's worth of data for the oversight benchmarks, bulk-loaded with COPY into a
throwaway PostgreSQL database: 50 organizations, 20,000 volunteers with records,
100,000 shifts, 1,000,000 service records, 100 contracts and 200,000 expenditures with
receipts, plus a few hundred planted anomalies of every kind the rules look for.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable

from books_setup import create_tenant, make_app, throwaway_database  # noqa: F401

ORGS, VOLUNTEERS, SHIFTS_PER_SLOT, PER_SHIFT = 50, 20_000, 50, 10
TENANT_SLUG = "bench"
BASE = dt.datetime(2025, 1, 6, 1, 0, tzinfo=dt.UTC)  # 09:00 Shanghai
UTC = dt.UTC


def _defaults(table) -> dict:
    """Values for NOT NULL columns the model fills in Python (COPY skips the ORM)."""
    out = {}
    for column in table.columns:
        if column.primary_key or column.nullable or column.default is None:
            continue
        arg = column.default.arg
        value = arg(None) if callable(arg) else arg
        if isinstance(value, (list, dict)):
            array = hasattr(column.type, "item_type") or "ARRAY" in type(column.type).__name__
            value = ("{" + ",".join(map(str, value)) + "}") if array else json.dumps(value)
        out[column.name] = value
    return out


def copy(table: str, rows: Iterable[dict], chunk: int = 100_000) -> int:
    """COPY dicts into ``table``, adding the model's Python defaults; returns the count."""
    from app.books.bulk import copy_rows
    from app.extensions import db

    defaults = _defaults(db.metadata.tables[table])
    batch, count = [], 0

    def flush():
        columns = list(dict.fromkeys(k for r in batch for k in r))
        copy_rows(f'"{table}"', columns, [[r.get(c) for c in columns] for r in batch])

    for row in rows:
        batch.append({**defaults, **row})
        if len(batch) >= chunk:
            flush()
            count += len(batch)
            batch = []
    if batch:
        flush()
        count += len(batch)
    return count


def ids(table: str, tenant_id: int) -> list[int]:
    from sqlalchemy import text

    from app.extensions import db

    return list(db.session.scalars(text(f'SELECT id FROM "{table}" WHERE tenant_id = :t ORDER BY id'),
                                   {"t": tenant_id}))


def build(tenant_id: int, records: int = 1_000_000, expenditures: int = 200_000,
          seed: int = 20260401) -> dict:
    """Load everything for ``tenant_id``; returns counts and planted anomalies."""
    from sqlalchemy import text

    from app.auth.models import Role
    from app.extensions import db

    rnd = random.Random(seed)
    now = dt.datetime.now(UTC)
    planted: dict[str, int] = {}

    # People: staff per organization, volunteers with records.
    copy("user", ({"phone": f"1{3 + n % 6}{n:09d}", "name": f"用户{n}", "password_hash": "x",
                   "created_at": now} for n in range(VOLUNTEERS + ORGS * 3 + 5)))
    user_ids = list(db.session.scalars(text('SELECT id FROM "user" ORDER BY id')))
    officer, officer2, auditor = user_ids[:3]
    volunteers = user_ids[5:5 + VOLUNTEERS]
    staff = user_ids[5 + VOLUNTEERS:]
    copy("organization", ({"tenant_id": tenant_id, "name": f"社会组织{o}",
                           "credit_code": f"91{o:016d}", "kind": "群众生活类", "status": "verified",
                           "created_at": now} for o in range(ORGS)))
    orgs = ids("organization", tenant_id)
    grants = [{"user_id": officer, "tenant_id": tenant_id, "role": Role.BUREAU_OFFICER.value},
              {"user_id": officer2, "tenant_id": tenant_id, "role": Role.BUREAU_OFFICER.value},
              {"user_id": auditor, "tenant_id": tenant_id, "role": Role.AUDITOR.value}]
    for i, org in enumerate(orgs):
        for k, role in enumerate((Role.ORG_ADMIN, Role.ORG_COORDINATOR, Role.ORG_BOOKKEEPER)):
            grants.append({"user_id": staff[i * 3 + k], "tenant_id": tenant_id,
                           "org_id": org, "role": role.value})
    grants += [{"user_id": v, "tenant_id": tenant_id, "role": Role.VOLUNTEER.value}
               for v in volunteers]
    copy("role_grant", ({**g, "created_at": now} for g in grants))
    copy("volunteer_profile", ({
        "tenant_id": tenant_id, "user_id": v, "real_name": f"志愿者{n}", "gender": "M",
        "birth_date": dt.date(1980 + n % 30, 1 + n % 12, 1 + n % 28),
        "id_number": f"110105{n:011d}X", "phone": f"1{3 + n % 6}{n:09d}", "skills": "",
        "service_categories": "[]", "consent_at": now, "consent_version": "2026-01",
        "created_at": now} for n, v in enumerate(volunteers)))

    # Projects, shifts and records: 50 concurrent shifts per four-hour slot.
    from app.projects.models import Project

    db.session.add_all(Project(tenant_id=tenant_id, org_id=o, name=f"项目{o}", category="助老服务",
                               status="published") for o in orgs)
    db.session.flush()
    projects = dict(zip(orgs, ids("project", tenant_id), strict=True))
    shifts = records // PER_SHIFT

    def starts(slot: int) -> dt.datetime:
        return BASE + dt.timedelta(hours=4 * slot + 24 * (slot // 3))

    copy("shift", ({"tenant_id": tenant_id, "org_id": orgs[i % ORGS],
                    "project_id": projects[orgs[i % ORGS]], "starts_at": starts(i // SHIFTS_PER_SLOT),
                    "ends_at": starts(i // SHIFTS_PER_SLOT) + dt.timedelta(hours=3),
                    "place": "社区活动中心", "capacity": PER_SHIFT + 2, "confirmed_count": PER_SHIFT,
                    "created_at": now} for i in range(shifts)))
    shift_ids = ids("shift", tenant_id)
    staff_org = orgs[7]  # planted: this organization types in most of its hours

    def record_rows():
        for i, shift_id in enumerate(shift_ids):
            slot, j = divmod(i, SHIFTS_PER_SLOT)
            org = orgs[i % ORGS]
            start = starts(slot)
            for k in range(PER_SHIFT):
                user = volunteers[(slot * 977 + j * PER_SHIFT + k) % VOLUNTEERS]
                arrived = start + dt.timedelta(minutes=rnd.randint(-10, 10))
                left = start + dt.timedelta(minutes=170 + rnd.randint(0, 20))
                served = int((min(left, start + dt.timedelta(hours=3)) - max(arrived, start))
                             .total_seconds() // 60)
                manual = org == staff_org and k < 8
                yield {"tenant_id": tenant_id, "org_id": org, "shift_id": shift_id, "user_id": user,
                       "activity_name": "助老服务", "activity_date": (start + dt.timedelta(hours=8)).date(),
                       "place": "社区活动中心", "organizing_unit": f"社会组织{org}",
                       "scheduled_minutes": 180, "checked_in_at": None if manual else arrived,
                       "checked_out_at": None if manual else left, "minutes": served,
                       "method": "manual" if manual else "qr", "status": "verified",
                       "verified_at": left + dt.timedelta(minutes=1), "points": 3,
                       "created_at": left}

    copy("service_record", record_rows())
    db.session.commit()
    planted.update(_plant_service(tenant_id, shift_ids, volunteers, starts, rnd))

    # Money: one fund, 100 contracts, tranches, payments, 200,000 expenditures with receipts.
    planted.update(_money(tenant_id, orgs, staff, officer, officer2, expenditures, rnd, now))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return {"records": records, "expenditures": expenditures, "planted": planted,
            "auditor": auditor}


def _plant_service(tenant_id, shift_ids, volunteers, starts, rnd) -> dict:
    from sqlalchemy import text

    from app.extensions import db

    # Overlaps: a volunteer of one shift also recorded on a concurrent shift elsewhere.
    rows = db.session.execute(text(
        "SELECT r.user_id, s.id, s.org_id, s.project_id, s.starts_at, s.ends_at FROM service_record r "
        "JOIN shift s ON s.id = r.shift_id WHERE r.tenant_id = :t ORDER BY r.id LIMIT 100"),
        {"t": tenant_id}).all()
    extra = []
    for user_id, shift_id, org_id, _project, starts_at, ends_at in rows:
        other = shift_id + 1  # the next shift runs in the same slot, at another organization
        extra.append({"tenant_id": tenant_id, "org_id": org_id, "shift_id": other, "user_id": user_id,
                      "activity_name": "助老服务", "activity_date": starts_at.date(),
                      "place": "社区活动中心", "organizing_unit": "重叠", "scheduled_minutes": 180,
                      "checked_in_at": starts_at, "checked_out_at": ends_at, "minutes": 180,
                      "method": "coordinator", "status": "verified", "verified_at": ends_at,
                      "created_at": ends_at})
    copy("service_record", extra)
    db.session.execute(text(
        "UPDATE service_record SET scheduled_minutes = 240, minutes = 230 WHERE id IN "
        "(SELECT id FROM service_record WHERE tenant_id = :t ORDER BY id DESC LIMIT 100 OFFSET 1000)"),
        {"t": tenant_id})
    db.session.execute(text(
        "UPDATE service_record SET checked_in_at = checked_in_at - interval '3 hours' WHERE id IN "
        "(SELECT id FROM service_record WHERE tenant_id = :t AND checked_in_at IS NOT NULL "
        "ORDER BY id DESC LIMIT 100 OFFSET 5000)"), {"t": tenant_id})
    db.session.execute(text(
        "UPDATE service_record SET is_late = true WHERE id IN (SELECT id FROM service_record "
        "WHERE tenant_id = :t ORDER BY id LIMIT 200 OFFSET 20000)"), {"t": tenant_id})
    db.session.commit()
    return {"overlap": len(extra), "beyond_shift": 100, "checkin_outside": 100, "late": 200}


def _money(tenant_id, orgs, staff, officer, officer2, count, rnd, now) -> dict:
    from sqlalchemy import text

    from app.extensions import db

    today = dt.date(2025, 1, 1)
    copy("fund", [{"tenant_id": tenant_id, "fiscal_year": 2025, "name": "社区服务专项",
                   "source": "区级财政", "amount_fen": 2_000_000_000, "committed_fen": 0,
                   "created_by_id": officer, "created_at": now}])
    [fund] = ids("fund", tenant_id)
    copy("call", [{"tenant_id": tenant_id, "fund_id": fund, "title": f"助老服务{n}",
                   "category": "助老服务", "ceiling_fen": 100_000_000, "deadline_at": now,
                   "created_by_id": officer, "created_at": now} for n in range(2)])
    calls = ids("call", tenant_id)
    pairs = [(org, n) for org in orgs for n in range(2)]
    copy("application", ({"tenant_id": tenant_id, "org_id": org, "call_id": calls[n], "title": f"方案{n}",
                          "plan": "方案", "total_fen": 50_000_000, "status": "awarded",
                          "submitted_by_id": staff[orgs.index(org) * 3], "created_at": now}
                         for org, n in pairs))
    applications = ids("application", tenant_id)
    copy("award", ({"tenant_id": tenant_id, "org_id": org, "application_id": app_id,
                    "call_id": calls[n], "amount_fen": 50_000_000, "status": "contracted",
                    "notice_starts_at": now, "notice_ends_at": now + dt.timedelta(days=7),
                    "proposed_by_id": officer, "created_at": now}
                   for (org, n), app_id in zip(pairs, applications, strict=True)))
    awards = ids("award", tenant_id)
    copy("contract", ({"tenant_id": tenant_id, "org_id": org, "award_id": award, "fund_id": fund,
                       "number": f"HT-{award}", "title": f"服务合同{award}", "content": "服务",
                       "starts_on": today, "ends_on": dt.date(2025, 12, 31), "quantity": "若干",
                       "quality": "合格", "price_fen": 50_000_000, "settlement": "分期",
                       "duties": "按约", "liability": "按约", "status": "signed",
                       "committed_fen": 50_000_000, "disbursed_fen": 25_000_000,
                       "created_at": now} for (org, _), award in zip(pairs, awards, strict=True)))
    contracts = list(zip(ids("contract", tenant_id), [org for org, _ in pairs], strict=True))
    copy("contract_line", ({"tenant_id": tenant_id, "org_id": org, "contract_id": c, "name": name,
                            "code": code, "budget_fen": 25_000_000, "capped": False, "position": k}
                           for c, org in contracts
                           for k, (name, code) in enumerate((("交通", "Transport"), ("物资", "Materials")))))
    lines = db.session.execute(text("SELECT contract_id, id FROM contract_line WHERE tenant_id = :t "
                                    "ORDER BY id"), {"t": tenant_id}).all()
    by_contract: dict[int, list[int]] = {}
    for contract_id, line_id in lines:
        by_contract.setdefault(contract_id, []).append(line_id)
    copy("tranche", ({"tenant_id": tenant_id, "org_id": org, "contract_id": c, "seq": seq,
                      "percent_bp": 5000, "amount_fen": 25_000_000,
                      "planned_on": dt.date(2025, 1 + 6 * (seq - 1), 15), "milestone": f"阶段{seq}",
                      "status": "paid" if seq == 1 else "planned",
                      "requested_by_id": officer if seq == 1 else None,
                      "approved_by_id": officer2 if seq == 1 else None,
                      "approved_at": dt.datetime(2025, 1, 20, 2, tzinfo=UTC) if seq == 1 else None,
                      "paid_on": dt.date(2025, 1, 20) if seq == 1 else None}
                     for c, org in contracts for seq in (1, 2)))
    tranches = db.session.execute(text("SELECT id, contract_id, org_id FROM tranche WHERE tenant_id = :t "
                                       "AND seq = 1 ORDER BY id"), {"t": tenant_id}).all()
    copy("disbursement", ({"tenant_id": tenant_id, "org_id": org, "contract_id": c, "tranche_id": t,
                           "amount_fen": 25_000_000, "paid_on": dt.date(2025, 1, 20),
                           "requested_by_id": officer, "approved_by_id": officer2,
                           "status": "paid", "created_at": dt.datetime(2025, 1, 20, 2, tzinfo=UTC)}
                          for t, c, org in tranches))
    # Planted: ten tranches whose approval is dated after their payment.
    db.session.execute(text("UPDATE tranche SET approved_at = :late WHERE id IN (SELECT id FROM tranche "
                             "WHERE tenant_id = :t AND seq = 1 ORDER BY id LIMIT 10)"),
                       {"late": now + dt.timedelta(days=30), "t": tenant_id})
    bookkeeper = {org: staff[i * 3 + 2] for i, org in enumerate(orgs)}

    def expenditure_rows():
        for n in range(count):
            c, org = contracts[n % len(contracts)]
            day = today + dt.timedelta(days=(n * 7) % 360)
            yield {"tenant_id": tenant_id, "org_id": org, "contract_id": c,
                   "line_id": by_contract[c][n % 2], "amount_fen": rnd.randint(5_000, 900_000),
                   "spent_on": day, "payee": f"供应商{n}", "description": "采购",
                   "method": "transfer", "status": "final", "recorded_by_id": bookkeeper[org],
                   "org_approved_by_id": staff[orgs.index(org) * 3], "created_at": now}

    copy("expenditure", expenditure_rows())
    first, last = db.session.execute(text("SELECT min(id), max(id) FROM expenditure WHERE tenant_id = :t"),
                                     {"t": tenant_id}).one()
    # Planted: 50 splits (three payments of ¥4,000 to one payee within a week) and 20 payments
    # to the bookkeeper's own name.
    planted = []
    for k in range(50):
        c, org = contracts[k]
        for d in range(3):
            planted.append({"tenant_id": tenant_id, "org_id": org, "contract_id": c,
                            "line_id": by_contract[c][0], "amount_fen": 400_000,
                            "spent_on": dt.date(2025, 6, 1 + 2 * d), "payee": f"拆分供应商{k}",
                            "description": "分批采购", "method": "transfer", "status": "final",
                            "recorded_by_id": bookkeeper[org],
                            "org_approved_by_id": staff[orgs.index(org) * 3], "created_at": now})
    for k in range(20):
        c, org = contracts[k]
        planted.append({"tenant_id": tenant_id, "org_id": org, "contract_id": c,
                        "line_id": by_contract[c][0], "amount_fen": 50_000,
                        "spent_on": dt.date(2025, 8, 1), "payee": f"用户{5 + VOLUNTEERS + orgs.index(org) * 3 + 2}",
                        "description": "劳务", "method": "transfer", "status": "final",
                        "recorded_by_id": bookkeeper[org],
                        "org_approved_by_id": staff[orgs.index(org) * 3], "created_at": now})
    copy("expenditure", planted)
    receipts = ({"tenant_id": tenant_id, "org_id": org, "expenditure_id": e,
                 "stored_name": f"r/{e}.png", "content_type": "image/png", "size": 1000,
                 "sha256": "0" * 64, "uploaded_by_id": uploader, "created_at": now}
                for e, org, uploader in db.session.execute(text(
                    "SELECT id, org_id, recorded_by_id FROM expenditure WHERE tenant_id = :t "
                    "AND id % 4000 <> 0 ORDER BY id"), {"t": tenant_id}))
    copy("receipt", receipts)
    missing = db.session.scalar(text("SELECT count(*) FROM expenditure WHERE tenant_id = :t AND "
                                     "id % 4000 = 0"), {"t": tenant_id})
    _ledger_accounts(tenant_id, contracts, fund)
    return {"split": 50, "self_payment": 20, "no_receipt": int(missing),
            "disbursed_before_milestone": 10, "expenditure_span": last - first + 1}


def _ledger_accounts(tenant_id, contracts, fund) -> None:
    """The read index's account balances the dashboard reads (as the drain would leave them)."""
    from sqlalchemy import text

    from app.extensions import db

    spent = dict(db.session.execute(text(
        "SELECT contract_id || ':' || line_id, sum(amount_fen) FROM expenditure WHERE tenant_id = :t "
        "GROUP BY contract_id, line_id"), {"t": tenant_id}).all())
    rows = []
    for c, org in contracts:
        lines = db.session.execute(text("SELECT id, code FROM contract_line WHERE contract_id = :c "
                                        "ORDER BY id"), {"c": c}).all()
        total = 0
        for line_id, code in lines:
            fen = int(spent.get(f"{c}:{line_id}", 0))
            total += fen
            rows.append((f"Expenses:FY2025:Org:O{org}:C{c}:{code}", fen))
        rows.append((f"Assets:FY2025:Org:O{org}:C{c}:Cash", 25_000_000 - total))
        rows.append((f"Assets:FY2025:Fund:F{fund}:Committed:C{c}", 25_000_000))
    rows.append((f"Equity:FY2025:Appropriation:F{fund}", -2_000_000_000))
    rows.append((f"Assets:FY2025:Fund:F{fund}:Available", 2_000_000_000 - 25_000_000 * len(contracts)))
    copy("ledger_account", ({"tenant_id": tenant_id, "account": a, "commodity": "CNY", "year": 2025,
                             "balance": b, "postings": 1} for a, b in rows))
