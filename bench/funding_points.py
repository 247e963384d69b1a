"""Benchmark: reading a volunteer's point balance from the outbox accruals (O(accruals) per
read until a wallet table exists), and the cost of one expenditure through the services.

    python bench/funding_points.py [N]      # N accruals in the tenant (default 10000)

Runs on a throwaway SQLite file, or on ``DATABASE_URL`` if set (it creates its own tenant).
Prints ``name: value unit`` lines.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(n: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="gz-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": None, "JOBS_INLINE": True,
                      "UPLOAD_DIR": str(tmp / "uploads"), "SERVER_NAME": "localhost"})
    with app.app_context():
        upgrade()
        run(app, n)


def run(app, n: int) -> None:
    from app.auth.models import Role, RoleGrant, User
    from app.books.outbox import emit
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.funding import incentives
    from app.orgs.models import Organization
    from app.tenancy.models import Tenant
    from app.volunteers.models import VolunteerProfile
    from ledger.events import IncentiveAccrual

    stamp = str(int(time.time() * 1000))[-8:]
    tenant = Tenant(slug=f"bench-{stamp}", name="基准区")
    db.session.add(tenant)
    db.session.flush()
    org = Organization(tenant_id=tenant.id, name="基准组织", credit_code="91350100M000100Y43",
                       kind="群众生活类", status="verified")
    users = [User(email=f"v{i}-{stamp}@bench.invalid", name=f"志愿者{i}", password_hash="x")
             for i in range(50)]
    db.session.add_all([org, *users])
    db.session.flush()
    for user in users:
        db.session.add(RoleGrant(user_id=user.id, tenant_id=tenant.id, role=Role.VOLUNTEER.value))
    me = users[0]
    db.session.add(VolunteerProfile(tenant_id=tenant.id, user_id=me.id, real_name="王芳",
                                    gender="F", birth_date=date(1990, 6, 15),
                                    id_number=f"1101051990{stamp}", phone="13800000002",
                                    consent_at=utcnow(), consent_version="2026-01"))
    started = time.perf_counter()
    for i in range(n):
        user = users[i % len(users)]
        emit(IncentiveAccrual, tenant=tenant, org_id=org.id, points=1, date=date.today(),
             narration="志愿服务积分", source=f"bench:{i}/user:{user.id}", approver="user:1")
    commit()
    emit_ms = (time.perf_counter() - started) * 1000 / n
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        balance = incentives.points_balance(me.id, tenant.id)
    read_ms = (time.perf_counter() - started) * 1000 / rounds
    assert balance == n // len(users) + (1 if n % len(users) else 0), balance
    print(f"accruals_in_tenant: {n} events")
    print(f"emit_accrual: {emit_ms:.3f} ms/event")
    print(f"points_balance: {read_ms:.1f} ms/read")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
