"""Awards under public notice (公示): anyone may object during the notice period, and every
objection is answered, publicly, before the contract may be signed."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.funding.funds import check_small_grant
from app.funding.models import (
    Application,
    ApplicationStatus,
    Award,
    AwardStatus,
    Contract,
    ContractStatus,
    Objection,
)
from app.funding.services import FundingError, required, tell
from app.tenancy.models import Tenant

OBJECTION_MAX = 2000


def propose_award(application: Application, officer, *, amount_fen: int, reasons: str = "") -> Award:
    """Propose to award ``application`` and publish the notice for ``notice_days`` days."""
    if application.status != ApplicationStatus.SUBMITTED:
        raise FundingError(_l("This application has already been decided."))
    if amount_fen <= 0:
        raise FundingError(_l("The amount must be greater than zero."))
    if amount_fen > application.total_fen:
        raise FundingError(_l("The award cannot be more than the budget applied for."))
    check_small_grant(application.org, amount_fen)
    fund = application.call.fund
    if amount_fen > fund.uncommitted_fen:
        raise FundingError(_l("The fund does not have enough uncommitted money for this award."))
    tenant = db.session.get(Tenant, application.tenant_id)
    days = int(tenant.setting("notice_days"))
    now = utcnow()
    award = Award(tenant_id=application.tenant_id, org_id=application.org_id,
                  application_id=application.id, call_id=application.call_id,
                  amount_fen=amount_fen, reasons=(reasons or "").strip(),
                  notice_starts_at=now, notice_ends_at=now + timedelta(days=max(days, 1)),
                  proposed_by_id=officer.id)
    application.status = ApplicationStatus.PROPOSED
    db.session.add(award)
    db.session.flush()
    return award


def decline_application(application: Application) -> Application:
    if application.status != ApplicationStatus.SUBMITTED:
        raise FundingError(_l("This application has already been decided."))
    application.status = ApplicationStatus.DECLINED
    db.session.flush()
    return application


def withdraw_award(award: Award) -> Award:
    """Withdraw a proposal (e.g. after an objection was upheld); its draft contract goes too."""
    if award.status != AwardStatus.NOTICE:
        raise FundingError(_l("Only an award still under notice can be withdrawn."))
    draft = db.session.scalar(select(Contract).where(Contract.award_id == award.id))
    if draft is not None:
        if draft.status != ContractStatus.DRAFT:
            raise FundingError(_l("A signed contract cannot be changed."))
        db.session.delete(draft)
    award.status = AwardStatus.WITHDRAWN
    award.application.status = ApplicationStatus.DECLINED
    db.session.flush()
    return award


def file_objection(award: Award, *, text: str, name: str = "", contact: str = "") -> Objection:
    """Anyone, signed in or not, objects during the notice period."""
    if not award.notice_open:
        raise FundingError(_l("The objection period for this notice has ended."))
    text = required(text, _l("Please write your objection."), OBJECTION_MAX)
    name, contact = (name or "").strip(), (contact or "").strip()
    if len(name) > 60 or len(contact) > 100:
        raise FundingError(_l("The name or contact is too long."))
    objection = Objection(tenant_id=award.tenant_id, award_id=award.id, text=text, name=name,
                          contact=contact)
    db.session.add(objection)
    db.session.flush()
    _tell_officers(award)
    return objection


def answer_objection(objection: Objection, officer, answer: str) -> Objection:
    """The bureau's answer, published on the notice page."""
    if objection.answer is not None:
        raise FundingError(_l("This objection has already been answered."))
    objection.answer = required(answer, _l("Please write the answer."), OBJECTION_MAX)
    objection.answered_at = utcnow()
    objection.answered_by_id = officer.id
    db.session.flush()
    return objection


def signing_blockers(award: Award) -> list[str]:
    """Why the contract of ``award`` cannot be signed yet (empty when it can)."""
    reasons = []
    if award.status != AwardStatus.NOTICE:
        reasons.append(str(_l("This award is not awaiting a contract.")))
    if utcnow() < award.notice_ends_at:
        reasons.append(str(_l("The public notice period has not ended yet.")))
    if award.open_objections:
        reasons.append(str(_l("Objections to this award must be answered before the contract "
                              "is signed.")))
    return reasons


def _tell_officers(award: Award) -> None:
    tell(award.tenant_id, Role.BUREAU_OFFICER, _l("A new objection to a funding notice"),
         endpoint="funding.award", award_id=award.id, kind="award.objection",
         subject_id=award.id)
