"""The demo tenant gets a whole funding cycle, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.funding.models import Contract, ContractStatus
from app.funding.models_spending import Expenditure, Receipt, Redemption
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
    assert first == ["appropriation", "commitment", "disbursement", "expenditure",
                     "incentive-accrual", "incentive-accrual", "incentive-accrual",
                     "redemption-settlement"]
    contract = db.session.scalar(select(Contract))
    assert contract.status == ContractStatus.SIGNED and contract.award.notice_open is False
    assert (contract.disbursed_fen, contract.spent_fen) == (2_400_000, 86_000 + 1_200_000 + 1_000)
    statuses = sorted(e.status for e in db.session.scalars(select(Expenditure)))
    assert statuses == ["final", "window"]
    kinds = sorted(r.content_type for r in db.session.scalars(select(Receipt)))
    assert kinds == ["application/pdf", "image/png"]
    assert sorted(r.status for r in db.session.scalars(select(Redemption))) == [
        "issued", "settled"]
    assert db.session.scalar(select(func.count(Contract.id))) == 1
