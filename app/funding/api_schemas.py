"""Schemas of the funding API. Amounts go in as yuan in a decimal string with at most two
decimals (``"1200.50"``), exactly as typed on the pages, and come out in integer fen
(``*_fen``), as stored. Nothing personal is in a public schema."""

from __future__ import annotations

import marshmallow as ma

from app import fields
from app.privacy import mask_phone, scrub


def yuan(required: bool = True) -> fields.Yuan:
    """Loaded as fen: more than zero, at most two decimals, at most ¥10,000,000,000.00."""
    return fields.Yuan(required=required)




def _figures(contract) -> dict[str, int]:
    from app.funding.figures import as_dict, for_contract

    return as_dict(for_contract(contract))

class FundIn(ma.Schema):
    fiscal_year = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    source = ma.fields.String(required=True)
    amount = yuan()


class FundOut(ma.Schema):
    id = ma.fields.Integer()
    fiscal_year = ma.fields.Integer()
    name = ma.fields.String()
    source = ma.fields.String()
    amount_fen = ma.fields.Integer()
    committed_fen = ma.fields.Integer()
    uncommitted_fen = ma.fields.Integer()


class CallIn(ma.Schema):
    title = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    description = ma.fields.String(load_default="")
    ceiling = yuan()
    deadline = fields.Date(required=True)
    consultation_id = ma.fields.Integer(
        load_default=None, allow_none=True, strict=True,
        metadata={"description": "a published residents' consultation this call cites"})


class CallOut(ma.Schema):
    id = ma.fields.Integer()
    fund_id = ma.fields.Integer()
    title = ma.fields.String()
    category = ma.fields.String()
    description = ma.fields.String()
    ceiling_fen = ma.fields.Integer()
    deadline_at = ma.fields.DateTime()
    status = ma.fields.String()
    accepting = ma.fields.Boolean()
    consultation_id = ma.fields.Integer(allow_none=True)


class LineIn(ma.Schema):
    name = ma.fields.String(required=True)
    amount = yuan()


class ApplicationIn(ma.Schema):
    title = ma.fields.String(required=True)
    plan = ma.fields.String(required=True)
    lines = ma.fields.List(ma.fields.Nested(LineIn), required=True)


class AmountLine(ma.Schema):
    name = ma.fields.String()
    amount_fen = ma.fields.Integer()


class ApplicationOut(ma.Schema):
    id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    call_id = ma.fields.Integer()
    title = ma.fields.String()
    plan = ma.fields.String()
    total_fen = ma.fields.Integer()
    status = ma.fields.String()
    lines = ma.fields.List(ma.fields.Nested(AmountLine))


class AwardIn(ma.Schema):
    amount = yuan()
    reasons = ma.fields.String(load_default="")


class PublicObjectionOut(ma.Schema):
    id = ma.fields.Integer()
    text = ma.fields.Function(lambda o: scrub(o.text))
    created_at = ma.fields.DateTime()
    answer = ma.fields.String(allow_none=True)
    answered_at = ma.fields.DateTime(allow_none=True)


class ObjectionOut(PublicObjectionOut):
    name = ma.fields.String()
    contact = ma.fields.Function(lambda o: mask_phone(o.contact) if o.contact.isdigit()
                                 else o.contact)


class ObjectionIn(ma.Schema):
    text = ma.fields.String(required=True)
    name = ma.fields.String(load_default="")
    contact = ma.fields.String(load_default="")


class AnswerIn(ma.Schema):
    answer = ma.fields.String(required=True)


class PublicNoticeOut(ma.Schema):
    id = ma.fields.Integer()
    project = ma.fields.Function(lambda a: a.application.title)
    organization = ma.fields.Function(lambda a: a.org.name)
    call = ma.fields.Function(lambda a: a.call.title)
    amount_fen = ma.fields.Integer()
    reasons = ma.fields.String()
    status = ma.fields.String()
    notice_starts_at = ma.fields.DateTime()
    notice_ends_at = ma.fields.DateTime()
    notice_open = ma.fields.Boolean()
    objections = ma.fields.List(ma.fields.Nested(PublicObjectionOut))


