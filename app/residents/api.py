"""``/api/v1/t/<tenant>/residents``: the residents not online a staff member keeps, booking a
service slot for one of them and passing on their confirmation that they received it (代办).
Same rules as the pages; registering a resident (with their consent, in person) is a page."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.permissions import require
from app.projects.models import ServiceSlot, SlotBooking
from app.residents import services
from app.residents.models import ResidentProfile
from app.residents.services import ResidentError
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_residents", __name__, "/t/<tenant>/residents",
                    "Residents who are not online, acted for by staff (代办)")


class KeptSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    id_number = ma.fields.String(required=True, attribute="masked_id_number",
                                 metadata={"description": "masked"})
    target_group = ma.fields.String(required=True)
    consent_how = ma.fields.String(allow_none=True, metadata={"description": "spoken/written"})
    consent_at = ma.fields.DateTime(allow_none=True)


class BookInSchema(ma.Schema):
    slot_id = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 2**31 - 1))


class BookingSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    slot_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    booked_by = ma.fields.String(allow_none=True,
                                 metadata={"description": "staff who booked for the resident"})
    received = ma.fields.Boolean(required=True)


def _kept(profile: ResidentProfile) -> dict:
    return {"id": profile.id, "name": profile.user.name,
            "masked_id_number": profile.masked_id_number, "target_group": profile.target_group,
            "consent_how": profile.consent_how, "consent_at": profile.consent_at}


def _booking(booking: SlotBooking, received: bool) -> dict:
    from app.auth.models import User

    proxy = db.session.get(User, booking.proxy_id) if booking.proxy_id else None
    return {"id": booking.id, "slot_id": booking.slot_id, "status": booking.status,
            "booked_by": proxy.name if proxy else None, "received": received}


def _refused(exc: ResidentError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


@blp.route("/offline")
class Kept(MethodView):
    decorators = [login_required]

    @blp.response(200, KeptSchema(many=True))
    def get(self):
        """The residents not online you may act for, by name."""
        tenant = current_tenant()
        require("resident.register", tenant)
        return [_kept(p) for p in services.kept_by(current_user, tenant)]


@blp.route("/offline/<int:profile_id>/bookings")
class Bookings(MethodView):
    decorators = [guard(ResidentProfile, "resident.act_for", "profile_id"), login_required]

    @blp.response(200, BookingSchema(many=True))
    def get(self, profile):
        """The resident's bookings, newest slot first, with who booked each."""
        return [_booking(b, bool(a and a.attended))
                for b, _slot, a, _proxy in services.bookings_of(profile)]

    @blp.arguments(BookInSchema)
    @blp.response(201, BookingSchema)
    def post(self, data, profile):
        """Book a service slot for the resident, in your name (or put them on its waitlist)."""
        slot = get_or_404(ServiceSlot, data["slot_id"])
        try:
            booking = services.book_for(profile, slot, current_user)
        except ResidentError as exc:
            return _refused(exc)
        commit()
        return _booking(booking, False)


class ReceivedInSchema(ma.Schema):
    booking_id = ma.fields.Integer(required=True, validate=ma.validate.Range(1, 2**31 - 1))


@blp.route("/offline/<int:profile_id>/received")
class Received(MethodView):
    decorators = [guard(ResidentProfile, "resident.act_for", "profile_id"), login_required]

    @blp.arguments(ReceivedInSchema)
    @blp.response(201, BookingSchema)
    def post(self, data, profile):
        """Pass on the resident's word that they received the service of one of their
        bookings (cannot be undone)."""
        booking = get_or_404(SlotBooking, data["booking_id"])
        if booking.user_id != profile.user_id:
            abort(404)
        try:
            services.confirm_for(profile, booking, current_user)
        except ResidentError as exc:
            return _refused(exc)
        commit()
        return _booking(booking, True)


def blueprints():
    return [blp]
