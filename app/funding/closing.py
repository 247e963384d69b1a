"""Closing a contract, and corrections.

At close, what was committed but never paid goes back to the fund (``CommitmentRelease``) and
what was paid but not spent is returned (``Refund``). A correction never edits an entry: the
original is reversed (``Reversal``, with a reason, naming the original's txn id) and, where
needed, a new entry is made that goes through the usual checks and approvals.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.books.models import OutboxEvent
from app.books.outbox import emit
from app.db import utcnow
from app.extensions import db
from app.funding import receipts, spending
from app.funding.models import (
    Contract,
    ContractStatus,
    Disbursement,
    DisbursementStatus,
    Fund,
    Tranche,
    TrancheStatus,
)
from app.funding.models_spending import Expenditure, ExpenditureStatus
from app.funding.services import FundingError, locked, oneline, required, today, who, yuan
from app.money import format_fen
from app.orgs.models import Organization
from app.tenancy.models import Tenant
from ledger import events as ev

OPEN_SPENDING = (ExpenditureStatus.PENDING, ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED)


def close_contract(contract: Contract, officer) -> Contract:
    """Close: release the undisbursed commitment and record the refund of unspent money."""
    contract = locked(Contract, contract.id)
    if contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("Only a signed, open contract can be closed."))
    if db.session.scalar(select(func.count(Expenditure.id)).where(
            Expenditure.contract_id == contract.id,
            Expenditure.status.in_([str(s) for s in OPEN_SPENDING]))):
        raise FundingError(_l("Expenditures still awaiting approval or oversight must be "
                              "decided before the contract is closed."))
    if any(t.status == TrancheStatus.REQUESTED for t in contract.tranches):
        raise FundingError(_l("A payment request is still open; approve or cancel it first."))
    fund = locked(Fund, contract.fund_id)
    tenant = db.session.get(Tenant, contract.tenant_id)
    payee = oneline(db.session.get(Organization, contract.org_id).name, 200)
    common = dict(tenant=tenant, fund_id=fund.id, org_id=contract.org_id,
                  contract_id=contract.id, date=today(), approver=who(officer))
    release, refund = contract.undisbursed_fen, contract.cash_fen
    if release:
        contract.released_fen += release
        fund.committed_fen -= release
        db.session.flush()
        contract.release_event_id = emit(
            ev.CommitmentRelease, amount=yuan(release), payee=payee,
            narration=oneline(f"合同结项释放承诺 {contract.number}：{contract.title}", 500),
            source=f"contract:{contract.id}:release", **common).id
    if refund:
        contract.refunded_fen += refund
        db.session.flush()
        contract.refund_event_id = emit(
            ev.Refund, amount=yuan(refund), payee=payee,
            narration=oneline(f"合同结项结余退回 {contract.number}：{contract.title}", 500),
            source=f"contract:{contract.id}:refund", **common).id
    contract.status = ContractStatus.CLOSED
    contract.closed_at, contract.closed_by_id = utcnow(), officer.id
    db.session.flush()
    return contract


def _reverse(event_id: int, tenant: Tenant, officer, reason: str, narration: str, source: str):
    original = ev.event_from_payload(db.session.get(OutboxEvent, event_id).payload)
    return emit(ev.Reversal, tenant=tenant, original=original, reason=oneline(reason, 500),
                date=today(), narration=oneline(narration, 500), source=source,
                approver=who(officer))


def reverse_expenditure(expenditure: Expenditure, officer, reason: str,
                        replacement: spending.ExpenseInput | None = None) -> Expenditure | None:
    """Reverse a final expenditure; optionally record the corrected entry in its place.

    The corrected entry keeps the original's receipts and needs approval like any other.
    """
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status != ExpenditureStatus.FINAL:
        raise FundingError(_l("Only a final expenditure can be reversed; an unapproved one is "
                              "rejected instead."))
    contract = expenditure.contract
    if contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("A closed contract can no longer be corrected."))
    reason = required(reason, _l("Please give the reason for the correction."), 500)
    tenant = db.session.get(Tenant, expenditure.tenant_id)
    event = _reverse(expenditure.event_id, tenant, officer, reason,
                     f"冲销支出 {contract.number}：{expenditure.description}",
                     f"expenditure:{expenditure.id}:reversal")
    expenditure.status = ExpenditureStatus.REVERSED
    expenditure.reversal_event_id, expenditure.reversal_reason = event.id, reason
    expenditure.reversed_by_id, expenditure.reversed_at = officer.id, utcnow()
    spending.uncharge(expenditure)
    if replacement is None:
        return None
    corrected = spending.record(contract, officer, replacement, uploads=(), corrects=expenditure)
    for receipt in expenditure.receipts:
        receipts.copy_to(receipt, corrected)
    return corrected


def reverse_disbursement(payment: Disbursement, officer, reason: str) -> Tranche:
    """Reverse a payment made in error; its tranche can then be requested and paid again."""
    payment = locked(Disbursement, payment.id)
    if payment.status != DisbursementStatus.PAID:
        raise FundingError(_l("This payment has already been reversed."))
    contract = locked(Contract, payment.contract_id)
    if contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("A closed contract can no longer be corrected."))
    if payment.amount_fen > contract.cash_fen:
        raise FundingError(_l("The organization has already spent part of this payment; it cannot "
                              "be reversed (unspent: %(left)s).", left=format_fen(contract.cash_fen)))
    reason = required(reason, _l("Please give the reason for the correction."), 500)
    tenant = db.session.get(Tenant, payment.tenant_id)
    event = _reverse(payment.event_id, tenant, officer, reason,
                     f"冲销拨付 {contract.number} 第{payment.tranche.seq}期",
                     f"disbursement:{payment.id}:reversal")
    contract.disbursed_fen -= payment.amount_fen
    payment.status = DisbursementStatus.REVERSED
    payment.reversal_event_id, payment.reversal_reason = event.id, reason
    payment.reversed_by_id, payment.reversed_at = officer.id, utcnow()
    db.session.flush()
    tranche = locked(Tranche, payment.tranche_id)
    tranche.status = TrancheStatus.PLANNED
    tranche.requested_by_id = tranche.requested_at = tranche.request_amount_fen = None
    tranche.request_note = tranche.request_reason = ""
    tranche.approved_by_id = tranche.approved_at = tranche.paid_on = None
    db.session.flush()
    return tranche

