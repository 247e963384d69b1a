"""API: expenditures with receipts (multipart), approvals, the overseers' window, corrections,
merchants, points and redemptions."""

from __future__ import annotations

import marshmallow as ma
from flask import abort, request
from flask.views import MethodView
from flask_smorest.fields import Upload
from sqlalchemy import select

from app.extensions import db
from app.funding import closing, incentives, overseers, receipts, spending, steps
from app.funding.api import blp, done, guard
from app.funding.api_grants import me
from app.funding.api_schemas import (
    ApproveIn,
    AssemblyIn,
    ConsumeIn,
    ExpenditureCorrectionIn,
    ExpenditureIn,
    ExpenditureOut,
    MerchantIn,
    MerchantOut,
    ObjectIn,
    PointsOut,
    ProcurementIn,
    ReasonIn,
    RedeemIn,
    RedemptionOut,
    ResolveIn,
    SettleIn,
    VoucherOut,
)
from app.funding.models import Contract
from app.funding.models_spending import (
    Expenditure,
    ExpenditureStatus,
    Merchant,
    OverseerObjection,
    Redemption,
)
from app.orgs.models import Organization
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped


class ExpenditureUpload(ExpenditureIn):
    """The form fields and the receipt files of one multipart/form-data request."""

    receipts = ma.fields.List(Upload(), load_default=list,
                              metadata={"description": "one or more receipts: photos (JPEG, PNG, "
                                                       "WebP) or PDF files"})


def _expense(data: dict) -> spending.ExpenseInput:
    return spending.ExpenseInput(line_id=data["line_id"], amount_fen=data["amount"],
                                 spent_on=data["spent_on"], payee=data["payee"],
                                 description=data["description"], method=data["method"])


@blp.route("/contracts/<int:contract_id>/expenditures")
class Expenditures(MethodView):
    @guard("org.view_internal", Contract, "contract_id")
    @blp.response(200, ExpenditureOut(many=True))
    def get(self, contract):
        return db.session.scalars(select(Expenditure).where(
            Expenditure.contract_id == contract.id).order_by(Expenditure.id)).all()

    @guard("org.keep_books", Contract, "contract_id")
    @blp.arguments(ExpenditureUpload, location="form", content_type="multipart/form-data")
    @blp.response(201, ExpenditureOut)
    def post(self, data, contract):
        """Record spending with its receipts (multipart/form-data); it awaits approval."""
        uploads = [receipts.Upload(f.read(), f.filename or "")
                   for f in request.files.getlist("receipts") if f.filename]
        return done(spending.record(contract, me(), _expense(data), uploads))


@blp.route("/expenditures/<int:expenditure_id>")
class ExpenditureDetail(MethodView):
    @guard("funding.expenditure.view", Expenditure, "expenditure_id")
    @blp.response(200, ExpenditureOut)
    def get(self, expenditure):
        return expenditure


@blp.route("/expenditures/<int:expenditure_id>/approve")
class ApproveExpenditure(MethodView):
    @guard("org.view_internal", Expenditure, "expenditure_id")
    @blp.arguments(ApproveIn)
    @blp.response(200, ExpenditureOut)
    def post(self, data, expenditure):
        """``{"as": "org"}`` (the org admin), ``{"as": "bureau"}`` or ``{"as": "leader"}`` (a
        second bureau officer, after the first); never the recorder."""
        if data["as_"] == "leader":
            require("funding.manage", expenditure)
            return done(steps.approve_as_leader(expenditure, me()))
        as_bureau = data["as_"] == "bureau"
        require("funding.manage" if as_bureau else "org.manage", expenditure)
        return done(spending.approve(expenditure, me(), as_bureau=as_bureau))


class AssemblyUpload(AssemblyIn):
    minutes = ma.fields.List(Upload(), load_default=list,
                             metadata={"description": "the minutes: photos (JPEG, PNG) or PDF"})


class ProcurementUpload(ProcurementIn):
    documents = ma.fields.List(Upload(), load_default=list, metadata={
        "description": "three quotes, or the tender's documents: photos (JPEG, PNG) or PDF"})


@blp.route("/expenditures/<int:expenditure_id>/assembly")
class RecordAssembly(MethodView):
    @guard("org.keep_books", Expenditure, "expenditure_id")
    @blp.arguments(AssemblyUpload, location="form", content_type="multipart/form-data")
    @blp.response(201, ExpenditureOut)
    def post(self, data, expenditure):
        """The residents' assembly decision on it, with the minutes (a step of some tiers)."""
        steps.record_assembly(
            expenditure, me(), held_on=data["held_on"], attendance=data["attendance"],
            votes_for=data["votes_for"], votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"], minutes=steps.read(request.files.getlist(
                "minutes")))
        return done(expenditure)


@blp.route("/expenditures/<int:expenditure_id>/procurement")
class RecordProcurement(MethodView):
    @guard("org.keep_books", Expenditure, "expenditure_id")
    @blp.arguments(ProcurementUpload, location="form", content_type="multipart/form-data")
    @blp.response(201, ExpenditureOut)
    def post(self, data, expenditure):
        """How the supplier was chosen: three quotes or a tender, with their documents."""
        steps.record_procurement(
            expenditure, me(), method=data["method"], supplier=data["supplier"],
            note=data["note"], documents=steps.read(request.files.getlist("documents")))
        return done(expenditure)


