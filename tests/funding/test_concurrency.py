"""The money invariants under concurrent attempts, with real commits from several threads
(PostgreSQL: row locks; SQLite: one writer at a time). Each race starts its attempts together
behind a barrier; exactly the affordable ones may succeed."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import Role, User
from app.books.models import OutboxEvent
from app.db_commit import commit
from app.extensions import db
from app.funding import contracts, incentives, spending
from app.funding.models import Contract, ContractStatus, Disbursement, Fund, Tranche
from app.funding.models_spending import Expenditure, Redemption, RedemptionStatus
from app.funding.services import FundingError, today
from tests.factories import user_with
from tests.funding.factories import (
    accrue,
    funded_contract,
    funding_world,
    make_application,
    make_award,
    make_call,
    make_contract,
    make_fund,
    make_merchant,
    make_volunteer,
    receipt,
    request_tranche,
)


def race(app, *attempts: Callable[[], object]) -> list[str]:
    """Run each attempt in its own thread, session and transaction, all at once."""
    db.session.close()  # the test's own session must not hold SQLite's write lock meanwhile
    barrier = threading.Barrier(len(attempts))
    outcomes = [""] * len(attempts)

    def run(i: int, attempt: Callable[[], object]) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                attempt()
                commit()
                outcomes[i] = "ok"
            except (FundingError, IntegrityError):
                db.session.rollback()
                outcomes[i] = "refused"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(outcomes), f"an attempt did not finish: {outcomes}"
    db.session.expire_all()
    return sorted(outcomes)


def events(kind: str) -> int:
    return db.session.scalar(select(func.count(OutboxEvent.id)).where(OutboxEvent.kind == kind))


def get(model, ident):
    return db.session.get(model, ident)


@pytest.fixture
def cw(committed):
    world = funding_world()
    commit()
    return world


def test_two_contracts_cannot_overcommit_a_fund(app, cw):
    fund = make_fund(cw, amount_fen=10_000_000)
    call = make_call(cw, fund, ceiling_fen=6_000_000)
    drafts = [make_contract(cw, make_award(cw, make_application(cw, call, org=org)), signed=False)
              for org in (cw.org, cw.org2)]
    ids, fund_id, officer_id = [c.id for c in drafts], fund.id, cw.officer.id
    commit()

    def sign(contract_id):
        return lambda: contracts.sign_contract(get(Contract, contract_id), get_user(officer_id))

    assert race(app, sign(ids[0]), sign(ids[1])) == ["ok", "refused"]
    assert get(Fund, fund_id).committed_fen == 6_000_000
    statuses = sorted(get(Contract, i).status for i in ids)
    assert statuses == [ContractStatus.DRAFT, ContractStatus.SIGNED]
    assert events("commitment") == 1


def test_one_contract_is_committed_once(app, cw):
    contract = make_contract(cw, signed=False)
    contract_id, fund_id = contract.id, contract.fund_id
    officers = (cw.officer.id, cw.officer2.id)
    commit()
    attempts = [lambda o=o: contracts.sign_contract(get(Contract, contract_id), get_user(o))
                for o in officers]
    assert race(app, *attempts) == ["ok", "refused"]
    assert get(Fund, fund_id).committed_fen == 6_000_000
    assert events("commitment") == 1


def test_payments_never_exceed_the_commitment(app, cw):
    contract = make_contract(cw)
    t1, t2 = contract.tranches
    request_tranche(t1, cw.officer, amount_fen=4_000_000)
    request_tranche(t2, cw.officer, amount_fen=3_600_000)  # 76,000 > 60,000 together
    contract_id, approver, tranche_ids = contract.id, cw.officer2.id, (t1.id, t2.id)
    commit()
    attempts = [lambda t=t: contracts.approve_payment(get(Tranche, t), get_user(approver))
                for t in tranche_ids]
    assert race(app, *attempts) == ["ok", "refused"]
    paid = get(Contract, contract_id).disbursed_fen
    assert paid in (4_000_000, 3_600_000) and paid <= 6_000_000
    assert events("disbursement") == 1


def test_a_tranche_is_paid_once(app, cw):
    contract = make_contract(cw)
    tranche = contract.tranches[0]
    request_tranche(tranche, cw.officer)
    officer3 = user_with(cw.tenant, Role.BUREAU_OFFICER)
    tranche_id, contract_id = tranche.id, contract.id
    approvers = (cw.officer2.id, officer3.id)
    commit()
    attempts = [lambda a=a: contracts.approve_payment(get(Tranche, tranche_id), get_user(a))
                for a in approvers]
    assert race(app, *attempts) == ["ok", "refused"]
    assert get(Contract, contract_id).disbursed_fen == 2_400_000
    assert db.session.scalar(select(func.count(Disbursement.id))) == 1
    assert events("disbursement") == 1


def test_spending_never_exceeds_what_was_received(app, cw):
    contract = funded_contract(cw)  # ¥24,000 received
    contract_id, line_id, recorder = contract.id, contract.lines[1].id, cw.bookkeeper.id
    commit()

    def record(amount):
        data = spending.ExpenseInput(line_id=line_id, amount_fen=amount, spent_on=today(),
                                     payee="物资供应商", description="慰问品", method="transfer")
        return lambda: spending.record(get(Contract, contract_id), get_user(recorder), data,
                                       [receipt()])

    assert race(app, record(1_500_000), record(1_500_000)) == ["ok", "refused"]
    contract = get(Contract, contract_id)
    assert contract.spent_fen == 1_500_000 <= contract.disbursed_fen
    assert db.session.scalar(select(func.count(Expenditure.id))) == 1


def test_points_never_go_negative(app, cw):
    volunteer = make_volunteer(cw)
    accrue(cw, volunteer, 10)
    merchant = make_merchant(cw)
    ids = (volunteer.id, cw.org.id, merchant.id, cw.tenant.id)
    commit()

    def redeem():
        from app.funding.models_spending import Merchant
        from app.orgs.models import Organization

        return incentives.issue(get_user(ids[0]), get(Organization, ids[1]),
                                get(Merchant, ids[2]), 7)

    assert race(app, redeem, redeem, redeem) == ["ok", "refused", "refused"]
    assert incentives.points_balance(ids[0], ids[3]) == 3


def test_a_code_is_consumed_exactly_once(app, cw):
    volunteer = make_volunteer(cw)
    accrue(cw, volunteer, 10)
    redemption = incentives.issue(volunteer, cw.org, make_merchant(cw), 5)
    code, org_id, redemption_id = redemption.code, cw.org.id, redemption.id
    staff = (cw.coordinator.id, cw.admin.id)
    commit()

    def consume(user_id):
        from app.orgs.models import Organization

        return lambda: incentives.consume(get(Organization, org_id), code, get_user(user_id))

    assert race(app, *(consume(u) for u in staff)) == ["ok", "refused"]
    assert get(Redemption, redemption_id).status == RedemptionStatus.CONSUMED


def get_user(user_id):
    return db.session.get(User, user_id)
