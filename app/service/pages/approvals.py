"""Proposing hours by hand or a correction, and deciding them (one by one or for a whole
shift); the bureau's queue of late records."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import User
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.intents import safe_next
from app.orgs.models import Organization
from app.permissions import can, require
from app.projects.models import Shift
from app.service import corrections, queues, services
from app.service.forms import DecideForm, HoursForm, ProposeHoursForm
from app.service.models import HoursRequest, ServiceRecord
from app.service.pages import aware, local_input
from app.service.services import ServiceError
from app.service.views import bp
from app.tenancy.scoping import current_tenant, get_or_404


def _propose(shift: Shift, volunteer: User, form: HoursForm) -> bool:
    try:
        corrections.propose(shift, volunteer, current_user, starts_at=aware(form.starts_at.data),
                            ends_at=aware(form.ends_at.data), no_service=form.no_service.data,
                            reason=form.reason.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return False
    commit()
    flash(_("Your request was sent. Another authorized person will decide it."), "success")
    return True


@bp.route("/shifts/<int:shift_id>/propose", methods=["POST"])
@login_required
def propose(shift_id: int):
    """A coordinator proposes hours (or a correction) for a volunteer of the shift."""
    shift = get_or_404(Shift, shift_id)
    require("service.propose_hours", shift)
    form = ProposeHoursForm()
    form.user_id.choices = [(user.id, user.name) for _, user, _ in services.roster(shift)]
    if form.validate_on_submit():
        _propose(shift, db.session.get(User, form.user_id.data), form)
    else:
        flash_form_errors(form)
    return redirect(url_for("service.shift_page", shift_id=shift.id))


def _own_form(shift: Shift, record: ServiceRecord | None):
    form = HoursForm(starts_at=local_input(record.checked_in_at if record else shift.starts_at),
                     ends_at=local_input((record.checked_out_at if record else None)
                                         or shift.ends_at))
    if form.validate_on_submit() and _propose(shift, current_user, form):
        return redirect(url_for("service.dashboard"))
    return render_template("service/correct.html", shift=shift, record=record, form=form)


@bp.route("/records/<int:record_id>/correct", methods=["GET", "POST"])
@login_required
def correct(record_id: int):
    """The volunteer asks for a correction of their own record."""
    record = get_or_404(ServiceRecord, record_id)
    require("service.request_correction", record)
    if record.shift is None:  # imported from another system: corrected where it was recorded
        flash(_("This record was imported from another system; please ask the organization "
                "that recorded it to correct it."), "error")
        return redirect(url_for("service.dashboard"))
    return _own_form(record.shift, record)


@bp.route("/shifts/<int:shift_id>/claim", methods=["GET", "POST"])
@login_required
def claim(shift_id: int):
    """The volunteer asks for hours on a shift they served but could not scan."""
    shift = get_or_404(Shift, shift_id)
    if services.confirmed_signup(shift, current_user.id) is None:
        abort(403)
    record = services.record_for(shift, current_user.id)
    if record is not None:
        return redirect(url_for("service.correct", record_id=record.id))
    return _own_form(shift, None)


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
@login_required
def decide(request_id: int):
    hours_request = get_or_404(HoursRequest, request_id)
    if not (can("service.decide", hours_request) or can("service.decide_late", hours_request)):
        abort(403)
    form = DecideForm()
    try:
        corrections.decide(hours_request, current_user,
                           approve=request.form.get("decision") == "approve",
                           reason=form.reason.data or "")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Decision recorded."), "success")
    return redirect(safe_next(request.form.get("next"), url_for("service.staff_home")))


@bp.route("/shifts/<int:shift_id>/approve-all", methods=["POST"])
@login_required
def approve_all(shift_id: int):
    shift = get_or_404(Shift, shift_id)
    require("service.decide", shift)
    approved, left = corrections.bulk_approve(shift, current_user)
    commit()
    flash(_("%(approved)s requests approved; %(left)s left for another person to decide.",
            approved=approved, left=left), "success")
    return redirect(url_for("service.shift_page", shift_id=shift.id))


def _render_queue(title: str, pending: list[HoursRequest], next_url: str):
    decidable = {r.id for r in pending if corrections.may_decide(r, current_user)}
    return render_template("service/requests.html", title=title, pending=pending,
                           decidable=decidable, next_url=next_url)


@bp.route("/org/<int:org_id>/requests")
@login_required
def org_requests(org_id: int):
    org = get_or_404(Organization, org_id)
    require("service.decide", org)
    pending = queues.pending_requests(current_tenant().id, org_ids={org.id})
    return _render_queue(_("Hours to approve: %(org)s", org=org.name), pending,
                         url_for("service.org_requests", org_id=org.id))


@bp.route("/late")
@login_required
def late_requests():
    tenant = current_tenant()
    require("service.decide_late", tenant)
    return _render_queue(_("Late records awaiting the bureau"),
                         queues.pending_requests(tenant.id, late=True),
                         url_for("service.late_requests"))
