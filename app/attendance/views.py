"""Attendance pages: the organization's slots, a slot's roster with the attendance buttons and
its rotating code (staff, on a desk or a phone), the page a resident's phone lands on after
scanning, and the resident's "我已接受服务" (from My sign-ups)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.attendance import labels, services
from app.attendance.services import AttendanceError
from app.db import utcnow
from app.db_commit import commit
from app.extensions import db
from app.intents import safe_next
from app.orgs.models import Organization
from app.permissions import can, require
from app.projects.models import ServiceSlot, SlotBooking
from app.service import codes
from app.service.permissions import COORDINATING
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("attendance", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/attendance")
NO_STORE = {"Cache-Control": "no-store"}


@bp.context_processor
def _labels() -> dict:
    return {"attendance_source": labels.SOURCE}


@bp.route("/slots")
@login_required
def staff_home():
    """Service slots of my organizations around now, with who came."""
    tenant = current_tenant()
    require("attendance.staff_home", tenant)
    from app.oversight.service_figures import live

    org_ids = current_user.org_ids(tenant.id, *COORDINATING)
    orgs = db.session.scalars(scoped(Organization, Organization.id.in_(org_ids))
                              .order_by(Organization.name)).all()
    return render_template("attendance/staff.html",
                           figures=[(org, live(tenant.id, org.id)) for org in orgs],
                           lines=services.recent_slots(tenant.id, org_ids, utcnow()))


def _slot(slot_id: int, action: str) -> ServiceSlot:
    slot = get_or_404(ServiceSlot, slot_id)
    require(action, slot)
    return slot


@bp.route("/slots/<int:slot_id>")
@login_required
def roster(slot_id: int):
    slot = _slot(slot_id, "attendance.roster.view")
    now = utcnow()
    rows = services.roster(slot)
    may_mark = can("attendance.mark", slot)
    return render_template(
        "attendance/roster.html", slot=slot, rows=rows, now=now, may_mark=may_mark,
        marking_open=now >= slot.starts_at - services.CHECKIN_OPENS_BEFORE
        and now < services.mark_until(slot),
        begun=now >= slot.starts_at,
        code_open=slot.starts_at - services.CHECKIN_OPENS_BEFORE <= now
        <= slot.ends_at + services.CHECKOUT_CLOSES_AFTER,
        came=sum(1 for *_, a in rows if a and a.attended),
        no_shows=sum(1 for *_, a in rows if a and not a.attended))


def _code_svg(slot: ServiceSlot) -> str:
    url = url_for("attendance.scan", slot_id=slot.id, c=services.make_code(slot), _external=True)
    return codes.qr_svg(url)


@bp.route("/slots/<int:slot_id>/qr")
@login_required
def code_page(slot_id: int):
    """The slot's rotating code, full screen on the staff's phone; it refreshes itself."""
    slot = _slot(slot_id, "attendance.mark")
    return render_template("attendance/code.html", slot=slot, svg=_code_svg(slot),
                           window=codes.WINDOW_SECONDS), 200, NO_STORE


@bp.route("/slots/<int:slot_id>/qr.svg")
@login_required
def code_image(slot_id: int):
    slot = _slot(slot_id, "attendance.mark")
    return Response(_code_svg(slot), mimetype="image/svg+xml", headers=NO_STORE)


@bp.route("/slots/<int:slot_id>/mark", methods=["POST"])
@login_required
def mark(slot_id: int):
    """Staff mark one booked resident as come, or (after saying yes) as a no-show."""
    slot = _slot(slot_id, "attendance.mark")
    back = url_for("attendance.roster", slot_id=slot.id)
    booking = get_or_404(SlotBooking, request.form.get("booking_id", type=int))
    attended = request.form.get("attended") == "yes"
    if not attended and (page := confirm.ask("attendance.no_show", booking, back)) is not None:
        return page
    try:
        row = services.mark(slot, booking, attended, current_user)
    except AttendanceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        name = row.user.name
        flash(_("%(name)s: came.", name=name) if attended
              else _("%(name)s: did not come.", name=name), "success")
    return redirect(back)


@bp.route("/slots/<int:slot_id>/scan", methods=["GET", "POST"])
@login_required
def scan(slot_id: int):
    """Where the scanned code lands: GET shows the service and sends the code by itself;
    POST records the resident as come. Without a code it shows what is recorded."""
    require("tenant.member", current_tenant())
    slot = get_or_404(ServiceSlot, slot_id)
    booking = services.booking_of(slot, current_user.id) if can("attendance.scan", slot) else None
    if booking is None:  # nothing about the service is shown to someone not booked on it
        return render_template("attendance/scan.html", slot=None, code="", attendance=None,
                               error=_("You have no confirmed booking for this service.")), 403
    code = request.values.get("c", "")
    if request.method == "POST":
        try:
            services.scan(slot, current_user, code)
        except AttendanceError as exc:
            db.session.rollback()
            return render_template("attendance/scan.html", slot=slot, code="", error=str(exc),
                                   attendance=services.of_booking(booking)), exc.status, NO_STORE
        commit()
        flash(_("You are recorded as here. Thank you!"), "success")
        return redirect(url_for("attendance.scan", slot_id=slot.id))
    return render_template("attendance/scan.html", slot=slot, code=code, error=None,
                           attendance=services.of_booking(booking)), 200, NO_STORE


@bp.route("/bookings/<int:booking_id>/confirm", methods=["POST"])
@login_required
def confirm_received(booking_id: int):
    """我已接受服务: the resident confirms, after saying yes, that they received it."""
    booking = get_or_404(SlotBooking, booking_id)
    require("attendance.confirm", booking)
    back = safe_next(request.form.get("next"), url_for("marketplace.my_bookings"))
    if (page := confirm.ask("attendance.confirm", booking, back)) is not None:
        return page
    try:
        services.confirm(booking, current_user)
    except AttendanceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Thank you: the organization and the bureau now know you received this "
                "service."), "success")
    return redirect(back)