class AwardOut(PublicNoticeOut):
    application_id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    objections = ma.fields.List(ma.fields.Nested(ObjectionOut))


class TrancheIn(ma.Schema):
    percent = fields.Percent(required=True, metadata={
        "description": "percent of the contract, above 0, at most 100, two decimals",
        "example": "40"})
    planned_on = fields.Date(required=True)
    milestone = ma.fields.String(required=True)


class ContractIn(ma.Schema):
    title = ma.fields.String(required=True)
    content = ma.fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    quantity = ma.fields.String(required=True)
    quality = ma.fields.String(required=True)
    settlement = ma.fields.String(required=True)
    duties = ma.fields.String(required=True)
    liability = ma.fields.String(required=True)
    lines = ma.fields.List(ma.fields.Nested(LineIn), required=True)
    tranches = ma.fields.List(ma.fields.Nested(TrancheIn), required=True)


class ContractLineOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    code = ma.fields.String()
    budget_fen = ma.fields.Integer()
    spent_fen = ma.fields.Integer()
    capped = ma.fields.Boolean()


class TrancheEvidenceOut(ma.Schema):
    id = ma.fields.Integer()
    original_name = ma.fields.String()
    size = ma.fields.Integer()


class TrancheOut(ma.Schema):
    id = ma.fields.Integer()
    seq = ma.fields.Integer()
    percent_bp = ma.fields.Integer()
    amount_fen = ma.fields.Integer()
    planned_on = ma.fields.Date()
    milestone = ma.fields.String()
    status = ma.fields.String()
    request_amount_fen = ma.fields.Integer(allow_none=True)
    requested_by = ma.fields.Function(lambda t: t.requested_by.name if t.requested_by else None)
    requested_at = ma.fields.DateTime(allow_none=True)
    evidence = ma.fields.String(attribute="request_note", metadata={
        "description": "what shows the milestone is met"})
    reason = ma.fields.String(attribute="request_reason", metadata={
        "description": "why it is paid before its planned date or without an evidence file"})
    evidence_files = ma.fields.List(ma.fields.Nested(TrancheEvidenceOut))
    paid_on = ma.fields.Date(allow_none=True)
    days_early = ma.fields.Function(lambda t: t.days_early(), metadata={
        "description": "days the payment came before its planned date (0: on time)"})


class PublicLineOut(ma.Schema):
    name = ma.fields.String()
    budget_fen = ma.fields.Integer()


class PublicTrancheOut(ma.Schema):
    seq = ma.fields.Integer()
    percent_bp = ma.fields.Integer()
    amount_fen = ma.fields.Integer()
    planned_on = ma.fields.Date()
    milestone = ma.fields.Function(lambda t: scrub(t.milestone))
    paid_on = ma.fields.Date(allow_none=True)


