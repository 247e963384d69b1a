"""Spot-check pages: draw, work through the sample, re-draw with a reason, results."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.orgs.models import Organization
from app.oversight.evidence import link
from app.permissions import require
from app.spotchecks import services
from app.spotchecks.forms import CompleteForm, DrawForm, OutcomeForm, RedrawForm
from app.spotchecks.models import SpotCheck, SpotCheckItem
from app.spotchecks.samplers import available
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("spotchecks", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/spot-checks")


def _draw_form() -> DrawForm:
    form = DrawForm()
    form.kind.choices = [(k, str(s.title)) for k, s in available().items()]
    form.org_id.choices = [(0, _("All organizations"))] + [
        (o.id, o.name) for o in db.session.scalars(scoped(Organization).order_by(Organization.name))]
    return form


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    tenant = current_tenant()
    require("spotcheck.view", tenant)
    form = _draw_form()
    if form.is_submitted():
        require("spotcheck.manage", tenant)
        if form.validate():
            params = {"start": form.start.data and form.start.data.isoformat(),
                      "end": form.end.data and form.end.data.isoformat(),
                      "org_id": form.org_id.data or None}
            try:
                check = services.draw(tenant, current_user, form.kind.data, form.size.data,
                                      params, form.seed.data)
            except services.SpotCheckError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("Sample drawn. Its seed is recorded, so anyone can draw it again."),
                      "success")
                return redirect(url_for("spotchecks.show", spot_check_id=check.id))
        else:
            flash_form_errors(form)
    checks = db.paginate(scoped(SpotCheck).order_by(SpotCheck.id.desc()), per_page=30)
    return render_template("spotchecks/index.html", form=form, page=checks,
                           samplers=available())


@bp.route("/<int:spot_check_id>")
@login_required
def show(spot_check_id: int):
    check = get_or_404(SpotCheck, spot_check_id)
    require("spotcheck.view", check)
    orgs = {o.id: o.name for o in db.session.scalars(scoped(Organization))}
    replaced_by = db.session.scalar(scoped(SpotCheck, SpotCheck.supersedes_id == check.id))
    return render_template(
        "spotchecks/show.html", check=check, orgs=orgs, replaced_by=replaced_by,
        reproduction=services.reproduce(check) if check.kind in available() else None,
        sampler=available().get(check.kind), link=link, outcome_form=OutcomeForm(),
        redraw_form=RedrawForm(), complete_form=CompleteForm())


@bp.route("/items/<int:spot_item_id>", methods=["POST"])
@login_required
def record(spot_item_id: int):
    item = get_or_404(SpotCheckItem, spot_item_id)
    require("spotcheck.manage", item)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.record(item, current_user, form.outcome.data, form.note.data)
        except services.SpotCheckError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Outcome recorded."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("spotchecks.show", spot_check_id=item.spot_check_id))


@bp.route("/<int:spot_check_id>/complete", methods=["POST"])
@login_required
def complete(spot_check_id: int):
    check = get_or_404(SpotCheck, spot_check_id)
    require("spotcheck.manage", check)
    if CompleteForm().validate_on_submit():
        try:
            services.complete(check)
        except services.SpotCheckError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Spot check completed; its outcomes are now part of the published results."),
                  "success")
    return redirect(url_for("spotchecks.show", spot_check_id=check.id))


@bp.route("/<int:spot_check_id>/redraw", methods=["POST"])
@login_required
def redraw(spot_check_id: int):
    check = get_or_404(SpotCheck, spot_check_id)
    require("spotcheck.manage", check)
    form = RedrawForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("spotchecks.show", spot_check_id=check.id))
    try:
        new = services.redraw(check, current_user, form.reason.data, current_tenant())
    except services.SpotCheckError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("spotchecks.show", spot_check_id=check.id))
    commit()
    flash(_("A new sample was drawn. The first draw stays on record with the reason."), "success")
    return redirect(url_for("spotchecks.show", spot_check_id=new.id))


@bp.route("/results")
def results():
    """Published for everyone: counts per quarter, never which record or whose."""
    tenant = current_tenant()
    samplers = {k: s.title for k, s in available().items()}
    return render_template("spotchecks/results.html", rows=services.aggregates(tenant.id),
                           samplers=samplers)


@bp.app_context_processor
def _labels():
    from flask_babel import lazy_gettext as _l

    return {"spotcheck_labels": {
        "status": {"open": _l("In progress"), "completed": _l("Completed"),
                   "superseded": _l("Replaced by a re-draw")},
        "outcome": {"pending": _l("Not checked yet"), "matches": _l("Matches the record"),
                    "discrepancy": _l("Does not match"), "no_evidence": _l("No evidence produced")}}}
