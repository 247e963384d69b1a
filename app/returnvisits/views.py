"""Return-visit pages: the samples and drawing one, a sample's residents, and one visit — taken
on by an officer, who then sees the phone number in full and records what the resident said."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.attendance.labels import SOURCE
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import can, require
from app.returnvisits import services
from app.returnvisits.forms import DrawForm, VisitForm
from app.returnvisits.labels import METHOD
from app.returnvisits.models import ReturnVisit, ReturnVisitSample
from app.returnvisits.services import VisitError
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("returnvisits", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/return-visits")


@bp.context_processor
def _labels() -> dict:
    return {"visit_method": METHOD, "attendance_source": SOURCE}


def _orgs() -> dict[int, str]:
    return {o.id: o.name for o in db.session.scalars(scoped(Organization)
                                                       .order_by(Organization.name))}


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    tenant = current_tenant()
    require("returnvisit.view", tenant)
    orgs = _orgs()
    form = DrawForm()
    form.org_id.choices = [(0, _("All organizations"))] + list(orgs.items())
    if form.is_submitted():
        require("returnvisit.draw", tenant)
        if form.validate():
            params = {"start": form.start.data and form.start.data.isoformat(),
                      "end": form.end.data and form.end.data.isoformat(),
                      "org_id": form.org_id.data or None}
            try:
                drawn = services.draw(tenant, current_user, form.size.data, params,
                                      form.seed.data)
            except VisitError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("Sample drawn. Its seed is recorded, so anyone can draw it again."),
                      "success")
                return redirect(url_for("returnvisits.sample_page", sample_id=drawn.id))
        else:
            flash_form_errors(form)
    page = db.paginate(scoped(ReturnVisitSample).order_by(ReturnVisitSample.id.desc()),
                       per_page=30)
    return render_template("returnvisits/index.html", form=form, page=page, orgs=orgs,
                           progress=services.progress([s.id for s in page.items]))


@bp.route("/<int:sample_id>")
@login_required
def sample_page(sample_id: int):
    row = get_or_404(ReturnVisitSample, sample_id)
    require("returnvisit.view", row)
    return render_template("returnvisits/sample.html", sample=row, orgs=_orgs(),
                           reproduction=services.reproduce(row))


def _visit(visit_id: int, action: str) -> ReturnVisit:
    visit = get_or_404(ReturnVisit, visit_id)
    require(action, visit)
    return visit


@bp.route("/visits/<int:visit_id>")
@login_required
def visit_page(visit_id: int):
    visit = _visit(visit_id, "returnvisit.view")
    mine = visit.visited_by_id == current_user.id
    form = VisitForm(method=visit.method or "phone")
    return render_template("returnvisits/visit.html", visit=visit, mine=mine, form=form,
                           org=db.session.get(Organization, visit.org_id),
                           may_take=can("returnvisit.take", visit) and not visit.reached
                           and visit.visited_by_id is None,
                           may_record=mine and not visit.reached
                           and can("returnvisit.record", visit))


@bp.route("/visits/<int:visit_id>/take", methods=["POST"])
@login_required
def take(visit_id: int):
    visit = _visit(visit_id, "returnvisit.take")
    try:
        services.take(visit, current_user)
    except VisitError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
    return redirect(url_for("returnvisits.visit_page", visit_id=visit.id))


def _yes(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@bp.route("/visits/<int:visit_id>", methods=["POST"])
@login_required
def record(visit_id: int):
    visit = _visit(visit_id, "returnvisit.record")
    form = VisitForm()
    back = url_for("returnvisits.visit_page", visit_id=visit.id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        services.record(visit, current_user, method=form.method.data,
                        reached=bool(_yes(form.reached.data)),
                        confirmed=_yes(form.confirmed.data),
                        satisfaction=int(form.satisfaction.data) if form.satisfaction.data
                        else None, remarks=form.remarks.data)
    except VisitError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    commit()
    flash(_("Visit recorded."), "success")
    return redirect(url_for("returnvisits.sample_page", sample_id=visit.sample_id))
