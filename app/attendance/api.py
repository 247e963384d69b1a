"""``/api/v1/t/<tenant>/attendance``: a slot's roster with who came, staff marking it, the
resident's scan of the slot's code and their confirmation afterwards. Same rules as the
pages."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.attendance import services
from app.attendance.models import SlotAttendance
from app.attendance.services import AttendanceError
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.permissions import can
from app.privacy import mask_name
from app.projects.models import ServiceSlot, SlotBooking
from app.tenancy.scoping import get_or_404

blp = api_blueprint("api_attendance", __name__, "/t/<tenant>/attendance",
                    "Residents' attendance at service slots")


class AttendanceSchema(ma.Schema):
    booking_id = ma.fields.Integer(required=True)
    resident = ma.fields.String(required=True,
                                metadata={"description": "masked unless you mark the roster"})
    attended = ma.fields.Boolean(allow_none=True,
                                 metadata={"description": "null: not recorded; false: no-show"})
    source = ma.fields.String(allow_none=True, metadata={"description": "qr/staff/resident"})
    recorded_at = ma.fields.DateTime(allow_none=True)


class MarkInSchema(ma.Schema):
    booking_id = ma.fields.Integer(required=True)
    attended = ma.fields.Boolean(required=True, metadata={"description": "false: a no-show"})


class ScanInSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(max=500),
                            metadata={"description": "the code read from the slot's QR"})


def _out(booking: SlotBooking, name: str, row: SlotAttendance | None) -> dict:
    return {"booking_id": booking.id, "resident": name, "attended": row.attended if row else None,
            "source": row.source if row else None, "recorded_at": row.recorded_at if row else None}


def _refused(exc: AttendanceError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


@blp.route("/slots/<int:slot_id>")
class Roster(MethodView):
    decorators = [guard(ServiceSlot, "attendance.roster.view", "slot_id"), login_required]

    @blp.response(200, AttendanceSchema(many=True))
    def get(self, slot):
        """The slot's confirmed bookings in booking order, with who came."""
        full = can("attendance.mark", slot)
        return [_out(b, u.name if full else mask_name(u.name), a)
                for b, u, a in services.roster(slot)]


@blp.route("/slots/<int:slot_id>/marks")
class Mark(MethodView):
    decorators = [guard(ServiceSlot, "attendance.mark", "slot_id"), login_required]

    @blp.arguments(MarkInSchema)
    @blp.response(201, AttendanceSchema)
    def post(self, data, slot):
        """Mark a booked resident as come, or as a no-show (final either way)."""
        booking = get_or_404(SlotBooking, data["booking_id"])
        try:
            row = services.mark(slot, booking, data["attended"], current_user)
        except AttendanceError as exc:
            return _refused(exc)
        commit()
        return _out(booking, row.user.name, row)


@blp.route("/slots/<int:slot_id>/scan")
class Scan(MethodView):
    decorators = [guard(ServiceSlot, "attendance.scan", "slot_id"), login_required]

    @blp.arguments(ScanInSchema)
    @blp.response(201, AttendanceSchema)
    def post(self, data, slot):
        """The resident booked on the slot, signed in, sends the code they scanned at the
        service: they are here."""
        try:
            row = services.scan(slot, current_user, data["code"])
        except AttendanceError as exc:
            return _refused(exc)
        commit()
        return _out(row.booking, current_user.name, row)


@blp.route("/bookings/<int:booking_id>/received")
class Received(MethodView):
    decorators = [guard(SlotBooking, "attendance.confirm", "booking_id"), login_required]

    @blp.response(201, AttendanceSchema)
    def post(self, booking):
        """我已接受服务: the resident confirms, after the slot, that they received it."""
        try:
            row = services.confirm(booking, current_user)
        except AttendanceError as exc:
            return _refused(exc)
        commit()
        return _out(booking, current_user.name, row)


def blueprints():
    return [blp]
