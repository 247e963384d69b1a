"""The demo tenant gets a whole funding cycle, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.funding.models import Contract, ContractStatus
from app.funding.models_spending import Expenditure, Receipt, Redemption
from app.oversight.models import Finding
from app.service.models import PointsEntry
from tests.funding.factories import outbox


def test_demo_loads_a_funding_cycle_once(app, db, demo):
    # The time bank's deposits (a later demo step) are not this one's.
    first = [p["kind"] for p in outbox() if not p["kind"].startswith("time-")]
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
    # The resident overseer signed the final one off; the one in its window awaits them.
    from app.auth.services import find_user
    from app.funding.overseers import queue

    overseer = find_user("overseer@demo.gongzhi.cn")
    mine = queue(contract.tenant_id, overseer.id)
    assert [s.expenditure.status for s in mine.signed] == ["final"]
    assert [e.status for e in mine.to_review] == ["window"]
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


def test_the_demo_contract_has_service_under_it_and_one_set_of_figures(app, db, demo, client,
                                                                      login):
    import re

    from app.auth.models import User
    from app.oversight.service_figures import for_contract

    contract = db.session.scalar(select(Contract))
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
