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
    # The demo's anomaly scan reports those two purchases and the service a resident said on
    # a return visit they did not receive (the slot and the visit), and nothing else.
    findings = db.session.scalars(select(Finding)).all()
    assert sorted((f.rule, f.status, len(f.evidence)) for f in findings) == [
        ("money.split_purchase", "open", 2), ("service.visit_denied", "open", 2)]


def test_the_demo_contract_has_service_under_it_and_one_set_of_figures(app, db, client, login,
                                                                      monkeypatch):
    import re

    from app.auth.models import User
    from app.books.drain import drain
    from app.demo import load
    from app.oversight.service_figures import for_contract
    from tests.factories import _FAST_HASH

    monkeypatch.setattr("app.auth.models.generate_password_hash", lambda password: _FAST_HASH)
    with app.test_request_context("/"):
        load()
        contract = db.session.scalar(select(Contract))
        drain(contract.tenant_id)
        db.session.commit()
    service = for_contract(contract.tenant_id, contract.id)
    assert service.verified_minutes > 0 and service.volunteers > 0
    from app.tenancy.models import Tenant

    slug = db.session.get(Tenant, contract.tenant_id).slug
    officer = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
    admin = db.session.scalar(select(User).where(User.email.like("%-admin@demo.gongzhi.cn"))
                              .order_by(User.id))
    pages = {"org": (admin, f"/t/{slug}/funding/orgs/{contract.org_id}"),
             "statement": (admin, f"/t/{slug}/funding/contracts/{contract.id}/statement"),
             "public": (None, f"/t/{slug}/open/contracts/{contract.id}"),
             "oversight": (officer, f"/t/{slug}/oversight/contracts/{contract.id}"),
             "dashboard": (officer, f"/t/{slug}/oversight/")}
    seen: dict[str, set[int]] = {}
    for person, url in pages.values():
        client.get("/logout") if person is None else login(person)
        html = client.get(url).get_data(as_text=True)
        for key, fen in re.findall(r'data-figure="(\w+)" data-fen="(-?\d+)"', html):
            seen.setdefault(key, set()).add(int(fen))
    assert all(len(values) == 1 for values in seen.values()), seen
    print({key: values.pop() / 100 for key, values in seen.items()}, service)
