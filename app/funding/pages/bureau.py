"""The bureau's pages: funds, calls, applications, awards under notice, objections, merchants."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import confirm
from app.consultations.models import Consultation
from app.extensions import db
from app.funding import awards, funds, incentives
from app.funding.forms import AnswerForm, AwardForm, CallForm, FundForm, MerchantForm, ReasonForm
from app.funding.models import (
    Application,
    Award,
    Call,
    Contract,
    ContractStatus,
    Fund,
    Objection,
)
from app.funding.models_spending import Merchant
from app.funding.pages import act, attempt, user
from app.funding.pages.public import chosen_by_residents
from app.funding.services import FundingError, parse_amount, today
from app.funding.views import bp
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404, scoped


def consultation_choices() -> list[tuple[int, str]]:
    """Published residents' consultations a call may cite, newest first."""
    published = db.session.scalars(scoped(Consultation, Consultation.status == "published")
                                   .order_by(Consultation.published_at.desc()).limit(100))
    return [(0, "—")] + [(c.id, f"{c.title}（{c.area.name}）") for c in published]


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    """Funds of the tenant, with what each has left to commit; the bureau appropriates here."""
    tenant = current_tenant()
    require("funding.view", tenant)
    form = FundForm()
    year = today().year
    form.fiscal_year.choices = [(year, str(year)), (year + 1, str(year + 1))]
    status = 200
    if request.method == "POST":
        require("funding.manage", tenant)
        if form.validate_on_submit():
            try:  # a mistyped amount is said before asking to confirm it
                amount = parse_amount(form.amount.data)
            except FundingError as exc:
                form.amount.errors.append(str(exc))
            else:
                if (page := confirm.ask("fund.appropriate", tenant, url_for("funding.index"))):
                    return page
                ok, fund = attempt(lambda: funds.create_fund(
                    tenant, user(), fiscal_year=form.fiscal_year.data, name=form.name.data,
                    source=form.source.data, amount_fen=amount), _("The fund is appropriated."))
                if ok:
                    return redirect(url_for("funding.fund", fund_id=fund.id))
        status = 422
    rows = db.session.scalars(scoped(Fund).order_by(Fund.fiscal_year.desc(), Fund.id.desc()))
    return render_template("funding/index.html", form=form, funds=list(rows)), status


@bp.route("/funds/<int:fund_id>", methods=["GET", "POST"])
@login_required
def fund(fund_id: int):
    fund = get_or_404(Fund, fund_id)
    require("funding.view", fund)
    tenant = current_tenant()
    form = CallForm()
    form.category.choices = [(c, c) for c in tenant.setting("service_categories")]
    form.consultation_id.choices = consultation_choices()
    status = 200
    if request.method == "POST":
        require("funding.manage", fund)
        if form.validate_on_submit():
            cited = get_or_404(Consultation, form.consultation_id.data) \
                if form.consultation_id.data else None
            ok, call = attempt(lambda: funds.publish_call(
                fund, user(), title=form.title.data, category=form.category.data,
                description=form.description.data, ceiling_fen=parse_amount(form.ceiling.data),
                deadline=form.deadline.data, consultation=cited), _("The call is published."))
            if ok:
                return redirect(url_for("funding.call_applications", call_id=call.id))
        status = 422
    calls = db.session.scalars(scoped(Call, Call.fund_id == fund.id).order_by(Call.id.desc()))
    contracts = db.session.scalars(scoped(Contract, Contract.fund_id == fund.id,
                                          Contract.status != ContractStatus.DRAFT)
                                   .order_by(Contract.id))
    return render_template("funding/fund.html", fund=fund, form=form, calls=list(calls),
                           contracts=list(contracts)), status


@bp.route("/calls")
@login_required
def calls():
    require("funding.view", current_tenant())
    rows = db.session.execute(
        scoped(Call).add_columns(func.count(Application.id))
        .outerjoin(Application, Application.call_id == Call.id)
        .group_by(Call.id).order_by(Call.id.desc())).all()
    return render_template("funding/calls.html", rows=rows)


