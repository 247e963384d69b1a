"""The demo tenant gets a whole funding cycle, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.funding.models import Contract, ContractStatus
from app.funding.models_spending import Expenditure, Receipt, Redemption
from app.oversight.models import Finding
from app.service.models import PointsEntry
from tests.funding.factories import outbox


def test_demo_loads_a_funding_cycle_once(app, db, monkeypatch):
    from app.demo import load
    from tests.factories import _FAST_HASH

    # The demo's ~20 accounts would each cost a production scrypt hash.
    monkeypatch.setattr("app.auth.models.generate_password_hash", lambda password: _FAST_HASH)

    with app.test_request_context("/"):
        load()
        first = [p["kind"] for p in outbox()]
        load()
    assert [p["kind"] for p in outbox()] == first
    # The service demo (before this one) credits 8 verified records; no accrual is made up here.
    assert first == ["incentive-accrual"] * 8 + ["appropriation", "commitment", "disbursement",
                                                 "expenditure", "redemption-settlement"]
    contract = db.session.scalar(select(Contract))
    assert contract.status == ContractStatus.SIGNED and contract.award.notice_open is False
    # Two small purchases from one shop (a split purchase, for the anomaly scan) await approval.
    assert (contract.disbursed_fen, contract.spent_fen) == (
        2_400_000, 86_000 + 1_200_000 + 200 + 560_000 + 480_000)
    statuses = sorted(e.status for e in db.session.scalars(select(Expenditure)))
    assert statuses == ["final", "pending", "pending", "window"]
    kinds = sorted(r.content_type for r in db.session.scalars(select(Receipt)))
    assert kinds == ["application/pdf", "image/png", "image/png", "image/png"]
    assert sorted(r.status for r in db.session.scalars(select(Redemption))) == [
        "issued", "settled"]
    assert sorted((r.status, r.points) for r in db.session.scalars(select(Redemption))) == [
        ("issued", 1), ("settled", 2)]
    held = db.session.execute(select(PointsEntry.kind, PointsEntry.points)
                              .where(PointsEntry.kind != "accrual").order_by(PointsEntry.id))
    assert [tuple(row) for row in held] == [("redemption", -2), ("redemption", -1)]
    assert db.session.scalar(select(func.count(Contract.id))) == 1
    # The demo's anomaly scan reports those two purchases, and nothing else.
    findings = db.session.scalars(select(Finding)).all()
    assert [(f.rule, f.status, len(f.evidence)) for f in findings] == [
        ("money.split_purchase", "open", 2)]
