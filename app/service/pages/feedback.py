"""Residents rate and complain about services they received; organizations answer; the
bureau and auditors see everything."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.complaints import labels as complaint_labels
from app.complaints.models import Complaint
from app.db_commit import commit
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import can, require
from app.projects.models import SlotBooking
from app.service import feedback
from app.service.forms import AnswerForm, ComplaintForm, RatingForm
from app.service.models import ServiceRating
from app.service.services import ServiceError
from app.service.views import bp
from app.tenancy.scoping import current_tenant, get_or_404


def _done(message: str, target: str):
    commit()
    flash(message, "success")
    return redirect(target)


@bp.route("/received")
@login_required
def received():
    tenant = current_tenant()
    require("service.own.view", tenant)
    return render_template("service/received.html",
                           rows=feedback.received(tenant.id, current_user.id), form=RatingForm(),
                           complaints=feedback.complaints_by(tenant.id, current_user.id),
                           complaint_status=complaint_labels.STATUS)


def _booking(booking_id: int) -> SlotBooking:
    booking = get_or_404(SlotBooking, booking_id)
    require("feedback.give", booking)
    return booking


@bp.route("/bookings/<int:booking_id>/rating", methods=["POST"])
@login_required
def rate(booking_id: int):
    booking = _booking(booking_id)
    form = RatingForm()
    try:
        if not form.validate_on_submit():
            raise ServiceError(_("Please choose from 1 to 5 stars."))
        feedback.rate(booking, current_user, form.score.data, form.comment.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("service.received"))
    return _done(_("Thank you for your rating."), url_for("service.received"))


@bp.route("/bookings/<int:booking_id>/complaint", methods=["GET", "POST"])
@login_required
def complain(booking_id: int):
    booking = _booking(booking_id)
    form = ComplaintForm()
    form.volunteer_id.choices = [(0, "—")] + [(u.id, u.name)
                                              for u in feedback.volunteers_of(booking)]
    if form.validate_on_submit():
        try:
            feedback.complain(booking, current_user, form.body.data, form.volunteer_id.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            return _done(_("Your complaint was sent to the organization. The bureau sees it "
                           "too."), url_for("service.received"))
    return render_template("service/complaint.html", booking=booking, form=form)


@bp.route("/org/<int:org_id>/feedback")
@login_required
def org_feedback(org_id: int):
    org = get_or_404(Organization, org_id)
    require("feedback.org.view", org)
    ratings, complaints = feedback.of_org(current_tenant().id, org.id)
    return render_template("service/org_feedback.html", org=org, ratings=ratings,
                           complaints=complaints, form=AnswerForm(),
                           may_answer=can("feedback.answer", org),
                           complaint_status=complaint_labels.STATUS,
                           complaint_kinds=complaint_labels.KIND)


@bp.route("/ratings/<int:rating_id>/reply", methods=["POST"])
@login_required
def reply(rating_id: int):
    rating = get_or_404(ServiceRating, rating_id)
    require("feedback.answer", rating)
    target = url_for("service.org_feedback", org_id=rating.org_id)
    try:
        feedback.reply(rating, current_user, AnswerForm().answer.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(target)
    return _done(_("Reply saved."), target)


@bp.route("/complaints/<int:complaint_id>/answer", methods=["POST"])
@login_required
def answer(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("feedback.answer", complaint)
    target = url_for("service.org_feedback", org_id=complaint.org_id)
    try:
        feedback.answer(complaint, current_user, AnswerForm().answer.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(target)
    return _done(_("Answer sent to the resident."), target)


@bp.route("/feedback")
@login_required
def feedback_overview():
    tenant = current_tenant()
    require("feedback.all.view", tenant)
    return render_template("service/feedback_overview.html",
                           lines=feedback.overview(tenant.id))