@bp.route("/calls/<int:call_id>/applications")
@login_required
def call_applications(call_id: int):
    call = get_or_404(Call, call_id)
    require("funding.view", call)
    applications = db.session.scalars(scoped(Application, Application.call_id == call.id)
                                      .options(selectinload(Application.org))
                                      .order_by(Application.id))
    return render_template("funding/call_applications.html", call=call,
                           applications=list(applications), chosen=chosen_by_residents(call))


@bp.route("/applications/<int:application_id>")
@login_required
def application(application_id: int):
    """The organization's own view and the bureau's (with the award proposal)."""
    application = get_or_404(Application, application_id)
    require("org.view_internal", application)
    award = db.session.scalar(select(Award).where(Award.application_id == application.id))
    form = AwardForm(amount=f"{application.total_fen / 100:.2f}")
    return render_template("funding/application.html", application=application, award=award,
                           form=form, reason_form=ReasonForm())


@bp.route("/applications/<int:application_id>/award", methods=["POST"])
@login_required
def propose_award(application_id: int):
    application = get_or_404(Application, application_id)
    require("funding.manage", application)
    form = AwardForm()
    form.validate_on_submit()
    back = url_for("funding.application", application_id=application.id)
    try:  # a mistyped amount is explained before anyone is asked to confirm it
        amount_fen = parse_amount(form.amount.data)
    except FundingError as exc:
        flash(str(exc), "error")
        return redirect(back)
    if (page := confirm.ask("application.award", application, back)) is not None:
        return page
    ok, award = attempt(lambda: awards.propose_award(
        application, user(), amount_fen=amount_fen, reasons=form.reasons.data),
        _("The award is published for public notice."))
    return redirect(url_for("funding.award", award_id=award.id) if ok else back)


@bp.route("/applications/<int:application_id>/decline", methods=["POST"])
@login_required
def decline_application(application_id: int):
    application = get_or_404(Application, application_id)
    require("funding.manage", application)
    return act(lambda: awards.decline_application(application), _("The application is declined."),
               url_for("funding.application", application_id=application.id),
               ("application.decline", application))


@bp.route("/awards")
@login_required
def award_list():
    require("funding.view", current_tenant())
    rows = db.session.scalars(scoped(Award).options(
        selectinload(Award.application), selectinload(Award.org),
        selectinload(Award.objections)).order_by(Award.id.desc()))
    return render_template("funding/awards.html", awards=list(rows))


@bp.route("/awards/<int:award_id>")
@login_required
def award(award_id: int):
    award = get_or_404(Award, award_id)
    require("funding.view", award)
    contract = db.session.scalar(select(Contract).where(Contract.award_id == award.id))
    return render_template("funding/award.html", award=award, contract=contract,
                           blockers=awards.signing_blockers(award), answer_form=AnswerForm())


@bp.route("/objections/<int:objection_id>/answer", methods=["POST"])
@login_required
def answer_objection(objection_id: int):
    objection = get_or_404(Objection, objection_id)
    require("funding.manage", objection)
    form = AnswerForm()
    form.validate_on_submit()  # CSRF; the service explains a missing answer
    return act(lambda: awards.answer_objection(objection, user(), form.answer.data or ""),
               _("The answer is published."), url_for("funding.award", award_id=objection.award_id))


@bp.route("/awards/<int:award_id>/withdraw", methods=["POST"])
@login_required
def withdraw_award(award_id: int):
    award = get_or_404(Award, award_id)
    require("funding.manage", award)
    return act(lambda: awards.withdraw_award(award), _("The award is withdrawn."),
               url_for("funding.award", award_id=award.id), ("award.withdraw", award))


@bp.route("/merchants", methods=["GET", "POST"])
@login_required
def merchants():
    tenant = current_tenant()
    require("funding.view", tenant)
    form = MerchantForm()
    status = 200
    if request.method == "POST":
        require("funding.manage", tenant)
        if form.validate_on_submit():
            ok, _m = attempt(lambda: incentives.add_merchant(
                tenant, name=form.name.data, kind=form.kind.data, address=form.address.data),
                _("The merchant is added."))
            if ok:
                return redirect(url_for("funding.merchants"))
        status = 422
    rows = db.session.scalars(scoped(Merchant).order_by(Merchant.name))
    return render_template("funding/merchants.html", form=form, merchants=list(rows)), status
