"""Evaluation pages: the list, starting one, scoring and finalizing, the template, and the
provider's feedback on the bureau's process."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.models import Role
from app.db_commit import commit
from app.errors import flash_form_errors
from app.evaluation import services
from app.evaluation.forms import MODE_LABELS, FeedbackForm, ScoreForm, StartForm, TemplateForm
from app.evaluation.labels import DIMENSION
from app.evaluation.models import Evaluation, EvaluationTemplate, Mode
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("evaluation", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/evaluations")


def contract_choices(org_id: int | None = None) -> list[tuple[int, str]]:
    """Contracts an evaluation can attach to (filled in once contracts exist)."""
    from app.evaluation import contracts

    return contracts.choices(org_id)


def _start_form(tenant) -> StartForm:
    form = StartForm()
    orgs = db.session.scalars(scoped(Organization).order_by(Organization.name)).all()
    if can("evaluation.manage", tenant):
        form.mode.choices = [(m, text) for m, text in MODE_LABELS.items() if m != Mode.SELF]
    else:
        own = current_user.org_ids(tenant.id, Role.ORG_ADMIN)
        orgs = [o for o in orgs if o.id in own]
        form.mode.choices = [(Mode.SELF.value, MODE_LABELS[Mode.SELF.value])]
    form.org_id.choices = [(o.id, o.name) for o in orgs]
    form.contract_id.choices = [(0, "—")] + contract_choices()
    return form


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    tenant = current_tenant()
    require("evaluations.view", tenant)
    form = _start_form(tenant)
    if request.method == "POST":
        if not form.org_id.choices:
            abort(403)
        if form.validate_on_submit():
            org = get_or_404(Organization, form.org_id.data)
            mode = form.mode.data
            require("evaluation.self" if mode == Mode.SELF else "evaluation.manage",
                    org if mode == Mode.SELF else tenant)
            try:
                evaluation = services.start(tenant, current_user, org, mode, form.period.data,
                                            form.evaluator_name.data or "",
                                            form.contract_id.data or None)
            except services.EvaluationError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))
        else:
            flash_form_errors(form)
    stmt = scoped(Evaluation).order_by(Evaluation.id.desc())
    if not can("oversight.view", tenant):
        stmt = stmt.where(Evaluation.org_id.in_(current_user.org_ids(tenant.id)))
    page = db.paginate(stmt, per_page=30)
    orgs = {o.id: o.name for o in db.session.scalars(scoped(Organization))}
    return render_template("evaluation/index.html", page=page, form=form, orgs=orgs,
                           modes=MODE_LABELS)


@bp.route("/<int:evaluation_id>", methods=["GET", "POST"])
@login_required
def show(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    require("evaluation.view", evaluation)
    form = ScoreForm(obj=evaluation)
    if request.method == "POST":
        require("evaluation.score", evaluation)
        if form.validate_on_submit():
            values = {i["code"]: request.form.get(f"score_{i['code']}", "")
                      for i in evaluation.indicators}
            notes = {i["code"]: request.form.get(f"note_{i['code']}", "")
                     for i in evaluation.indicators}
            try:
                services.score(evaluation, values, notes, form.comment.data)
                if request.form.get("finalize"):
                    services.finalize(evaluation, current_user)
            except services.EvaluationError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("Evaluation finalized.") if evaluation.is_final else _("Scores saved."),
                      "success")
                return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))
        else:
            flash_form_errors(form)
    template = db.session.get(EvaluationTemplate, evaluation.template_id)
    org = db.session.get(Organization, evaluation.org_id)
    return render_template("evaluation/show.html", evaluation=evaluation, form=form, org=org,
                           questions=template.process_questions, feedback_form=FeedbackForm(),
                           modes=MODE_LABELS, residents=services.service_evidence(evaluation))


@bp.route("/<int:evaluation_id>/feedback", methods=["POST"])
@login_required
def feedback(evaluation_id: int):
    evaluation = get_or_404(Evaluation, evaluation_id)
    require("evaluation.feedback", evaluation)
    form = FeedbackForm()
    template = db.session.get(EvaluationTemplate, evaluation.template_id)
    if form.validate_on_submit():
        ratings = {q["code"]: request.form.get(f"rate_{q['code']}", type=int)
                   for q in template.process_questions}
        try:
            services.give_feedback(evaluation, current_user, ratings, form.comment.data,
                                   template.process_questions)
        except services.EvaluationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Thank you. Your rating of the bureau's process is recorded."), "success")
    return redirect(url_for("evaluation.show", evaluation_id=evaluation.id))


@bp.route("/template", methods=["GET", "POST"])
@login_required
def template():
    tenant = current_tenant()
    require("oversight.view", tenant)
    current = db.session.scalar(scoped(EvaluationTemplate, EvaluationTemplate.active.is_(True))
                                .order_by(EvaluationTemplate.id.desc()).limit(1))
    tiers = current.tiers if current else services.DEFAULT_TIERS
    lines = "\n".join(f"{DIMENSION[i['dimension']]} | {i['name']} | {i['weight']}"
                      for i in (current.indicators if current else
                                [{"dimension": d, "name": n, "weight": w}
                                 for d, n, w in services.DEFAULT_INDICATORS]))
    form = TemplateForm(name=current.name if current else "政府购买服务绩效评价（百分制）",
                        indicators=lines, **tiers)
    if request.method == "POST":
        require("evaluation.manage", tenant)
        if form.validate_on_submit():
            try:
                services.save_template(tenant, current_user, form.name.data, form.indicators.data,
                                       {"excellent": form.excellent.data, "good": form.good.data,
                                        "fair": form.fair.data})
            except services.EvaluationError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("Template saved. Evaluations already started keep the indicators they began with."),
                      "success")
                return redirect(url_for("evaluation.template"))
        else:
            flash_form_errors(form)
    return render_template("evaluation/template.html", form=form, current=current)


@bp.app_context_processor
def _labels():
    from app.evaluation import labels

    return {"evaluation_labels": labels.ALL, "last_evaluation": _last_evaluation}


def _last_evaluation(org_id: int) -> Evaluation | None:
    """For award screens: ``last_evaluation(org.id)`` in any template of this tenant."""
    return services.latest_for_org(current_tenant().id, org_id)
