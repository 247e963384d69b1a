"""Contracts (财政部令第102号): drafting, signing (the commitment), and tranches paid when a
second officer approves the milestone (maker ≠ checker)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.books.outbox import emit
from app.db import utcnow
from app.extensions import db
from app.funding import evidence as milestone_evidence
from app.funding.awards import signing_blockers
from app.funding.funds import check_small_grant
from app.funding.models import (
    ApplicationStatus,
    Award,
    AwardStatus,
    Contract,
    ContractLine,
    ContractStatus,
    Disbursement,
    Fund,
    Tranche,
    TrancheStatus,
)
from app.funding.services import (
    FundingError,
    line_code,
    locked,
    oneline,
    required,
    today,
    who,
    yuan,
)
from app.money import format_fen
from app.orgs.models import Organization
from app.orgs.uploads import Upload
from app.tenancy.models import Tenant
from ledger import events as ev

TEXT_MAX = 5000


@dataclass
class Terms:
    """What a contract states (content, term, quantity, quality, settlement, duties, liability)."""

    title: str
    content: str
    starts_on: date
    ends_on: date
    quantity: str
    quality: str
    settlement: str
    duties: str
    liability: str


@dataclass
class TrancheInput:
    percent_bp: int
    planned_on: date
    milestone: str


def _check_terms(terms: Terms, tenant: Tenant) -> None:
    required(terms.title, _l("Please give the contract a title."), 120)
    for text, message in (
            (terms.content, _l("Please state the content of the service.")),
            (terms.quantity, _l("Please state the quantity of service.")),
            (terms.quality, _l("Please state the quality standard.")),
            (terms.settlement, _l("Please state the settlement method.")),
            (terms.duties, _l("Please state the duties of both parties.")),
            (terms.liability, _l("Please state the liability for breach."))):
        required(text, message, TEXT_MAX)
    if terms.starts_on is None or terms.ends_on is None:
        raise FundingError(_l("Please give the contract's start and end dates."))
    if terms.ends_on < terms.starts_on:
        raise FundingError(_l("The contract cannot end before it starts."))
    max_days = int(tenant.setting("contract_max_term_days"))
    if (terms.ends_on - terms.starts_on).days + 1 > max_days:
        raise FundingError(_l("The contract term is longer than allowed (%(n)d days).", n=max_days))


def _check_lines(lines: Sequence[tuple[str, int]], price: int, allowed: list[str]) -> None:
    names = [name for name, _ in lines]
    if not lines:
        raise FundingError(_l("Add at least one budget line."))
    if any(name not in allowed for name in names):
        raise FundingError(_l("Choose budget lines from the list."))
    if len(set(names)) != len(names):
        raise FundingError(_l("Each budget line may appear only once."))
    if any(fen < 0 for _, fen in lines):
        raise FundingError(_l("The amount must be greater than zero."))
    total = sum(fen for _, fen in lines)
    if total != price:
        raise FundingError(_l("The budget lines add up to %(total)s, not the contract price %(price)s.",
                              total=format_fen(total), price=format_fen(price)))


def tranche_amounts(price: int, shares: Sequence[int]) -> list[int]:
    """Split ``price`` by basis points; the last tranche takes the rounding remainder."""
    amounts = [price * bp // 10000 for bp in shares[:-1]]
    return [*amounts, price - sum(amounts)]


def _check_tranches(tranches: Sequence[TrancheInput], price: int) -> list[int]:
    if not tranches:
        raise FundingError(_l("Add at least one tranche."))
    for t in tranches:
        if not 0 < t.percent_bp <= 10000:
            raise FundingError(_l("Each tranche's share must be above 0% and at most 100%."))
        required(t.milestone, _l("Please describe each tranche's milestone."), TEXT_MAX)
        if t.planned_on is None:
            raise FundingError(_l("Please give each tranche a planned date."))
    total = sum(t.percent_bp for t in tranches)
    if total != 10000:
        raise FundingError(_l("Tranche shares must add up to exactly 100%% (they add up to "
                              "%(total)s%%).", total=f"{total / 100:g}"))
    amounts = tranche_amounts(price, [t.percent_bp for t in tranches])
    if any(a <= 0 for a in amounts):
        raise FundingError(_l("A tranche would be less than one fen."))
    return amounts


def save_draft(award: Award, officer, terms: Terms, lines: Sequence[tuple[str, int]],
               tranches: Sequence[TrancheInput]) -> Contract:
    """Create or replace the draft contract of ``award``. Nothing is committed until signing."""
    if award.status != AwardStatus.NOTICE:
        raise FundingError(_l("This award is not awaiting a contract."))
    tenant = db.session.get(Tenant, award.tenant_id)
    _check_terms(terms, tenant)
    price = award.amount_fen
    _check_lines(lines, price, list(tenant.setting("budget_lines")))
    amounts = _check_tranches(tranches, price)
    contract = db.session.scalar(select(Contract).where(Contract.award_id == award.id))
    if contract is None:
        contract = Contract(tenant_id=award.tenant_id, org_id=award.org_id, award_id=award.id,
                            fund_id=award.call.fund_id, price_fen=price)
        db.session.add(contract)
    elif contract.status != ContractStatus.DRAFT:
        raise FundingError(_l("A signed contract cannot be changed."))
    for field in ("title", "content", "starts_on", "ends_on", "quantity", "quality",
                  "settlement", "duties", "liability"):
        value = getattr(terms, field)
        setattr(contract, field, value.strip() if isinstance(value, str) else value)
    contract.lines.clear()
    contract.tranches.clear()
    db.session.flush()  # old lines and tranches go before the new ones arrive
    for i, (name, fen) in enumerate(lines):
        contract.lines.append(ContractLine(tenant_id=award.tenant_id, org_id=award.org_id,
                                           name=name, budget_fen=fen, position=i))
    for seq, (t, fen) in enumerate(zip(tranches, amounts, strict=True), start=1):
        contract.tranches.append(Tranche(
            tenant_id=award.tenant_id, org_id=award.org_id, seq=seq, percent_bp=t.percent_bp,
            amount_fen=fen, planned_on=t.planned_on, milestone=t.milestone.strip()))
    db.session.flush()
    contract.number = f"GZ{award.call.fund.fiscal_year}-{contract.id:04d}"
    for line in contract.lines:
        line.code = line_code(line.name, line.id)
    db.session.flush()
    return contract


def sign_contract(contract: Contract, officer) -> Contract:
    """Sign and publish: the price is committed from the fund (``Commitment`` event)."""
    contract = locked(Contract, contract.id)
    if contract.status != ContractStatus.DRAFT:
        raise FundingError(_l("This contract is already signed."))
    blockers = signing_blockers(contract.award)
    if blockers:
        raise FundingError(blockers[0])
    price = contract.price_fen
    # The rules in force on the day of signing (they may have changed since the award).
    check_small_grant(db.session.get(Organization, contract.org_id), price)
    fund = locked(Fund, contract.fund_id)
    if price > fund.uncommitted_fen:
        raise FundingError(_l("The fund does not have enough uncommitted money for this contract "
                              "(%(left)s left).", left=format_fen(fund.uncommitted_fen)))
    fund.committed_fen += price
    contract.committed_fen = price
    contract.status = ContractStatus.SIGNED
    contract.signed_at, contract.signed_by_id = utcnow(), officer.id
    contract.award.status = AwardStatus.CONTRACTED
    contract.award.application.status = ApplicationStatus.AWARDED
    db.session.flush()
    event = emit(ev.Commitment, tenant=db.session.get(Tenant, contract.tenant_id),
                 fund_id=fund.id, org_id=contract.org_id, contract_id=contract.id,
                 amount=yuan(price), date=today(), payee=_payee(contract),
                 narration=oneline(f"合同签订 {contract.number}：{contract.title}", 500),
                 source=f"contract:{contract.id}", approver=who(officer))
    contract.commitment_event_id = event.id
    db.session.flush()
    return contract


def request_payment(tranche: Tranche, officer, *, amount_fen: int | None = None,
                    evidence: str = "", reason: str = "",
                    files: Sequence[Upload] = ()) -> Tranche:
    """Mark the milestone achieved and ask for the payment (the maker), with what shows the
    milestone is met; early or without a file, only with a written reason."""
    tranche = locked(Tranche, tranche.id)
    if tranche.contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("Payments are made only on a signed, open contract."))
    if tranche.status != TrancheStatus.PLANNED:
        raise FundingError(_l("This tranche has already been requested or paid."))
    amount = tranche.amount_fen if amount_fen is None else amount_fen
    if amount <= 0:
        raise FundingError(_l("The amount must be greater than zero."))
    _within_commitment(tranche.contract, amount)
    milestone_evidence.check(tranche, today(), evidence, reason, new_files=len(files))
    milestone_evidence.attach(tranche, officer, files)
    tranche.status = TrancheStatus.REQUESTED
    tranche.requested_by_id, tranche.requested_at = officer.id, utcnow()
    tranche.request_amount_fen, tranche.request_note = amount, evidence.strip()
    tranche.request_reason = (reason or "").strip()
    db.session.flush()
    return tranche


def cancel_request(tranche: Tranche) -> Tranche:
    tranche = locked(Tranche, tranche.id)
    if tranche.status != TrancheStatus.REQUESTED:
        raise FundingError(_l("This tranche is not awaiting approval."))
    tranche.status = TrancheStatus.PLANNED
    tranche.requested_by_id = tranche.requested_at = tranche.request_amount_fen = None
    tranche.request_note = tranche.request_reason = ""
    db.session.flush()
    return tranche


def approve_payment(tranche: Tranche, officer) -> Disbursement:
    """A second officer approves: the tranche is paid (``Disbursement`` event)."""
    tranche = locked(Tranche, tranche.id)
    if tranche.status != TrancheStatus.REQUESTED:
        raise FundingError(_l("This tranche is not awaiting approval."))
    if tranche.requested_by_id == officer.id:
        raise FundingError(_l("You asked for this payment; another officer must approve it."))
    contract = locked(Contract, tranche.contract_id)
    if contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("Payments are made only on a signed, open contract."))
    amount = tranche.request_amount_fen or tranche.amount_fen
    _within_commitment(contract, amount)
    # Asked early enough to be on time, or before the evidence rules: still no slipping.
    milestone_evidence.check(tranche, today(), tranche.request_note, tranche.request_reason)
    contract.disbursed_fen += amount
    tranche.status = TrancheStatus.PAID
    tranche.approved_by_id, tranche.approved_at, tranche.paid_on = officer.id, utcnow(), today()
    payment = Disbursement(tenant_id=contract.tenant_id, org_id=contract.org_id,
                           contract_id=contract.id, tranche_id=tranche.id, amount_fen=amount,
                           paid_on=tranche.paid_on, requested_by_id=tranche.requested_by_id,
                           approved_by_id=officer.id)
    db.session.add(payment)
    db.session.flush()
    event = emit(ev.Disbursement, tenant=db.session.get(Tenant, contract.tenant_id),
                 fund_id=contract.fund_id, org_id=contract.org_id, contract_id=contract.id,
                 tranche_id=tranche.id, amount=yuan(amount), date=tranche.paid_on,
                 payee=_payee(contract),
                 narration=oneline(f"拨付 {contract.number} 第{tranche.seq}期：{tranche.milestone}",
                                   500),
                 source=f"disbursement:{payment.id}", approver=who(officer))
    payment.event_id = event.id
    db.session.flush()
    return payment


def _within_commitment(contract: Contract, amount: int) -> None:
    if amount > contract.undisbursed_fen:
        raise FundingError(_l("This payment is more than what remains committed on the contract "
                              "(%(left)s).", left=format_fen(contract.undisbursed_fen)))


def _payee(contract: Contract) -> str:
    """The organization paid; for a filed group, its sponsor on its behalf."""
    from app.grassroots.rules import payee

    return oneline(payee(db.session.get(Organization, contract.org_id)), 200)
