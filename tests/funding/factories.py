"""Builders for funding tests: each step goes through the real services, so a test starts
from the state a user would have reached (a fund, a call, an application, an award whose
notice has ended, a signed contract…)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.books.models import OutboxEvent
from app.db import utcnow
from app.extensions import db
from app.funding import awards, contracts, funds
from app.funding.models import Application, Award, Call, Contract, Fund
from app.funding.services import today
from app.orgs.models import Organization
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with

LINES = [("交通", 2_000_000), ("物资", 3_000_000), ("激励", 1_000_000)]  # ¥60,000 in all


@dataclass
class FundingWorld:
    tenant: Tenant
    org: Organization
    org2: Organization
    officer: User
    officer2: User
    auditor: User
    overseer: User
    admin: User
    admin_b: User  # a second admin of the same organization
    coordinator: User
    bookkeeper: User
    admin2: User  # admin of the other organization
    volunteer: User
    resident: User


#: The funding tests' district keeps the two-approval ladder they exercise (the organization,
#: then the bureau too from the first tier), and shows the overseers only spending from the
#: threshold up, so small spending is final on approval; the whole ladder and the overseers'
#: scope have their own tests.
TWO_APPROVALS = {"approval_steps": [["org"], ["org", "bureau"]], "overseer_scope": "threshold"}


def funding_world(slug: str | None = None) -> FundingWorld:
    tenant = TenantFactory(settings=dict(TWO_APPROVALS), **({"slug": slug} if slug else {}))
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工服务中心")
    org2 = OrgFactory(tenant_id=tenant.id, name="彩虹文体协会")
    return FundingWorld(
        tenant=tenant, org=org, org2=org2,
        officer=user_with(tenant, Role.BUREAU_OFFICER, name="王科长"),
        officer2=user_with(tenant, Role.BUREAU_OFFICER, name="陈科员"),
        auditor=user_with(tenant, Role.AUDITOR),
        overseer=user_with(tenant, Role.OVERSEER),
        admin=user_with(tenant, Role.ORG_ADMIN, org),
        admin_b=user_with(tenant, Role.ORG_ADMIN, org),
        coordinator=user_with(tenant, Role.ORG_COORDINATOR, org),
        bookkeeper=user_with(tenant, Role.ORG_BOOKKEEPER, org),
        admin2=user_with(tenant, Role.ORG_ADMIN, org2),
        volunteer=user_with(tenant, Role.VOLUNTEER),
        resident=user_with(tenant, Role.RESIDENT),
    )


def make_fund(w: FundingWorld, amount_fen: int = 50_000_000, name: str = "社区服务专项") -> Fund:
    return funds.create_fund(w.tenant, w.officer, fiscal_year=today().year, name=name,
                             source="区级财政", amount_fen=amount_fen)


def make_call(w: FundingWorld, fund: Fund | None = None, ceiling_fen: int = 8_000_000) -> Call:
    fund = fund or make_fund(w)
    return funds.publish_call(fund, w.officer, title="助老服务项目", category="助老服务",
                              description="为独居老人提供上门探访", ceiling_fen=ceiling_fen,
                              deadline=today() + timedelta(days=14))


def make_application(w: FundingWorld, call: Call | None = None, org: Organization | None = None,
                     lines=LINES) -> Application:
    call = call or make_call(w)
    org = org or w.org
    return funds.submit_application(call, org, w.admin, title="银龄守望", plan="每周探访独居老人两次",
                                    lines=lines)


def end_notice(award: Award) -> Award:
    """Backdate the notice so its period is over (as if seven days had passed)."""
    award.notice_starts_at = utcnow() - timedelta(days=8)
    award.notice_ends_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    return award


def make_award(w: FundingWorld, application: Application | None = None,
               amount_fen: int | None = None, ended: bool = True) -> Award:
    application = application or make_application(w)
    award = awards.propose_award(application, w.officer,
                                 amount_fen=amount_fen or application.total_fen,
                                 reasons="方案完整，预算合理")
    return end_notice(award) if ended else award


def terms(**changes) -> contracts.Terms:
    start = today()
    values = dict(title="银龄守望服务合同", content="每周上门探访独居老人两次", starts_on=start,
                  ends_on=start + timedelta(days=300), quantity="探访 2000 人次",
                  quality="满意度不低于 90%", settlement="按里程碑分期支付",
                  duties="甲方按期支付，乙方按标准提供服务", liability="未达标准按比例扣减")
    values.update(changes)
    return contracts.Terms(**values)


def tranche_inputs(*shares: int, milestone: str = "完成阶段服务") -> list[contracts.TrancheInput]:
    shares = shares or (4000, 6000)
    return [contracts.TrancheInput(percent_bp=bp, planned_on=today() + timedelta(days=30 * i),
                                   milestone=f"{milestone}{i + 1}") for i, bp in enumerate(shares)]


def make_contract(w: FundingWorld, award: Award | None = None, signed: bool = True,
                  shares: tuple[int, ...] = (4000, 6000), lines=None) -> Contract:
    award = award or make_award(w)
    lines = lines or [(line.name, line.amount_fen) for line in award.application.lines]
    if sum(fen for _, fen in lines) != award.amount_fen:
        lines = [(lines[0][0], award.amount_fen)]
    contract = contracts.save_draft(award, w.officer, terms(), lines, tranche_inputs(*shares))
    return contracts.sign_contract(contract, w.officer) if signed else contract


def request_tranche(tranche, officer, amount_fen: int | None = None, *, files: bool = True,
                    reason: str | None = None):
    """Ask for a tranche's payment with a description and (by default) a report file; a
    reason is written when the rules ask for one, unless ``reason`` says otherwise."""
    from app.funding.samples import milestone_report

    if reason is None:
        reason = ("合同约定可提前拨付，局务会已研究同意" if tranche.days_early(today()) or not files
                  else "")
    return contracts.request_payment(tranche, officer, amount_fen=amount_fen,
                                     evidence="阶段服务已完成，服务记录齐全",
                                     files=[milestone_report()] if files else [], reason=reason)


def pay_tranche(w: FundingWorld, contract: Contract, seq: int = 1, amount_fen: int | None = None):
    tranche = next(t for t in contract.tranches if t.seq == seq)
    request_tranche(tranche, w.officer, amount_fen)
    return contracts.approve_payment(tranche, w.officer2)


def outbox(kind: str | None = None) -> list[dict]:
    """Payloads waiting in the ledger outbox, oldest first."""
    stmt = select(OutboxEvent).order_by(OutboxEvent.id)
    if kind:
        stmt = stmt.where(OutboxEvent.kind == kind)
    return [row.payload for row in db.session.scalars(stmt)]


def outbox_count() -> int:
    return len(outbox())


def money_fields(payload: dict) -> dict:
    """The parts of a payload the books depend on: kind, ids, amounts, points, line."""
    keys = ("kind", "fund_id", "org_id", "contract_id", "tranche_id", "amount", "points", "line",
            "date", "source", "approver")
    return {k: payload[k] for k in keys if k in payload}


def a_day(n: int = 0) -> date:
    return today() + timedelta(days=n)


def receipt(kind: str = "png", name: str | None = None):
    from app.funding.receipts import Upload
    from app.funding.samples import receipt_pdf, receipt_png

    data = receipt_png() if kind == "png" else receipt_pdf()
    return Upload(data, name or f"发票.{kind}")


def spend(w: FundingWorld, contract: Contract, amount_fen: int, line: str = "交通",
          method: str = "transfer", by: User | None = None, uploads=None):
    from app.funding import spending

    line_id = next(x.id for x in contract.lines if x.name == line)
    data = spending.ExpenseInput(line_id=line_id, amount_fen=amount_fen, spent_on=today(),
                                 payee="惠民出租车公司", description="探访交通费", method=method)
    return spending.record(contract, by or w.bookkeeper, data,
                           [receipt()] if uploads is None else uploads)


def funded_contract(w: FundingWorld, tranches: int = 1) -> Contract:
    """A signed contract (¥60,000: 交通 20,000 / 物资 30,000 / 激励 10,000) with tranches paid."""
    contract = make_contract(w)
    for seq in range(1, tranches + 1):
        pay_tranche(w, contract, seq)
    return contract


def accrue(w: FundingWorld, user: User, points: int, org: Organization | None = None, n: int = 1):
    """Credit ``user``'s wallet as verified hours do: an accrual entry and its
    ``IncentiveAccrual`` event. Returns the outbox row."""
    from app.books.models import OutboxEvent
    from app.service.incentives import credit_points

    entry = credit_points(w.tenant, user.id, (org or w.org).id, points, approver=w.coordinator,
                          source=f"service-record:{n}")
    return db.session.get(OutboxEvent, entry.outbox_id)


def make_volunteer(w: FundingWorld, user: User | None = None) -> User:
    """Give ``user`` (default: the world's volunteer) a volunteer record."""
    from datetime import UTC, datetime

    from app.volunteers.models import VolunteerProfile

    user = user or w.volunteer
    db.session.add(VolunteerProfile(
        tenant_id=w.tenant.id, user_id=user.id, real_name="王芳", gender="F",
        birth_date=date(1990, 6, 15), id_number=f"11010519900615{user.id % 10000:04d}",
        phone="13800000002", consent_at=datetime.now(UTC), consent_version="2026-01"))
    db.session.flush()
    return user


def make_merchant(w: FundingWorld, name: str = "幸福爱心超市"):
    from app.funding import incentives

    return incentives.add_merchant(w.tenant, name=name, kind="charity_store", address="幸福路 1 号")
