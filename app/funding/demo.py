"""Demo: a whole funding cycle for the demo tenant, through the real services.

A fund, an open call, 阳光社区服务中心's application awarded after its public notice (the notice
is backdated so its period is over; one objection was filed and answered), a signed contract
with its first tranche paid (asked for by one officer, approved by another), expenditures with
real PNG and PDF receipts (one signed off by the resident overseer and final, one in the
overseers' window waiting for their review, and two small purchases from
one shop, each under the bureau's approval threshold but together above it, awaiting the
organization's approval: the anomaly scan reports them as a split purchase), and redemptions of the
points the volunteers earned with their verified hours (service demo): one settled with the
merchant, one code still to use.
Idempotent: the fund's natural key says whether the cycle exists.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Role, User
from app.db import utcnow
from app.demo import DEMO_PASSWORD, ORGS, VOLUNTEERS
from app.extensions import db
from app.funding import (
    awards,
    contracts,
    funds,
    incentives,
    overseers,
    receipts,
    spending,
    steps,
)
from app.funding.models import Fund
from app.funding.samples import milestone_report, receipt_pdf, receipt_png
from app.funding.services import today
from app.orgs import uploads
from app.orgs.models import Organization
from app.service.incentives import credit_points
from app.tenancy.models import Tenant

ORDER = 50
FUND_NAME = "社区服务专项资金"
SECOND_OFFICER = ("bureau2@demo.gongzhi.cn", "陈科员")


def _user(account: str, name: str = "") -> User:
    return auth.find_user(account) or auth.register_user(account, name, DEMO_PASSWORD)


def _points(tenant: Tenant, org: Organization, volunteer: User, wanted: int) -> int:
    """``wanted`` points the volunteer holds from ``org``: the service demo's verified hours
    give them; should they not suffice, the rest is credited as hours served earlier."""
    short = wanted - incentives.points_balance(volunteer.id, tenant.id, org.id)
    if short > 0:
        credit_points(tenant, volunteer.id, org.id, short, approver=None,
                      source=f"demo-service:{volunteer.id}",
                      narration="志愿服务积分（往期已核实时长）")
    return wanted


def _deliver(org: Organization, contract) -> None:
    """The organization's projects deliver the contract: its service is what the money bought."""
    from app.funding import delivery
    from app.projects.models import Project

    for project in db.session.scalars(select(Project).where(
            Project.tenant_id == org.tenant_id, Project.org_id == org.id)):
        delivery.link(project, contract.id)


def _chosen_by_residents(tenant: Tenant):
    """幸福社区's published consultation, whose residents put weekly visits first."""
    from app.consultations.demo import PUBLISHED
    from app.consultations.models import Consultation, ConsultationStatus

    return db.session.scalar(select(Consultation).where(
        Consultation.tenant_id == tenant.id, Consultation.title == PUBLISHED,
        Consultation.status == ConsultationStatus.PUBLISHED))


def _signed_by_the_overseer(expense) -> None:
    """The resident overseer looked at the taxi receipts and signed them off; their window
    has since passed, so the expenditure is final."""
    overseer = auth.find_user("overseer@demo.gongzhi.cn")
    if overseer is not None:
        overseers.sign_off(expense, overseer).created_at = utcnow() - timedelta(days=4)
    expense.window_ends_at = utcnow() - timedelta(hours=1)
    spending.finalize_if_due(expense)


