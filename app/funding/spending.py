"""Expenditures (支出) against a contract's budget lines, with receipts and controls:

- the amount is charged to the contract and its line when recorded, under row locks, so the
  organization never spends more than it received nor more than a capped line allows;
- approval tiers by amount (``approval_tiers_fen``), each with its steps (``approval_steps``,
  ``app.funding.ladder``): the org admin's approval, a bureau officer's, a residents' assembly
  decision, a procurement record, a second officer's; the recorder never approves, and an
  expenditure is final only once every step of its tier is done;
- cash above ``petty_cash_cap_fen`` is refused;
- spending in the overseers' scope (``overseer_scope``: every expenditure, or only from
  ``overseer_threshold_fen`` up) is open to the resident overseers for ``overseer_window_days``
  once approved; they sign it off or object (``app.funding.overseers``), and an objection holds
  it until the bureau resolves it;
- only a final expenditure reaches the books (``Expenditure`` event).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role
from app.books.outbox import emit
from app.db import utcnow
from app.extensions import db
from app.funding import ladder, overseers, receipts
from app.funding.models import Contract, ContractLine, ContractStatus
from app.funding.models_spending import (
    Expenditure,
    ExpenditureStatus,
    OverseerObjection,
    PaymentMethod,
)
from app.funding.services import FundingError, locked, oneline, required, tell, today, yuan
from app.money import format_fen
from app.tenancy.models import Tenant
from ledger import events as ev


@dataclass
class ExpenseInput:
    line_id: int
    amount_fen: int
    spent_on: date
    payee: str
    description: str
    method: str


@dataclass(frozen=True)
class ApprovalPlan:
    tier: int
    needs_bureau: bool
    needs_window: bool
    steps: tuple[str, ...] = (ladder.ORG,)


def approval_plan(tenant: Tenant, amount_fen: int) -> ApprovalPlan:
    """Which steps an amount needs under the tenant's ladder and the overseers' scope."""
    tier = bisect_right(sorted(tenant.setting("approval_tiers_fen")), amount_fen)
    steps = ladder.steps_for(tenant, tier)
    return ApprovalPlan(tier=tier, needs_bureau=ladder.BUREAU in steps, steps=steps,
                        needs_window=in_overseers_scope(tenant, amount_fen))


def in_overseers_scope(tenant: Tenant, amount_fen: int) -> bool:
    """Whether the resident overseers review spending of this amount: every expenditure, or
    (scope "threshold") only from ``overseer_threshold_fen`` up."""
    return (tenant.setting("overseer_scope") != "threshold"
            or amount_fen >= int(tenant.setting("overseer_threshold_fen")))


def _check_input(contract: Contract, tenant: Tenant, data: ExpenseInput,
                 uploads: Sequence[receipts.Upload], correcting: bool) -> ContractLine:
    if contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("Spending is recorded only on a signed, open contract."))
    line = next((line for line in contract.lines if line.id == data.line_id), None)
    if line is None:
        raise FundingError(_l("Choose a budget line of this contract."))
    if data.amount_fen <= 0:
        raise FundingError(_l("The amount must be greater than zero."))
    if data.method not in set(PaymentMethod):
        raise FundingError(_l("Choose how it was paid."))
    cap = int(tenant.setting("petty_cash_cap_fen"))
    if data.method == PaymentMethod.CASH and data.amount_fen > cap:
        raise FundingError(_l("Cash payments above the petty-cash limit (%(cap)s) are not "
                              "allowed; pay by bank transfer.", cap=format_fen(cap)))
    if data.spent_on is None or data.spent_on > today():
        raise FundingError(_l("The date of payment cannot be in the future."))
    required(data.payee, _l("Please name who was paid."), 120)
    required(data.description, _l("Please describe what was bought."), 2000)
    if not uploads and not correcting:  # a correction keeps the original's receipts
        raise FundingError(_l("Attach at least one receipt (a photo or a PDF)."))
    for upload in uploads:
        receipts.check(upload)
    return line


def charge(contract: Contract, line: ContractLine, amount: int) -> None:
    """Spend ``amount`` fen of a contract on one of its lines (both locked by the caller):
    never more than the organization received and has not yet spent, nor more than is left
    on a capped line."""
    if amount > contract.cash_fen:
        raise FundingError(_l("This is more than the organization has received and not yet spent "
                              "on this contract (%(left)s).", left=format_fen(contract.cash_fen)))
    if line.capped and amount > line.remaining_fen:
        raise FundingError(_l("This is more than is left on the budget line %(line)s (%(left)s).",
                              line=line.name, left=format_fen(line.remaining_fen)))
    contract.spent_fen += amount
    line.spent_fen += amount


def record(contract: Contract, user, data: ExpenseInput, uploads: Sequence[receipts.Upload],
           corrects: Expenditure | None = None) -> Expenditure:
    """The bookkeeper records spending with its receipts; it waits for approval."""
    tenant = db.session.get(Tenant, contract.tenant_id)
    _check_input(contract, tenant, data, uploads, correcting=corrects is not None)
    contract = locked(Contract, contract.id)
    line = locked(ContractLine, data.line_id)
    amount = data.amount_fen
    charge(contract, line, amount)
    plan = approval_plan(tenant, amount)
    expenditure = Expenditure(
        tenant_id=contract.tenant_id, org_id=contract.org_id, contract_id=contract.id,
        line_id=line.id, amount_fen=amount, spent_on=data.spent_on, payee=data.payee.strip(),
        description=data.description.strip(), method=data.method, tier=plan.tier,
        needs_bureau=plan.needs_bureau, needs_window=plan.needs_window,
        steps=",".join(plan.steps), recorded_by_id=user.id,
        corrects_id=corrects.id if corrects else None)
    db.session.add(expenditure)
    db.session.flush()
    for upload in uploads:
        receipts.store(expenditure, user, upload)
    tell(contract.tenant_id, Role.ORG_ADMIN, _l("An expenditure awaits your approval"),
         org_id=contract.org_id, exclude=user.id, endpoint="funding.expenditure",
         expenditure_id=expenditure.id, kind="expenditure.org_approval",
         subject_id=expenditure.id)
    return expenditure


def approve(expenditure: Expenditure, user, *, as_bureau: bool) -> Expenditure:
    """The org admin's (or, from the first tier, also a bureau officer's) approval."""
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status != ExpenditureStatus.PENDING:
        raise FundingError(_l("This expenditure is not awaiting approval."))
    if user.id == expenditure.recorded_by_id:
        raise FundingError(_l("You recorded this expenditure; someone else must approve it."))
    now = utcnow()
    if as_bureau:
        if not expenditure.needs_bureau:
            raise FundingError(_l("This amount is approved by the organization alone."))
        if expenditure.bureau_approved_by_id is not None:
            raise FundingError(_l("The bureau has already approved this expenditure."))
        expenditure.bureau_approved_by_id, expenditure.bureau_approved_at = user.id, now
    else:
        if expenditure.org_approved_by_id is not None:
            raise FundingError(_l("The organization has already approved this expenditure."))
        expenditure.org_approved_by_id, expenditure.org_approved_at = user.id, now
    db.session.flush()
    if (not as_bureau and expenditure.needs_bureau
            and expenditure.bureau_approved_by_id is None):
        tell(expenditure.tenant_id, Role.BUREAU_OFFICER,
             _l("An expenditure awaits the bureau's approval"),
             endpoint="funding.expenditure", expenditure_id=expenditure.id,
             kind="expenditure.bureau_approval", subject_id=expenditure.id)
    return advance(expenditure, now)


def advance(expenditure: Expenditure, now=None) -> Expenditure:
    """Once every step of its tier is done: open to the overseers (from ``now``, the last
    step's time), or final. Until then it waits."""
    if ladder.missing(expenditure):
        from app.funding.waiting import tell_waiting

        tell_waiting(expenditure)
        return expenditure
    now = now or utcnow()
    if expenditure.needs_window:
        tenant = db.session.get(Tenant, expenditure.tenant_id)
        expenditure.status = ExpenditureStatus.WINDOW
        expenditure.window_ends_at = now + timedelta(days=int(
            tenant.setting("overseer_window_days")))
        db.session.flush()
        tell(expenditure.tenant_id, Role.OVERSEER, _l("An expenditure is open for oversight"),
             endpoint="funding.expenditure", expenditure_id=expenditure.id,
             kind="expenditure.window", subject_id=expenditure.id)
        return expenditure
    return _finalize(expenditure)


def reject(expenditure: Expenditure, user, reason: str) -> Expenditure:
    """An approver refuses it: the amount goes back to the contract and its line."""
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status != ExpenditureStatus.PENDING:
        raise FundingError(_l("This expenditure is not awaiting approval."))
    if user.id == expenditure.recorded_by_id:
        raise FundingError(_l("You recorded this expenditure; someone else must approve it."))
    expenditure.rejection_reason = required(reason, _l("Please give a reason."), 2000)
    expenditure.rejected_by_id = user.id
    expenditure.status = ExpenditureStatus.REJECTED
    uncharge(expenditure)
    return expenditure


def uncharge(expenditure: Expenditure) -> None:
    """Give an expenditure's amount back to its contract and line (rejection, reversal)."""
    contract = locked(Contract, expenditure.contract_id)
    line = locked(ContractLine, expenditure.line_id)
    contract.spent_fen -= expenditure.amount_fen
    line.spent_fen -= expenditure.amount_fen
    db.session.flush()


def object_to(expenditure: Expenditure, overseer, text: str) -> OverseerObjection:
    """A resident overseer objects during the window; the expenditure is held. One who has
    signed it off has said it is in order, and objects no more."""
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status not in (ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED) or (
            expenditure.window_ends_at is not None and utcnow() >= expenditure.window_ends_at):
        raise FundingError(_l("This expenditure is not open for objections."))
    if any(s.overseer_id == overseer.id for s in expenditure.signoffs):
        raise FundingError(_l("You have signed this expenditure off."))
    objection = OverseerObjection(tenant_id=expenditure.tenant_id, expenditure_id=expenditure.id,
                                  overseer_id=overseer.id,
                                  text=required(text, _l("Please write your objection."), 2000))
    expenditure.status = ExpenditureStatus.OBJECTED
    db.session.add(objection)
    db.session.flush()
    tell(expenditure.tenant_id, Role.BUREAU_OFFICER, _l("An overseer objected to an expenditure"),
         endpoint="funding.expenditure", expenditure_id=expenditure.id,
         kind="expenditure.objection", subject_id=expenditure.id)
    return objection


def resolve(objection: OverseerObjection, officer, *, uphold: bool, note: str) -> Expenditure:
    """The bureau decides: upheld refuses the expenditure; dismissed lets it go ahead."""
    expenditure = locked(Expenditure, objection.expenditure_id)
    if objection.resolved_at is not None:
        raise FundingError(_l("This objection has already been resolved."))
    note = required(note, _l("Please explain the decision."), 2000)
    now = utcnow()
    pending = [o for o in expenditure.objections if o.resolved_at is None]
    answered = pending if uphold else [objection]
    for o in answered:
        o.resolution = "upheld" if uphold else "dismissed"
        o.resolution_note, o.resolved_by_id, o.resolved_at = note, officer.id, now
    overseers.tell_answered(expenditure, answered)
    if uphold:
        expenditure.status = ExpenditureStatus.REJECTED
        expenditure.rejected_by_id, expenditure.rejection_reason = officer.id, note
        uncharge(expenditure)
        return expenditure
    if len(pending) == 1:
        expenditure.status = ExpenditureStatus.WINDOW
        db.session.flush()
        finalize_if_due(expenditure)
    db.session.flush()
    return expenditure


def finalize_if_due(expenditure: Expenditure) -> bool:
    """Final once the window has passed without an open objection. Idempotent."""
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status != ExpenditureStatus.WINDOW or utcnow() < expenditure.window_ends_at:
        return False
    _finalize(expenditure)
    return True


def finalize(expenditure: Expenditure) -> Expenditure:
    """Make it final now (a button after the window); refused while not due."""
    if not finalize_if_due(expenditure):
        raise FundingError(_l("The oversight window has not ended, or an objection is open."))
    return expenditure


def due_for_finalizing(tenant_id: int) -> list[int]:
    return list(db.session.scalars(select(Expenditure.id).where(
        Expenditure.tenant_id == tenant_id, Expenditure.status == ExpenditureStatus.WINDOW,
        Expenditure.window_ends_at <= utcnow()).order_by(Expenditure.id)))


def _finalize(expenditure: Expenditure) -> Expenditure:
    if missing := ladder.missing(expenditure):  # never final with a step of its tier undone
        raise FundingError(_l("Not every step of this tier is done yet: %(steps)s.",
                              steps="、".join(str(ladder.STEPS[s]) for s in missing)))
    expenditure.status = ExpenditureStatus.FINAL
    expenditure.final_at = utcnow()
    db.session.flush()
    line, contract = expenditure.line, expenditure.contract
    approver = expenditure.bureau_approved_by_id or expenditure.org_approved_by_id
    event = emit(ev.Expenditure, tenant=db.session.get(Tenant, expenditure.tenant_id),
                 org_id=expenditure.org_id, contract_id=expenditure.contract_id, line=line.code,
                 amount=yuan(expenditure.amount_fen), date=today(),
                 payee=oneline(expenditure.payee, 200),
                 narration=oneline(f"支出 {contract.number} {line.name}：{expenditure.description}",
                                   500),
                 source=f"expenditure:{expenditure.id}", approver=f"user:{approver}")
    expenditure.event_id = event.id
    db.session.flush()
    return expenditure

