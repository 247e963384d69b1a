"""API: funds, calls, applications, awards and objections, contracts, tranches, payments."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest.fields import Upload

from app.extensions import db
from app.funding import awards, closing, contracts, funds
from app.funding import evidence as milestone_evidence
from app.funding.api import blp, done, guard
from app.funding.api_schemas import (
    AnswerIn,
    ApplicationIn,
    ApplicationOut,
    AwardIn,
    AwardOut,
    CallIn,
    CallOut,
    ContractIn,
    ContractOut,
    DisbursementOut,
    FundIn,
    FundOut,
    ObjectionOut,
    PaymentRequestIn,
    ReasonIn,
    StatementOut,
    TrancheOut,
)
from app.funding.models import (
    Application,
    Award,
    Call,
    Contract,
    Disbursement,
    Fund,
    Objection,
    Tranche,
)
from app.funding.services import FundingError
from app.funding.statements import statement
from app.orgs.models import Organization
from app.tenancy.scoping import current_tenant, get_or_404, scoped


def me():
    return current_user._get_current_object()


def _lines(rows: list[dict]) -> list[tuple[str, int]]:
    return [(row["name"], row["amount"]) for row in rows]


@blp.route("/funds")
class Funds(MethodView):
    @guard("funding.view")
    @blp.response(200, FundOut(many=True))
    def get(self):
        return db.session.scalars(scoped(Fund).order_by(Fund.id)).all()

    @guard("funding.manage")
    @blp.arguments(FundIn)
    @blp.response(201, FundOut)
    def post(self, data):
        """Appropriate a fund (→ ``appropriation`` event)."""
        return done(funds.create_fund(
            current_tenant(), me(), fiscal_year=data["fiscal_year"], name=data["name"],
            source=data["source"], amount_fen=data["amount"]))


@blp.route("/funds/<int:fund_id>/calls")
class FundCalls(MethodView):
    @guard("funding.view", Fund, "fund_id")
    @blp.response(200, CallOut(many=True))
    def get(self, fund):
        return db.session.scalars(scoped(Call, Call.fund_id == fund.id).order_by(Call.id)).all()

    @guard("funding.manage", Fund, "fund_id")
    @blp.arguments(CallIn)
    @blp.response(201, CallOut)
    def post(self, data, fund):
        """Publish a call with a budget ceiling and a deadline; ``consultation_id`` cites the
        published residents' consultation that chose its priorities."""
        from app.consultations.models import Consultation

        cited = data["consultation_id"]
        return done(funds.publish_call(
            fund, me(), title=data["title"], category=data["category"],
            description=data["description"], ceiling_fen=data["ceiling"],
            deadline=data["deadline"],
            consultation=get_or_404(Consultation, cited) if cited is not None else None))


@blp.route("/orgs/<int:org_id>/calls/<int:call_id>/applications")
class Apply(MethodView):
    @guard("funding.apply", Organization, "org_id")
    @blp.arguments(ApplicationIn)
    @blp.response(201, ApplicationOut)
    def post(self, data, org, call_id):
        """The organization applies with a plan and a budget by line (total ≤ ceiling)."""
        call = get_or_404(Call, call_id)
        return done(funds.submit_application(call, org, me(), title=data["title"],
                                             plan=data["plan"], lines=_lines(data["lines"])))


@blp.route("/applications/<int:application_id>")
class ApplicationDetail(MethodView):
    @guard("org.view_internal", Application, "application_id")
    @blp.response(200, ApplicationOut)
    def get(self, application):
        return application


@blp.route("/applications/<int:application_id>/award")
class ProposeAward(MethodView):
    @guard("funding.manage", Application, "application_id")
    @blp.arguments(AwardIn)
    @blp.response(201, AwardOut)
    def post(self, data, application):
        """Propose an award: published for public notice for ``notice_days``."""
        return done(awards.propose_award(application, me(), amount_fen=data["amount"],
                                         reasons=data["reasons"]))


@blp.route("/awards/<int:award_id>")
class AwardDetail(MethodView):
    @guard("funding.view", Award, "award_id")
    @blp.response(200, AwardOut)
    def get(self, award):
        return award