class PublicContractOut(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    organization = ma.fields.Function(lambda c: c.org.name)
    title = ma.fields.String()
    content = ma.fields.Function(lambda c: scrub(c.content))
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    quantity = ma.fields.Function(lambda c: scrub(c.quantity))
    quality = ma.fields.Function(lambda c: scrub(c.quality))
    price_fen = ma.fields.Integer()
    settlement = ma.fields.Function(lambda c: scrub(c.settlement))
    duties = ma.fields.Function(lambda c: scrub(c.duties))
    liability = ma.fields.Function(lambda c: scrub(c.liability))
    status = ma.fields.String()
    disbursed_fen = ma.fields.Integer()
    refunded_fen = ma.fields.Integer()
    lines = ma.fields.List(ma.fields.Nested(PublicLineOut))
    tranches = ma.fields.List(ma.fields.Nested(PublicTrancheOut))
    #: The figures every page shows, defined once (``app.funding.figures``).
    figures = ma.fields.Function(lambda c: _figures(c))


class ContractOut(PublicContractOut):
    award_id = ma.fields.Integer()
    fund_id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    content = ma.fields.String()
    signed_at = ma.fields.DateTime(allow_none=True)
    committed_fen = ma.fields.Integer()
    released_fen = ma.fields.Integer()
    spent_fen = ma.fields.Integer()
    cash_fen = ma.fields.Integer()
    lines = ma.fields.List(ma.fields.Nested(ContractLineOut))
    tranches = ma.fields.List(ma.fields.Nested(TrancheOut))


class PaymentRequestIn(ma.Schema):
    amount = yuan(required=False)
    evidence = ma.fields.String(load_default="", metadata={
        "description": "what shows the milestone is met (required); attach files first with "
                       "POST …/tranches/{id}/evidence"})
    reason = ma.fields.String(load_default="", metadata={
        "description": "required (at least 10 characters) before the planned date or "
                       "without an evidence file"})


class DisbursementOut(ma.Schema):
    id = ma.fields.Integer()
    contract_id = ma.fields.Integer()
    tranche_id = ma.fields.Integer()
    amount_fen = ma.fields.Integer()
    paid_on = ma.fields.Date()
    status = ma.fields.String()


class ReasonIn(ma.Schema):
    reason = ma.fields.String(required=True)


class ExpenditureIn(ma.Schema):
    line_id = ma.fields.Integer(required=True)
    amount = yuan()
    spent_on = fields.Date(required=True)
    payee = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    method = ma.fields.String(required=True, metadata={"enum": ["transfer", "online", "cash"]})


class ReceiptOut(ma.Schema):
    id = ma.fields.Integer()
    content_type = ma.fields.String()
    size = ma.fields.Integer()
    sha256 = ma.fields.String()


class SignoffOut(ma.Schema):
    overseer_id = ma.fields.Integer()
    signed_at = ma.fields.DateTime(attribute="created_at")


class ExpenditureOut(ma.Schema):
    id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    contract_id = ma.fields.Integer()
    line_id = ma.fields.Integer()
    line = ma.fields.Function(lambda e: e.line.name)
    amount_fen = ma.fields.Integer()
    spent_on = ma.fields.Date()
    payee = ma.fields.String()
    description = ma.fields.String()
    method = ma.fields.String()
    status = ma.fields.String()
    tier = ma.fields.Integer()
    needs_bureau = ma.fields.Boolean()
    needs_window = ma.fields.Boolean()
    window_ends_at = ma.fields.DateTime(allow_none=True)
    final_at = ma.fields.DateTime(allow_none=True)
    corrects_id = ma.fields.Integer(allow_none=True)
    receipts = ma.fields.List(ma.fields.Nested(ReceiptOut))
    steps = ma.fields.Function(lambda e: e.step_list, metadata={
        "description": "the steps of its tier: org, bureau, assembly, procurement, leader"})
    steps_missing = ma.fields.Function(lambda e: _missing(e), metadata={
        "description": "the steps not done yet; final only once none is left"})
    leader_approved_at = ma.fields.DateTime(allow_none=True)
    signoffs = ma.fields.List(ma.fields.Nested(SignoffOut), metadata={
        "description": "the resident overseers who signed it off (签字确认), and when"})


def _missing(expenditure) -> list[str]:
    from app.funding.ladder import missing

    return missing(expenditure)


class ApproveIn(ma.Schema):
    as_ = ma.fields.String(data_key="as", load_default="org",
                           validate=ma.validate.OneOf(["org", "bureau", "leader"]))


class AssemblyIn(ma.Schema):
    """The residents' assembly decision (multipart/form-data, with its minutes)."""

    held_on = fields.Date(required=True)
    attendance = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 100_000))
    votes_for = ma.fields.Integer(required=True, validate=ma.validate.Range(0, 100_000))
    votes_against = ma.fields.Integer(required=True, validate=ma.validate.Range(0, 100_000))
    votes_abstain = ma.fields.Integer(required=True, validate=ma.validate.Range(0, 100_000))


