"""Isolation makers for funding: one whole funding chain per tenant world and organization
(fund → call → application → award with an answered objection → signed contract → paid tranche
→ expenditure with a receipt, held by an overseer's objection; a merchant and a redemption)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.funding import awards, contracts, funds, incentives, receipts, spending, steps
from app.funding.models_spending import ExpenditureStatus, Redemption
from app.funding.models_steps import StepFile
from app.funding.samples import receipt_png
from app.funding.services import today
from app.orgs import uploads
from tests.factories import user_with
from tests.funding.factories import request_tranche, terms, tranche_inputs
from tests.isolation import PUBLIC_ENDPOINTS, maker

PUBLIC_ENDPOINTS.update({
    "funding.notices", "funding.notice", "funding.notice_qr", "funding.public_contracts",
    "funding.public_contract", "funding.open_calls", "funding.public_call",
    "api_funding.PublicNotices", "api_funding.PublicNotice", "api_funding.PublicObjections",
    "api_funding.PublicContracts", "api_funding.PublicContract", "api_funding.PublicCalls",
})


def chain(world, org) -> dict[str, int]:
    key = ("funding", org.id)
    if key in world.extra:
        return world.extra[key]
    tenant, users = world.tenant, world.users
    staff = users.admin if org.id == world.orgs[0].id else users.admin2
    second = user_with(tenant, Role.BUREAU_OFFICER)
    fund = funds.create_fund(tenant, users.officer, fiscal_year=today().year,
                             name=f"专项资金{org.id}", source="区级财政", amount_fen=10_000_000)
    call = funds.publish_call(fund, users.officer, title=f"项目征集{org.id}",
                              category=tenant.setting("service_categories")[0], description="",
                              ceiling_fen=5_000_000, deadline=today() + timedelta(days=10))
    lines = [("交通", 1_000_000), ("激励", 1_000_000)]
    application = funds.submit_application(call, org, staff, title=f"申报{org.id}", plan="方案",
                                           lines=lines)
    award = awards.propose_award(application, users.officer, amount_fen=2_000_000)
    objection = awards.file_objection(award, text="请说明评审过程")
    awards.answer_objection(objection, users.officer, "已公开评审记录")
    award.notice_starts_at = utcnow() - timedelta(days=8)
    award.notice_ends_at = utcnow() - timedelta(minutes=1)
    contract = contracts.save_draft(award, users.officer, terms(), lines, tranche_inputs(5000, 5000))
    contracts.sign_contract(contract, users.officer)
    first = contract.tranches[0]
    request_tranche(first, users.officer)
    payment = contracts.approve_payment(first, second)
    line_id = contract.lines[0].id
    expense = spending.record(contract, staff, spending.ExpenseInput(
        line_id=line_id, amount_fen=1_000_000, spent_on=today(), payee="出租车公司",
        description="交通", method="transfer"), [receipts.Upload(receipt_png(), "票.png")])
    # The residents' assembly and the procurement on record, with their files.
    paper = uploads.Upload(receipt_png(), "png", "纪要.png")
    steps.record_assembly(expense, staff, held_on=today(), attendance=30, votes_for=20,
                          votes_against=5, votes_abstain=5, minutes=[paper])
    steps.record_procurement(expense, staff, method="tender", supplier="惠民出租车公司",
                             note="公开招标", documents=[paper])
    expense.org_approved_by_id, expense.bureau_approved_by_id = second.id, users.officer.id
    expense.status, expense.window_ends_at = ExpenditureStatus.WINDOW, utcnow() + timedelta(days=5)
    oversight = spending.object_to(expense, users.overseer, "价格偏高")
    merchant = incentives.add_merchant(tenant, name=f"爱心超市{org.id}", kind="charity_store")
    redemption = Redemption(tenant_id=tenant.id, org_id=org.id, user_id=users.volunteer.id,
                            merchant_id=merchant.id, points=5, value_fen=500,
                            code=secrets.token_hex(5).upper())
    db.session.add(redemption)
    db.session.flush()
    world.extra[key] = {
        "fund_id": fund.id, "call_id": call.id, "application_id": application.id,
        "award_id": award.id, "objection_id": objection.id, "contract_id": contract.id,
        "tranche_id": contract.tranches[1].id, "disbursement_id": payment.id,
        "expenditure_id": expense.id, "receipt_id": expense.receipts[0].id,
        "tranche_evidence_id": first.evidence_files[0].id,
        "step_file_id": db.session.scalar(select(StepFile.id).where(
            StepFile.expenditure_id == expense.id)),
        "oversight_objection_id": oversight.id, "redemption_id": redemption.id,
    }
    return world.extra[key]


def _part(name: str):
    @maker(name)
    def make(world, org):
        return chain(world, org)[name]

    return make


for _name in ("fund_id", "call_id", "application_id", "award_id", "objection_id", "contract_id",
              "tranche_id", "disbursement_id", "expenditure_id", "receipt_id", "tranche_evidence_id",
              "step_file_id", "oversight_objection_id", "redemption_id"):
    _part(_name)
