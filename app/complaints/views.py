"""Complaints pages: file one, my complaints (with the verdict buttons), a complaint with
what may be done to it, the organization's queue, and the bureau's view."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.auth.models import Role, User
from app.complaints import labels, overview, services
from app.complaints.forms import AnswerForm, AssignForm, ComplaintForm, ReopenForm
from app.complaints.models import Complaint
from app.complaints.services import ComplaintError
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.permissions import can, require
from app.projects.models import SlotBooking
from app.service import feedback
from app.service.hours import SHANGHAI, local_date
from app.service.permissions import COORDINATING
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("complaints", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/complaints")


def _org_choices() -> list[tuple[int, str]]:
    orgs = db.session.scalars(scoped(Organization, Organization.status == OrgStatus.VERIFIED)
                              .order_by(Organization.name))
    return [(0, "—")] + [(o.id, o.name) for o in orgs]


def _area_choices() -> list[tuple[int, str]]:
    return [(0, "—")] + [(a.id, f"{a.name}（{a.level}）")
                         for a in db.session.scalars(scoped(Area).order_by(Area.path))]


def _complaint_form(tenant) -> ComplaintForm:
    form = ComplaintForm()
    services_received = feedback.received(tenant.id, current_user.id)
    form.booking_id.choices = [(0, "—")] + [
        (b.id, f"{p.name} · {s.starts_at.astimezone(SHANGHAI):%Y-%m-%d}")
        for b, s, p, _r in services_received]
    form.org_id.choices = _org_choices()
    form.area_id.choices = _area_choices()
    if request.method == "GET":
        if (org_id := request.args.get("org_id", type=int)) is not None:
            form.org_id.data = org_id
        if (kind := request.args.get("kind")) in labels.KIND:
            form.kind.data = kind
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    tenant = current_tenant()
    require("complaint.file", tenant)
    form = _complaint_form(tenant)
    if form.validate_on_submit():
        booking = get_or_404(SlotBooking, form.booking_id.data) if form.booking_id.data else None
        org = get_or_404(Organization, form.org_id.data) if form.org_id.data else None
        area = get_or_404(Area, form.area_id.data) if form.area_id.data else None
        try:
            complaint = services.file(tenant, current_user, kind=form.kind.data,
                                      body=form.body.data, booking=booking, org=org, area=area,
                                      volunteer_name=form.volunteer_name.data)
        except ComplaintError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Your complaint was sent. It is answered by %(day)s; you can follow it in "
                    "My complaints.", day=complaint.due_on.isoformat()), "success")
            return redirect(url_for("complaints.show", complaint_id=complaint.id))
    elif form.is_submitted():
        flash_form_errors(form)
    return render_template("complaints/new.html", form=form, labels=labels,
                           days=services.answer_days(tenant))


@bp.route("/mine")
@login_required
def mine():
    tenant = current_tenant()
    require("complaint.file", tenant)
    return render_template("complaints/mine.html", labels=labels, today=local_date(utcnow()),
                           complaints=db.session.scalars(overview.mine(tenant.id,
                                                                       current_user.id)).all(),
                           reopen_form=ReopenForm())


@bp.route("/<int:complaint_id>")
@login_required
def show(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("complaint.view", complaint)
    assign_form = AssignForm()
    may_handle = can("complaint.handle", complaint)
    if may_handle:
        assign_form.handler_id.choices = [(u.id, u.name) for u in services.handlers(complaint)]
        assign_form.handler_id.data = complaint.handler_id
    if complaint.user_id == current_user.id:
        back = url_for("complaints.mine")
    elif can("complaint.queue.view", current_tenant()):
        back = url_for("complaints.queue")
    else:
        back = url_for("complaints.overview_page")
    return render_template("complaints/show.html", c=complaint, labels=labels, back=back,
                           today=local_date(utcnow()), may_handle=may_handle,
                           assign_form=assign_form, answer_form=AnswerForm(),
                           reopen_form=ReopenForm())


def _back(complaint: Complaint) -> str:
    return url_for("complaints.show", complaint_id=complaint.id)


def _act(complaint: Complaint, action, message: str):
    try:
        action()
    except ComplaintError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(_back(complaint))
    commit()
    flash(message, "success")
    return redirect(_back(complaint))


@bp.route("/<int:complaint_id>/assign", methods=["POST"])
@login_required
def assign(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("complaint.handle", complaint)
    form = AssignForm()
    form.handler_id.choices = [(u.id, u.name) for u in services.handlers(complaint)]
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(complaint))
    handler = db.session.get(User, form.handler_id.data)
    return _act(complaint, lambda: services.assign(complaint, current_user, handler),
                _("%(name)s handles this complaint now.", name=handler.name))


@bp.route("/<int:complaint_id>/answer", methods=["POST"])
@login_required
def answer(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("complaint.handle", complaint)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(complaint))
    if (page := confirm.ask("complaint.answer", complaint, _back(complaint))) is not None:
        return page
    return _act(complaint, lambda: services.answer(complaint, current_user, form.answer.data),
                _("Answer sent to the resident."))


@bp.route("/<int:complaint_id>/satisfied", methods=["POST"])
@login_required
def satisfied(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("complaint.verdict", complaint)
    if (page := confirm.ask("complaint.satisfied", complaint, _back(complaint))) is not None:
        return page
    return _act(complaint, lambda: services.satisfied(complaint, current_user),
                _("Thank you. The complaint is settled."))


@bp.route("/<int:complaint_id>/reopen", methods=["POST"])
@login_required
def reopen(complaint_id: int):
    complaint = get_or_404(Complaint, complaint_id)
    require("complaint.verdict", complaint)
    form = ReopenForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(complaint))
    if (page := confirm.ask("complaint.reopen", complaint, _back(complaint))) is not None:
        return page
    return _act(complaint, lambda: services.reopen(complaint, current_user, form.reason.data),
                _("The complaint will be handled again; the bureau is told."))


@bp.route("/queue")
@login_required
def queue():
    tenant = current_tenant()
    require("complaint.queue.view", tenant)
    org_ids = current_user.org_ids(tenant.id, *COORDINATING)
    bureau = current_user.has_role(tenant.id, Role.BUREAU_OFFICER)
    complaints = db.session.scalars(overview.queue(tenant.id, org_ids, bureau)).all()
    return render_template("complaints/queue.html", complaints=complaints, labels=labels,
                           today=local_date(utcnow()))


def _filters() -> overview.Filters:
    state = request.args.get("state", "")
    days = request.args.get("min_days", type=int)
    return overview.Filters(org=request.args.get("org", type=int),
                            area_id=request.args.get("area_id", type=int),
                            min_days=min(max(days, 0), 3650) if days is not None else None,
                            state=state if state in overview.STATES else "")


@bp.route("/overview")
@login_required
def overview_page():
    tenant = current_tenant()
    require("complaint.overview.view", tenant)
    now, filters = utcnow(), _filters()
    return render_template(
        "complaints/overview.html", labels=labels, filters=filters, today=local_date(now),
        orgs=overview.by_org(tenant, now, str(labels.BUREAU)),
        areas=overview.by_area(tenant, now, _("No area given")), ages=overview.by_age(tenant, now),
        complaints=db.session.scalars(overview.listing(tenant, filters, now)).all(),
        org_choices=_org_choices(), area_choices=_area_choices(), states=overview.STATES)
