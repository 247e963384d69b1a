"""Money rules: each plants its pattern through the funding services (or, where the
services forbid it, by changing a row afterwards), and an honest case is not flagged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import delete, select

from app.extensions import db
from app.funding import spending
from app.funding.models_spending import Receipt, Redemption
from app.oversight.models import Finding
from app.oversight.rules import get_rule
from app.oversight.scan import run_scan, start_scan
from app.parsing import local_today
from app.service.models import PointsEntry, PointsWallet
from app.volunteers.models import VolunteerProfile
from tests.funding.factories import funded_contract, make_merchant, receipt


def scan(tenant, code):
    run_scan(start_scan(tenant, "manual"), [get_rule(code)])
    return db.session.scalars(select(Finding).where(Finding.tenant_id == tenant.id,
                                                    Finding.rule == code).order_by(Finding.id)).all()


def pay(w, contract, amount_fen, payee="惠民出租车公司", line="交通", days_ago=0, by=None):
    line_id = next(x.id for x in contract.lines if x.name == line)
    data = spending.ExpenseInput(line_id=line_id, amount_fen=amount_fen,
                                 spent_on=local_today() - timedelta(days=days_ago), payee=payee,
                                 description="探访交通费", method="transfer")
    return spending.record(contract, by or w.bookkeeper, data, [receipt()])


def test_a_purchase_split_under_the_threshold_is_flagged(fw):
    contract = funded_contract(fw)  # ¥24,000 received; the first approval tier is ¥10,000
    parts = [pay(fw, contract, 400_000, payee="惠民 出租车公司", days_ago=d) for d in (6, 3, 0)]
    pay(fw, contract, 300_000, payee="顺达物流", days_ago=1)
    [finding] = scan(fw.tenant, "money.split_purchase")
    assert finding.org_id == fw.org.id
    assert finding.subject_key == f"expenditures:{parts[0].id}"
    assert [e["id"] for e in finding.evidence] == [p.id for p in parts]
    assert finding.details["count"] == 3 and finding.details["total"] == "¥12,000.00"


def test_small_purchases_far_apart_or_below_the_threshold_together_are_not(fw):
    contract = funded_contract(fw)
    pay(fw, contract, 400_000, days_ago=20)
    pay(fw, contract, 400_000, days_ago=10)   # 10 days apart: outside the 7-day window
    pay(fw, contract, 300_000, payee="顺达物流", days_ago=2)
    pay(fw, contract, 300_000, payee="顺达物流", days_ago=1)  # together ¥6,000 < ¥10,000
    pay(fw, contract, 1_000_000, payee="大额供应商", line="物资")  # at the tier: approved anyway
    assert scan(fw.tenant, "money.split_purchase") == []


def test_an_expenditure_without_a_receipt_is_flagged(fw):
    contract = funded_contract(fw)
    kept = pay(fw, contract, 100_000)
    lost = pay(fw, contract, 200_000)
    db.session.execute(delete(Receipt).where(Receipt.expenditure_id == lost.id))
    [finding] = scan(fw.tenant, "money.no_receipt")
    assert finding.subject_key == f"expenditure:{lost.id}"
    assert finding.details == {"expenditure": lost.id, "amount": "¥2,000.00"}
    assert kept.id not in [e["id"] for e in finding.evidence]


def test_a_disbursement_before_its_milestone_was_approved_is_flagged(fw):
    contract = funded_contract(fw, tranches=2)
    first, second = contract.tranches
    honest = db.session.scalar(select(first.__class__).where(first.__class__.id == first.id))
    second.approved_at = datetime.now(UTC) + timedelta(days=3)  # approval dated after payment
    db.session.flush()
    [finding] = scan(fw.tenant, "money.disbursed_before_milestone")
    assert finding.evidence[1] == {"type": "tranche", "id": second.id}
    assert finding.details["seq"] == 2
    assert honest.id not in [e["id"] for e in finding.evidence if e["type"] == "tranche"]


def _earn(w, user, org, points):
    wallet = db.session.scalar(select(PointsWallet).where(PointsWallet.user_id == user.id))
    if wallet is None:
        wallet = PointsWallet(tenant_id=w.tenant.id, user_id=user.id, balance=0)
        db.session.add(wallet)
        db.session.flush()
    wallet.balance += points
    db.session.add(PointsEntry(tenant_id=w.tenant.id, wallet_id=wallet.id, user_id=user.id,
                               org_id=org.id, kind="accrual", points=points,
                               balance_after=wallet.balance))
    db.session.flush()


def _redeem(w, user, org, points, n):
    merchant = make_merchant(w, name=f"爱心超市{n}")
    row = Redemption(tenant_id=w.tenant.id, org_id=org.id, user_id=user.id,
                     merchant_id=merchant.id, points=points, value_fen=points * 100,
                     code=f"CODE{n:06d}", status="consumed")
    db.session.add(row)
    db.session.flush()
    return row


def test_points_redeemed_beyond_points_earned_are_flagged(fw):
    from app.auth.models import Role
    from tests.factories import user_with

    honest = user_with(fw.tenant, Role.VOLUNTEER)
    _earn(fw, fw.volunteer, fw.org, 5)
    _earn(fw, honest, fw.org, 10)
    _earn(fw, honest, fw.org2, 3)
    _redeem(fw, honest, fw.org, 10, 1)      # exactly what was earned with that org
    first = _redeem(fw, fw.volunteer, fw.org, 4, 2)
    second = _redeem(fw, fw.volunteer, fw.org, 4, 3)
    _redeem(fw, fw.volunteer, fw.org2, 1, 4)  # nothing earned with org2
    findings = scan(fw.tenant, "points.redeemed_beyond_earned")
    assert {(f.subject_key, f.details["redeemed"], f.details["earned"]) for f in findings} == {
        (f"user:{fw.volunteer.id}:org:{fw.org.id}", 8, 5),
        (f"user:{fw.volunteer.id}:org:{fw.org2.id}", 1, 0)}
    assert first.id != second.id


def test_a_bookkeeper_paying_themselves_or_a_relative_is_flagged(fw):
    contract = funded_contract(fw)
    fw.bookkeeper.name = "赵会计"
    relative = VolunteerProfile(tenant_id=fw.tenant.id, user_id=fw.volunteer.id, real_name="赵小明",
                                gender="M", birth_date=date(2001, 1, 1), id_number="110105200101010011",
                                phone=fw.bookkeeper.phone, consent_at=datetime.now(UTC),
                                consent_version="2026-01")
    db.session.add(relative)
    db.session.flush()
    own_name = pay(fw, contract, 50_000, payee="赵会计")
    own_number = pay(fw, contract, 50_000, payee=f"李四（{fw.bookkeeper.phone}）")
    kin = pay(fw, contract, 50_000, payee="赵小明")
    pay(fw, contract, 50_000, payee="惠民出租车公司")
    pay(fw, contract, 50_000, payee="王小明")
    findings = {f.subject_key: f for f in scan(fw.tenant, "money.self_payment")}
    assert set(findings) == {f"expenditure:{own_name.id}", f"expenditure:{own_number.id}",
                             f"expenditure:{kin.id}"}
    assert findings[f"expenditure:{own_name.id}"].details["match"] == "name"
    assert findings[f"expenditure:{own_number.id}"].details["match"] == "number"
    assert findings[f"expenditure:{kin.id}"].details["match"] == "relative"
    assert {"type": "volunteer_profile", "id": relative.id} in findings[f"expenditure:{kin.id}"].evidence


def test_each_money_rule_leaves_an_honest_contract_alone(fw):
    contract = funded_contract(fw, tranches=2)
    pay(fw, contract, 300_000)
    pay(fw, contract, 200_000, payee="顺达物流", line="物资")
    for code in ("money.split_purchase", "money.no_receipt", "money.disbursed_before_milestone",
                 "money.self_payment", "points.redeemed_beyond_earned"):
        assert scan(fw.tenant, code) == [], code