@blp.route("/expenditures/<int:expenditure_id>/reject")
class RejectExpenditure(MethodView):
    @guard("org.view_internal", Expenditure, "expenditure_id")
    @blp.arguments(ReasonIn)
    @blp.response(200, ExpenditureOut)
    def post(self, data, expenditure):
        if not (can("org.manage", expenditure) or can("funding.manage", expenditure)):
            abort(403)
        return done(spending.reject(expenditure, me(), data["reason"]))


@blp.route("/expenditures/<int:expenditure_id>/objections")
class ObjectToExpenditure(MethodView):
    @guard("funding.oversee", Expenditure, "expenditure_id")
    @blp.arguments(ObjectIn)
    @blp.response(201, ExpenditureOut)
    def post(self, data, expenditure):
        """A resident overseer objects during the window; the expenditure is held."""
        spending.object_to(expenditure, me(), data["text"])
        return done(expenditure)


@blp.route("/expenditures/<int:expenditure_id>/signoffs")
class SignOffExpenditure(MethodView):
    @guard("funding.oversee", Expenditure, "expenditure_id")
    @blp.response(201, ExpenditureOut)
    def post(self, expenditure):
        """A resident overseer signs off (签字确认) an expenditure open to their review, once;
        finality still waits for the window to pass with every objection answered."""
        require("funding.expenditure.view", expenditure)
        overseers.sign_off(expenditure, me())
        return done(expenditure)


@blp.route("/oversight-objections/<int:oversight_objection_id>/resolve")
class ResolveObjection(MethodView):
    @guard("funding.manage", OverseerObjection, "oversight_objection_id")
    @blp.arguments(ResolveIn)
    @blp.response(200, ExpenditureOut)
    def post(self, data, oversight_objection):
        return done(spending.resolve(oversight_objection, me(), uphold=data["decision"] == "uphold",
                                     note=data["note"]))


@blp.route("/expenditures/<int:expenditure_id>/reverse")
class ReverseExpenditure(MethodView):
    @guard("funding.manage", Expenditure, "expenditure_id")
    @blp.arguments(ExpenditureCorrectionIn)
    @blp.response(200, ExpenditureOut)
    def post(self, data, expenditure):
        """Reverse a final entry (→ ``reversal``); with ``replacement``, record the corrected
        entry (it keeps the receipts and awaits approval) and return it."""
        replacement = _expense(data["replacement"]) if data.get("replacement") else None
        corrected = closing.reverse_expenditure(expenditure, me(), data["reason"], replacement)
        return done(corrected or expenditure)


@blp.route("/oversight")
class Oversight(MethodView):
    @guard("funding.oversee")
    @blp.response(200, ExpenditureOut(many=True))
    def get(self):
        """Expenditures open to the overseers' review (in their window), or held by an
        objection."""
        return db.session.scalars(scoped(Expenditure, Expenditure.status.in_(
            [ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED])).order_by(Expenditure.id)).all()


@blp.route("/merchants")
class Merchants(MethodView):
    @guard("tenant.member")
    @blp.response(200, MerchantOut(many=True))
    def get(self):
        return db.session.scalars(scoped(Merchant).order_by(Merchant.name)).all()

    @guard("funding.manage")
    @blp.arguments(MerchantIn)
    @blp.response(201, MerchantOut)
    def post(self, data):
        return done(incentives.add_merchant(current_tenant(), **data))


@blp.route("/points")
class MyPoints(MethodView):
    @guard("funding.redeem")
    @blp.response(200, PointsOut)
    def get(self):
        by_org = incentives.balances(me().id, current_tenant().id)
        return {"total": sum(n for n in by_org.values() if n > 0),
                "by_org": [{"org_id": o, "points": n} for o, n in by_org.items()]}

    @guard("funding.redeem")
    @blp.arguments(RedeemIn)
    @blp.response(201, VoucherOut)
    def post(self, data):
        """Redeem points: they are set aside and a one-time code is issued."""
        return done(incentives.issue(me(), get_or_404(Organization, data["org_id"]),
                                     get_or_404(Merchant, data["merchant_id"]), data["points"]))


@blp.route("/redemptions/<int:redemption_id>")
class RedemptionDetail(MethodView):
    @guard("funding.redemption.view", Redemption, "redemption_id")
    @blp.response(200, RedemptionOut)
    def get(self, redemption):
        return redemption


@blp.route("/orgs/<int:org_id>/redemptions/consume")
class ConsumeCode(MethodView):
    @guard("org.coordinate", Organization, "org_id")
    @blp.arguments(ConsumeIn)
    @blp.response(200, RedemptionOut)
    def post(self, data, org):
        """Accept a code at the merchant; a code is consumed exactly once."""
        return done(incentives.consume(org, data["code"], me()))


@blp.route("/redemptions/<int:redemption_id>/settle")
class SettleRedemption(MethodView):
    @guard("org.keep_books", Redemption, "redemption_id")
    @blp.arguments(SettleIn)
    @blp.response(200, RedemptionOut)
    def post(self, data, redemption):
        """Pay the merchant from the contract's 激励 line (→ ``redemption-settlement``)."""
        contract = db.session.scalar(scoped(Contract, Contract.id == data["contract_id"]))
        return done(incentives.settle(redemption, contract, me()))
