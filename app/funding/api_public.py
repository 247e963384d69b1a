"""API, public (no sign-in): notices with their objections, objecting, published contracts,
calls. Nothing personal: objections show neither name nor contact."""

from __future__ import annotations

from flask import abort, current_app
from flask.views import MethodView

from app.extensions import db, limiter
from app.funding import awards
from app.funding.api import blp, done, guard
from app.funding.api_schemas import (
    CallOut,
    ObjectionIn,
    PublicContractOut,
    PublicNoticeOut,
    PublicObjectionOut,
)
from app.funding.models import Award, AwardStatus, Call, Contract, ContractStatus
from app.permissions import can
from app.tenancy.scoping import scoped


@blp.route("/notices")
class PublicNotices(MethodView):
    @guard(None, login=False)
    @blp.response(200, PublicNoticeOut(many=True))
    def get(self):
        return db.session.scalars(scoped(Award, Award.status != AwardStatus.WITHDRAWN)
                                  .order_by(Award.id.desc())).all()


@blp.route("/notices/<int:award_id>")
class PublicNotice(MethodView):
    @guard(None, Award, "award_id", login=False)
    @blp.response(200, PublicNoticeOut)
    def get(self, award):
        return award


def _objection_limit() -> str:
    return current_app.config.get("OBJECTION_RATE_LIMIT", "5 per hour;20 per day")


@blp.route("/notices/<int:award_id>/objections")
class PublicObjections(MethodView):
    decorators = [limiter.limit(_objection_limit, methods=["POST"])]

    @guard(None, Award, "award_id", login=False)
    @blp.arguments(ObjectionIn)
    @blp.response(201, PublicObjectionOut)
    def post(self, data, award):
        """Anyone objects during the notice period (name and contact optional, never shown)."""
        return done(awards.file_objection(award, text=data["text"], name=data["name"],
                                          contact=data["contact"]))


@blp.route("/published")
class PublicContracts(MethodView):
    @guard(None, login=False)
    @blp.response(200, PublicContractOut(many=True))
    def get(self):
        return db.session.scalars(scoped(Contract, Contract.status.in_(
            [ContractStatus.SIGNED, ContractStatus.CLOSED])).order_by(Contract.id)).all()


@blp.route("/published/<int:contract_id>")
class PublicContract(MethodView):
    @guard(None, Contract, "contract_id", login=False)
    @blp.response(200, PublicContractOut)
    def get(self, contract):
        if not can("funding.contract.public_view", contract):
            abort(404)
        return contract


@blp.route("/calls")
class PublicCalls(MethodView):
    @guard(None, login=False)
    @blp.response(200, CallOut(many=True))
    def get(self):
        return db.session.scalars(scoped(Call).order_by(Call.id.desc())).all()