class ProcurementIn(ma.Schema):
    """How the supplier was chosen (multipart/form-data, with the quotes or tender papers)."""

    method = ma.fields.String(required=True, validate=ma.validate.OneOf(["quotes", "tender"]))
    supplier = ma.fields.String(required=True)
    note = ma.fields.String(load_default="")


class ObjectIn(ma.Schema):
    text = ma.fields.String(required=True)


class ResolveIn(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["uphold", "dismiss"]))
    note = ma.fields.String(required=True)


class ExpenditureCorrectionIn(ma.Schema):
    reason = ma.fields.String(required=True)
    replacement = ma.fields.Nested(ExpenditureIn, allow_none=True, load_default=None)


class MerchantIn(ma.Schema):
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, metadata={"enum": ["charity_store", "merchant"]})
    address = ma.fields.String(load_default="")


class MerchantOut(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    address = ma.fields.String()
    active = ma.fields.Boolean()


class OrgPoints(ma.Schema):
    org_id = ma.fields.Integer()
    points = ma.fields.Integer()


class PointsOut(ma.Schema):
    total = ma.fields.Integer()
    by_org = ma.fields.List(ma.fields.Nested(OrgPoints))


class RedeemIn(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    merchant_id = ma.fields.Integer(required=True)
    points = ma.fields.Integer(required=True)


class RedemptionOut(ma.Schema):
    id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    merchant_id = ma.fields.Integer()
    points = ma.fields.Integer()
    value_fen = ma.fields.Integer()
    status = ma.fields.String()
    contract_id = ma.fields.Integer(allow_none=True)


class VoucherOut(RedemptionOut):
    """What the volunteer holding the redemption sees: the one-time code too."""

    code = ma.fields.String()


class ConsumeIn(ma.Schema):
    code = ma.fields.String(required=True)


class SettleIn(ma.Schema):
    contract_id = ma.fields.Integer(required=True)


class StatementLineOut(ma.Schema):
    name = ma.fields.String()
    budget_fen = ma.fields.Integer()
    spent_fen = ma.fields.Integer()
    pending_fen = ma.fields.Integer()
    redemptions_fen = ma.fields.Integer()
    left_fen = ma.fields.Integer()


def _same_as(key: str) -> dict:
    return {"deprecated": True,
            "description": f"Kept for earlier integrations: the same value as figures.{key}_fen, "
                           "the figure the pages show under its glossary name."}


class StatementOut(ma.Schema):
    contract_id = ma.fields.Function(lambda s: s.contract.id)
    committed_fen = ma.fields.Function(lambda s: s.contract.committed_fen,
                                       metadata=_same_as("contract_amount"))
    received_fen = ma.fields.Function(lambda s: s.contract.disbursed_fen,
                                      metadata=_same_as("disbursed"))
    spent_fen = ma.fields.Integer(metadata={
        "description": "Spent in the statement's period (figures.spent_fen is the total)."})
    pending_fen = ma.fields.Integer()
    refunded_fen = ma.fields.Function(lambda s: s.contract.refunded_fen,
                                      metadata=_same_as("refunded"))
    held_fen = ma.fields.Function(lambda s: s.contract.cash_fen, metadata=_same_as("book_balance"))
    undisbursed_fen = ma.fields.Function(lambda s: s.contract.undisbursed_fen, metadata={
        "description": "The contract amount not yet disbursed: figures.contract_amount_fen less "
                       "figures.disbursed_fen."})
    figures = ma.fields.Function(lambda s: _figures(s.contract), metadata={
        "description": "Each figure under its glossary name (合同金额, 已拨付, 已支出, 待审批支出, "
                       "可用余额, 账面余额, 已退回), as on every page and export."})
    lines = ma.fields.List(ma.fields.Nested(StatementLineOut))
    payments = ma.fields.List(ma.fields.Nested(DisbursementOut))