@blp.route("/objections/<int:objection_id>/answer")
class AnswerObjection(MethodView):
    @guard("funding.manage", Objection, "objection_id")
    @blp.arguments(AnswerIn)
    @blp.response(200, ObjectionOut)
    def post(self, data, objection):
        return done(awards.answer_objection(objection, me(), data["answer"]))


@blp.route("/awards/<int:award_id>/contract")
class ContractDraft(MethodView):
    @guard("funding.manage", Award, "award_id")
    @blp.arguments(ContractIn)
    @blp.response(200, ContractOut)
    def put(self, data, award):
        """Create or replace the draft contract (102号令 fields, lines, tranches = 100 %)."""
        terms = contracts.Terms(**{k: data[k] for k in (
            "title", "content", "starts_on", "ends_on", "quantity", "quality", "settlement",
            "duties", "liability")})
        tranches = [contracts.TrancheInput(t["percent"], t["planned_on"],
                                           t["milestone"]) for t in data["tranches"]]
        return done(contracts.save_draft(award, me(), terms, _lines(data["lines"]), tranches))


@blp.route("/contracts/<int:contract_id>")
class ContractDetail(MethodView):
    @guard("org.view_internal", Contract, "contract_id")
    @blp.response(200, ContractOut)
    def get(self, contract):
        return contract


@blp.route("/contracts/<int:contract_id>/sign")
class SignContract(MethodView):
    @guard("funding.manage", Contract, "contract_id")
    @blp.response(200, ContractOut)
    def post(self, contract):
        """Sign and publish; refused during the notice or with unanswered objections."""
        return done(contracts.sign_contract(contract, me()))


@blp.route("/contracts/<int:contract_id>/close")
class CloseContract(MethodView):
    @guard("funding.manage", Contract, "contract_id")
    @blp.response(200, ContractOut)
    def post(self, contract):
        """Close: release the undisbursed commitment, record the refund of unspent money."""
        return done(closing.close_contract(contract, me()))


@blp.route("/contracts/<int:contract_id>/statement")
class Statement(MethodView):
    @guard("org.view_internal", Contract, "contract_id")
    @blp.response(200, StatementOut)
    def get(self, contract):
        return statement(contract)


@blp.route("/tranches/<int:tranche_id>/request")
class RequestPayment(MethodView):
    @guard("funding.manage", Tranche, "tranche_id")
    @blp.arguments(PaymentRequestIn)
    @blp.response(200, TrancheOut)
    def post(self, data, tranche):
        """The milestone is achieved: ask for the payment (another officer approves)."""
        return done(contracts.request_payment(tranche, me(), amount_fen=data.get("amount"),
                                              evidence=data["evidence"], reason=data["reason"]))


class EvidenceUpload(ma.Schema):
    files = ma.fields.List(Upload(), load_default=list, metadata={
        "description": "files showing the milestone is met: PDF, PNG or JPEG"})


@blp.route("/tranches/<int:tranche_id>/evidence")
class TrancheEvidenceFiles(MethodView):
    @guard("funding.manage", Tranche, "tranche_id")
    @blp.arguments(EvidenceUpload, location="files", content_type="multipart/form-data")
    @blp.response(201, TrancheOut)
    def post(self, data, tranche):
        """Attach milestone evidence files (multipart/form-data) before asking for the payment."""
        files = milestone_evidence.read(request.files.getlist("files"))
        if not files:
            raise FundingError(_l("Please attach at least one file (PDF, PNG or JPEG)."))
        milestone_evidence.attach(tranche, me(), files)
        return done(tranche)


@blp.route("/tranches/<int:tranche_id>/approve")
class ApprovePayment(MethodView):
    @guard("funding.manage", Tranche, "tranche_id")
    @blp.response(201, DisbursementOut)
    def post(self, tranche):
        """Approve and pay (→ ``disbursement`` event); never by the officer who asked."""
        return done(contracts.approve_payment(tranche, me()))


@blp.route("/disbursements/<int:disbursement_id>/reverse")
class ReverseDisbursement(MethodView):
    @guard("funding.manage", Disbursement, "disbursement_id")
    @blp.arguments(ReasonIn)
    @blp.response(200, TrancheOut)
    def post(self, data, disbursement):
        """Reverse a payment made in error (→ ``reversal``); the tranche can be paid again."""
        return done(closing.reverse_disbursement(disbursement, me(), data["reason"]))
