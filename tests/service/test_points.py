"""The points wallet: the tenant's rate and cap, append-only entries, the ledger outbox,
and a balance that stays right under concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.books.models import OutboxEvent
from app.db_commit import commit
from app.service import incentives
from app.service.models import PointsEntry, PointsWallet, RecordMethod
from app.service.services import check_out, make_token, scan
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import at, confirm, make_project, make_shift, scene


def serve(s, minutes):
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    return scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, minutes)),
                at(s.shift, minutes))[1]


def test_points_follow_the_tenants_rate_and_cap(zh):
    s = scene(points_per_hour=2, points_cap_per_activity=3)
    record = serve(s, 180)
    assert record.points == 3
    assert incentives.balance(s.tenant.id, s.volunteer.id) == 3


def test_default_rate_is_one_point_per_whole_hour(zh):
    s = scene()
    assert serve(s, 165).points == 2


def test_accrual_outbox_event_has_the_ledger_fields(zh):
    s = scene()
    record = serve(s, 120)
    event = zh.session.scalar(select(OutboxEvent))
    assert event.tenant_id == s.tenant.id and event.posted_at is None
    assert event.source == f"service-record:{record.id}"
    assert set(event.payload) == {"kind", "txn_id", "tenant", "date", "narration", "source",
                                  "approver", "payee", "org_id", "points"}
    assert (event.payload["kind"], event.payload["tenant"], event.payload["date"],
            event.payload["approver"]) == ("incentive-accrual", s.tenant.slug, "2026-03-04",
                                           "system:qr-checkout")


def test_outbox_payloads_rebuild_as_ledger_events(zh):
    """Runs where the ledger package is installed: the payloads are valid ledger events."""
    ledger = pytest.importorskip("ledger")
    s = scene()
    serve(s, 120)
    for event in zh.session.scalars(select(OutboxEvent)):
        assert ledger.event_from_payload(event.payload).txn_id == event.txn_id


def test_zero_points_write_nothing(zh):
    s = scene()
    serve(s, 40)  # 30 minutes: no whole hour
    assert zh.session.scalar(select(func.count(PointsEntry.id))) == 0
    assert zh.session.scalar(select(func.count(OutboxEvent.id))) == 0


def test_wallets_are_per_tenant(zh):
    s = scene()
    serve(s, 120)
    other_tenant = TenantFactory()
    assert incentives.balance(other_tenant.id, s.volunteer.id) == 0


def test_concurrent_accruals_never_lose_points(app, committed):
    """Eight check-outs of one volunteer at the same moment: every point lands exactly once."""
    db = committed
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    volunteer = user_with(tenant, Role.VOLUNTEER)
    project = make_project(tenant, org)
    shifts = []
    for day in range(8):
        shift = make_shift(project, starts_at=at_day(day), hours=2 + day % 2)
        confirm(shift, volunteer)
        scan(shift, volunteer, make_token(shift, "in", at(shift, 0)), at(shift, 0))
        shifts.append(shift.id)
    volunteer_id = volunteer.id
    commit()
    db.session.remove()  # hold no transaction (SQLite: no lock) while the threads run
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(shifts))

    def check_out_one(shift_id: int) -> None:
        with app.app_context():
            from app.auth.models import User
            from app.extensions import db as _db
            from app.projects.models import Shift

            try:
                barrier.wait(timeout=10)  # before any query: SQLite locks at BEGIN
                shift = _db.session.get(Shift, shift_id)
                user = _db.session.get(User, volunteer_id)
                check_out(shift, user, at(shift, 200), method=RecordMethod.QR)
                commit()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=check_out_one, args=(sid,)) for sid in shifts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    expected = sum(2 + day % 2 for day in range(8))  # 20 points
    assert db.session.scalar(select(PointsWallet.balance)) == expected
    balances = sorted(db.session.scalars(select(PointsEntry.balance_after)))
    assert len(balances) == 8 and balances[-1] == expected and len(set(balances)) == 8
    assert db.session.scalar(select(func.count(OutboxEvent.id))) == 8


def at_day(day: int):
    from tests.service.factories import BASE

    return BASE + timedelta(days=day)
