"""On the spot: the coordinator's shift page with its rotating QR codes, marking attendance
by hand, and the page a volunteer's phone lands on after scanning."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.db import utcnow
from app.db_commit import commit
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import can, require
from app.projects.models import Shift
from app.service import codes, corrections, hours, queues, services, standing
from app.service.forms import ProposeHoursForm
from app.service.pages import local_input
from app.service.permissions import COORDINATING
from app.service.services import ServiceError
from app.service.views import bp
from app.tenancy.scoping import current_tenant, get_or_404, scoped

NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/staff")
@login_required
def staff_home():
    """Shifts of the coordinator's organizations that need attendance or approvals."""
    tenant = current_tenant()
    require("service.staff_home", tenant)
    org_ids = current_user.org_ids(tenant.id, *COORDINATING)
    orgs = db.session.scalars(scoped(Organization, Organization.id.in_(org_ids))
                              .order_by(Organization.name)).all()
    lines = queues.recent_shifts(tenant.id, org_ids, utcnow())
    pending = queues.pending_requests(tenant.id, org_ids=org_ids)
    late = (queues.pending_requests(tenant.id, late=True)
            if can("service.decide_late", tenant) else [])
    return render_template("service/staff.html", orgs=orgs, lines=lines, pending=pending,
                           late=late)


def _shift_for_staff(shift_id: int) -> Shift:
    shift = get_or_404(Shift, shift_id)
    require("service.attendance", shift)
    return shift


@bp.route("/shifts/<int:shift_id>")
@login_required
def shift_page(shift_id: int):
    shift = _shift_for_staff(shift_id)
    tenant, now = current_tenant(), utcnow()
    rows = services.roster(shift)
    totals = standing.totals_for_users(tenant.id, [user.id for _, user, _ in rows])
    working_days = tenant.setting("record_deadline_working_days")
    form = ProposeHoursForm(starts_at=local_input(shift.starts_at),
                            ends_at=local_input(shift.ends_at))
    form.user_id.choices = [(user.id, user.name) for _, user, _ in rows]
    pending = queues.pending_requests(tenant.id, shift_id=shift.id)
    return render_template(
        "service/shift.html", shift=shift, rows=rows, totals=totals, form=form,
        now=now,
        missing=services.missing_checkouts(shift, now),
        pending=pending,
        decidable={r.id for r in pending if corrections.may_decide(r, current_user)},
        deadline=hours.record_deadline(shift.ends_at, working_days),
        days_left=hours.working_days_left(shift.ends_at, working_days, now),
        checkin_opens=shift.starts_at - services.CHECKIN_OPENS_BEFORE,
        checkout_closes=shift.ends_at + services.CHECKOUT_CLOSES_AFTER)


def _purpose() -> str:
    purpose = request.args.get("purpose", "in")
    if purpose not in services.PURPOSES:
        abort(404)
    return purpose


def _qr_svg(shift: Shift, purpose: str) -> str:
    token = services.make_token(shift, purpose)
    url = url_for("service.check", shift_id=shift.id, t=token, _external=True)
    return codes.qr_svg(url)


@bp.route("/shifts/<int:shift_id>/qr")
@login_required
def qr_page(shift_id: int):
    """Full-screen rotating code for volunteers to scan; refreshed every few seconds."""
    shift = _shift_for_staff(shift_id)
    purpose = _purpose()
    return render_template("service/qr.html", shift=shift, purpose=purpose,
                           svg=_qr_svg(shift, purpose),
                           window=services.TOKEN_WINDOW_SECONDS), 200, NO_STORE


@bp.route("/shifts/<int:shift_id>/qr.svg")
@login_required
def qr_image(shift_id: int):
    shift = _shift_for_staff(shift_id)
    return Response(_qr_svg(shift, _purpose()), mimetype="image/svg+xml", headers=NO_STORE)


@bp.route("/shifts/<int:shift_id>/mark", methods=["POST"])
@login_required
def mark(shift_id: int):
    """The coordinator marks a volunteer's arrival or departure by hand."""
    shift = _shift_for_staff(shift_id)
    volunteer = db.session.get(User, request.form.get("user_id", type=int) or 0)
    try:
        if volunteer is None:
            raise ServiceError(_("Please choose a volunteer of this shift."))
        services.mark(shift, volunteer, request.form.get("action", ""), current_user)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Attendance recorded for %(name)s.", name=volunteer.name), "success")
    return redirect(url_for("service.shift_page", shift_id=shift.id))


@bp.route("/shifts/<int:shift_id>/check", methods=["GET", "POST"])
@login_required
def check(shift_id: int):
    """Where a scanned code lands: GET shows the shift and sends the check-in (or -out) form
    by itself; POST records it. Without a code, it shows the volunteer's status."""
    tenant = current_tenant()
    require("service.own.view", tenant)
    shift = get_or_404(Shift, shift_id)
    if services.confirmed_signup(shift, current_user.id) is None:
        # Nothing about the shift is shown to someone not on it.
        return render_template("service/check.html", shift=None, token="", record=None,
                               error=_("You are not confirmed on this shift.")), 403
    token = request.values.get("t", "")
    if request.method == "POST":
        try:
            purpose, _record = services.scan(shift, current_user, token)
        except ServiceError as exc:
            db.session.rollback()
            return render_template("service/check.html", shift=shift, error=str(exc),
                                   record=services.record_for(shift, current_user.id),
                                   token=""), exc.status, NO_STORE
        commit()
        flash(_("You are checked in. Thank you for serving!") if purpose == "in"
              else _("You are checked out. Your hours are recorded."), "success")
        return redirect(url_for("service.check", shift_id=shift.id))
    record = services.record_for(shift, current_user.id)
    return render_template("service/check.html", shift=shift, token=token, record=record,
                           error=None), 200, NO_STORE