def step(tenant: Tenant) -> str | None:
    year = today().year
    if db.session.scalar(select(Fund.id).where(Fund.tenant_id == tenant.id,
                                               Fund.fiscal_year == year, Fund.name == FUND_NAME)):
        return None
    officer = _user("bureau@demo.gongzhi.cn")
    checker = _user(*SECOND_OFFICER)
    auth.grant_role(checker, tenant.id, Role.BUREAU_OFFICER)
    prefix = ORGS[0][3]
    admin, coord, books = (_user(f"{prefix}-{s}@demo.gongzhi.cn") for s in ("admin", "coord",
                                                                            "books"))
    org = db.session.scalar(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.credit_code == ORGS[0][1]))

    fund = funds.create_fund(tenant, officer, fiscal_year=year, name=FUND_NAME,
                             source="区级财政", amount_fen=50_000_000)
    call = funds.publish_call(fund, officer, title="独居老人关爱服务项目", category="助老服务",
                              description="为辖区独居老人提供每周上门探访、健康提醒和节日慰问。",
                              ceiling_fen=8_000_000, deadline=today() + timedelta(days=30),
                              consultation=_chosen_by_residents(tenant))
    application = funds.submit_application(
        call, org, admin, title="银龄守望",
        plan="组建 20 人志愿者队伍，每周两次上门探访 120 位独居老人；每季度一次健康讲座。",
        lines=[("交通", 2_000_000), ("物资", 3_000_000), ("激励", 1_000_000)])
    award = awards.propose_award(application, officer, amount_fen=6_000_000,
                                 reasons="方案完整，团队有三年助老服务经验，预算合理。")
    objection = awards.file_objection(award, text="希望公开评审打分情况。")
    awards.answer_objection(objection, officer, "评审打分表已在区民政局网站公开，欢迎查阅。")
    award.notice_starts_at = utcnow() - timedelta(days=10)
    award.notice_ends_at = utcnow() - timedelta(days=3)
    objection.created_at = award.notice_starts_at + timedelta(days=2)
    objection.answered_at = award.notice_starts_at + timedelta(days=3)

    start = today() - timedelta(days=2)
    contract = contracts.save_draft(
        award, officer,
        contracts.Terms(title="银龄守望独居老人关爱服务合同", content="每周两次上门探访独居老人，"
                        "提供健康提醒、代购和节日慰问。", starts_on=start,
                        ends_on=start + timedelta(days=364), quantity="探访不少于 9600 人次",
                        quality="服务对象满意度不低于 90%，探访记录完整可查",
                        settlement="按里程碑分两期支付：签约后 40%，中期评估合格后 60%",
                        duties="甲方按期支付并监督评估；乙方按标准提供服务并如实记录",
                        liability="未达服务标准的，按未完成比例扣减服务费"),
        [("交通", 2_000_000), ("物资", 3_000_000), ("激励", 1_000_000)],
        [contracts.TrancheInput(4000, start, "合同签订，服务启动"),
         contracts.TrancheInput(6000, start + timedelta(days=180), "中期评估合格")])
    contracts.sign_contract(contract, officer)
    _deliver(org, contract)
    contracts.request_payment(contract.tranches[0], officer, evidence="服务已启动，志愿者队伍组建完成",
                              files=[milestone_report("启动会签到表.pdf")])
    contracts.approve_payment(contract.tranches[0], checker)

    taxi = spending.record(contract, books, spending.ExpenseInput(
        line_id=contract.lines[0].id, amount_fen=86_000, spent_on=today(), payee="惠民出租车公司",
        description="探访交通费（3 月）", method="transfer"),
        [receipts.Upload(receipt_png(), "出租车票.png")])
    spending.approve(taxi, admin, as_bureau=False)  # open to the overseers (they review all)
    _signed_by_the_overseer(taxi)
    gifts = spending.record(contract, books, spending.ExpenseInput(
        line_id=contract.lines[1].id, amount_fen=1_200_000, spent_on=today(),
        payee="东湖百货有限公司", description="节日慰问品 120 份", method="transfer"),
        [receipts.Upload(receipt_pdf(["INVOICE", "Festival gift packs x120",
                                      "Total CNY 12000.00"]), "慰问品发票.pdf")])
    # From ¥10,000 the residents' assembly decides too (the default ladder).
    steps.record_assembly(gifts, books, held_on=today() - timedelta(days=3), attendance=42,
                          votes_for=38, votes_against=1, votes_abstain=3,
                          minutes=[uploads.Upload(receipt_pdf(["MINUTES", "Residents' assembly",
                                                               "Festival gifts: 38 for"]),
                                                  "pdf", "居民会议纪要.pdf")])
    spending.approve(gifts, admin, as_bureau=False)
    spending.approve(gifts, checker, as_bureau=True)  # now open to the overseers
    for days_ago, amount_fen, what in ((1, 560_000, "社区活动物资（第一批）"),
                                       (0, 480_000, "社区活动物资（第二批）")):
        spending.record(contract, books, spending.ExpenseInput(
            line_id=contract.lines[1].id, amount_fen=amount_fen,
            spent_on=today() - timedelta(days=days_ago), payee="福满多商贸有限公司",
            description=what, method="transfer"), [receipts.Upload(receipt_png(), "收据.png")])

    store = incentives.add_merchant(tenant, name="幸福爱心超市", kind="charity_store",
                                    address="幸福社区服务站一楼")
    incentives.add_merchant(tenant, name="邻里便利店", kind="merchant", address="和平路 18 号")
    volunteers = [auth.find_user(phone) for phone, *_ in VOLUNTEERS[:2]]
    used = incentives.issue(volunteers[0], org, store, _points(tenant, org, volunteers[0], 2))
    incentives.consume(org, used.code, coord)
    incentives.settle(used, contract, books)
    incentives.issue(volunteers[1], org, store, _points(tenant, org, volunteers[1], 1))
    return "funding: a fund, a call, a signed contract with a paid tranche, expenditures, points"
