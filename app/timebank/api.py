"""``/api/v1/t/<tenant>/timebank``: my time credits and their movements, give credits to
someone by mobile number, pay a booking with credits; the community pool for the bureau.
Hours are decimal strings in whole quarters (``"1.50"``), never floats. Same rules as the
pages."""

from __future__ import annotations

from decimal import Decimal
from functools import wraps

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.permissions import require
from app.projects.models import SlotBooking
from app.tenancy.scoping import current_tenant
from app.timebank import labels, services
from app.timebank.services import TimeBankError

blp = api_blueprint("api_timebank", __name__, "/t/<tenant>/timebank", "Time bank")


class MovementSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True, metadata={
        "description": "deposit/donation/gift_out/gift_in/payment/refund/reversal"})
    words = ma.fields.String(required=True, metadata={"description": "the movement in words"})
    hours = ma.fields.String(required=True, metadata={"description": "signed, e.g. -1.50"})
    balance_after = ma.fields.String(required=True)
    org_id = ma.fields.Integer(allow_none=True)
    booking_id = ma.fields.Integer(allow_none=True)
    created_at = ma.fields.DateTime(required=True)


class AccountSchema(ma.Schema):
    balance = ma.fields.String(required=True, metadata={"description": "hours held"})
    cap = ma.fields.Integer(required=True, metadata={"description": "most hours one keeps"})
    deposits_on = ma.fields.Boolean(required=True,
                                    metadata={"description": "verified hours deposited now"})
    movements = ma.fields.List(ma.fields.Nested(MovementSchema), required=True)


class GiftInSchema(ma.Schema):
    phone = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20),
                             metadata={"description": "the receiver's mobile number"})
    hours = ma.fields.Decimal(required=True, places=2, allow_nan=False, as_string=True,
                              validate=ma.validate.Range(min=Decimal("0.25"),
                                                         max=Decimal(1000)),
                              metadata={"description": "whole quarters, e.g. \"1.5\""})


def _hours(minutes: int) -> str:
    return str(services.hours(minutes))


def _account(tenant, user_id) -> dict:
    account = services.find_account(tenant.id, user_id)
    entries = services.movements(account) if account else []
    users, orgs = labels.names_for(entries)
    return {"balance": _hours(account.balance_minutes if account else 0),
            "cap": int(tenant.setting("time_bank_cap_hours")), "deposits_on": services.is_on(tenant),
            "movements": [{"id": e.id, "kind": e.kind, "words": labels.say(e, users, orgs),
                           "hours": _hours(e.minutes), "balance_after": _hours(e.balance_after),
                           "org_id": e.org_id, "booking_id": e.booking_id,
                           "created_at": e.created_at} for e in entries]}


def _tenant_check(action: str):
    """Checked before the request body is read: strangers to the tenant get 403, not 422."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(action, current_tenant())
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _give(data, giver):
    tenant = current_tenant()
    receiver = services.member_by_phone(tenant, data["phone"])
    try:
        if receiver is None:
            raise TimeBankError(_no_one(), 404)
        minutes = services.check_minutes(int(data["hours"] * 60) if (data["hours"] * 4) % 1 == 0
                                         else -1)
        services.give(tenant, giver, receiver, minutes, by=current_user)
    except TimeBankError as exc:
        db.session.rollback()
        return json_error(exc.status, str(exc))
    commit()
    return _account(tenant, giver.id if giver else None), 201


def _no_one() -> str:
    from flask_babel import gettext as _

    return _("No one in this district has that mobile number.")


@blp.route("")
class Mine(MethodView):
    decorators = [_tenant_check("timebank.view"), login_required]

    @blp.response(200, AccountSchema)
    def get(self):
        """My time credits and their latest movements, newest first."""
        return _account(current_tenant(), current_user.id)


@blp.route("/gifts")
class Gifts(MethodView):
    decorators = [_tenant_check("timebank.give"), login_required]

    @blp.arguments(GiftInSchema)
    @blp.response(201, AccountSchema)
    def post(self, data):
        """Give some of my credits to someone of this district, by their mobile number."""
        return _give(data, current_user)


@blp.route("/bookings/<int:booking_id>/payment")
class Payment(MethodView):
    decorators = [guard(SlotBooking, "timebank.pay", "booking_id"), login_required]

    @blp.response(201, AccountSchema)
    def post(self, booking):
        """Pay my confirmed booking with credits: its length, rounded up to the quarter."""
        try:
            services.pay(booking, current_user)
        except TimeBankError as exc:
            db.session.rollback()
            return json_error(exc.status, str(exc))
        commit()
        return _account(current_tenant(), current_user.id), 201


@blp.route("/pool")
class Pool(MethodView):
    decorators = [_tenant_check("timebank.pool.view"), login_required]

    @blp.response(200, AccountSchema)
    def get(self):
        """The community pool: hours donated above the cap, and where they went."""
        return _account(current_tenant(), None)


@blp.route("/pool/gifts")
class PoolGifts(MethodView):
    decorators = [_tenant_check("timebank.pool.give"), login_required]

    @blp.arguments(GiftInSchema)
    @blp.response(201, AccountSchema)
    def post(self, data):
        """Give hours from the community pool to a resident, by their mobile number."""
        return _give(data, None)


def blueprints():
    return [blp]
