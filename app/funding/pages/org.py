"""The organization's pages: its funding home, applications, statements, expenditures with
receipts and their approvals; the overseers' and the bureau's actions on an expenditure."""

from __future__ import annotations

from pathlib import PurePosixPath

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import confirm, storage
from app.extensions import db
from app.funding import closing, funds, receipts, spending
from app.funding.forms import (
    ApplicationForm,
    CorrectionForm,
    ExpenditureForm,
    OverseerObjectionForm,
    ReasonForm,
    ResolveForm,
    with_lines,
)
from app.funding.models import Application, Call, CallStatus, Contract
from app.funding.models_spending import Expenditure, OverseerObjection, Receipt
from app.funding.pages import act, amount_or_none, attempt, user
from app.funding.services import FundingError, parse_amount, today
from app.funding.statements import statement as build_statement
from app.funding.views import bp
from app.orgs.models import Organization
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped


@bp.route("/mine")
@login_required
def mine():
    """Nav entry for organization staff: their (first) organization's funding home."""
    org_ids = sorted(current_user.org_ids(current_tenant().id))
    if not org_ids:
        abort(403)
    return redirect(url_for("funding.org_home", org_id=org_ids[0]))


@bp.route("/orgs/<int:org_id>")
@login_required
def org_home(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.view_internal", org)
    calls = db.session.scalars(scoped(Call, Call.status == CallStatus.OPEN)
                               .order_by(Call.deadline_at))
    applications = db.session.scalars(scoped(Application, Application.org_id == org.id)
                                      .order_by(Application.id.desc()))
    contracts = db.session.scalars(scoped(Contract, Contract.org_id == org.id)
                                   .order_by(Contract.id.desc()))
    return render_template("funding/org_home.html", org=org,
                           calls=[c for c in calls if c.accepting],
                           applications=list(applications), contracts=list(contracts))


@bp.route("/orgs/<int:org_id>/calls/<int:call_id>/apply", methods=["GET", "POST"])
@login_required
def apply(org_id: int, call_id: int):
    org = get_or_404(Organization, org_id)
    require("funding.apply", org)
    call = get_or_404(Call, call_id)
    names = funds.budget_lines(current_tenant())
    form = with_lines(ApplicationForm, names)()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            def submit():
                lines = [(name, fen) for i, name in enumerate(names)
                         if (fen := amount_or_none(getattr(form, f"line_{i}").data)) is not None]
                return funds.submit_application(call, org, user(), title=form.title.data,
                                                plan=form.plan.data, lines=lines)

            ok, application = attempt(submit, _("Your application is submitted."))
            if ok:
                return redirect(url_for("funding.application", application_id=application.id))
        status = 422
    return render_template("funding/apply.html", org=org, call=call, form=form,
                           names=names), status


@bp.route("/contracts/<int:contract_id>/statement")
@login_required
def statement(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    require("org.view_internal", contract)
    return render_template("funding/statement.html", s=build_statement(contract))


def _line_choices(contract: Contract) -> list[tuple[int, str]]:
    return [(line.id, line.name) for line in contract.lines]


def _expense_input(form: ExpenditureForm) -> spending.ExpenseInput:
    return spending.ExpenseInput(
        line_id=form.line_id.data, amount_fen=parse_amount(form.amount.data),
        spent_on=form.spent_on.data, payee=form.payee.data or "",
        description=form.description.data or "", method=form.method.data)


def _uploads() -> list[receipts.Upload]:
    return [receipts.Upload(f.read(), f.filename or "")
            for f in request.files.getlist("receipts") if f and f.filename]


@bp.route("/contracts/<int:contract_id>/expenditures", methods=["GET", "POST"])
@login_required
def expenditures(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    require("org.view_internal", contract)
    form = ExpenditureForm()
    form.line_id.choices = _line_choices(contract)
    if request.method == "GET":
        form.spent_on.data = today()
    status = 200
    if request.method == "POST":
        require("org.keep_books", contract)
        if form.validate_on_submit():
            ok, expense = attempt(
                lambda: spending.record(contract, user(), _expense_input(form), _uploads()),
                _("The expenditure is recorded and awaits approval."))
            if ok:
                return redirect(url_for("funding.expenditure", expenditure_id=expense.id))
        status = 422
    rows = db.session.scalars(select(Expenditure).where(Expenditure.contract_id == contract.id)
                              .options(selectinload(Expenditure.line))
                              .order_by(Expenditure.id.desc()))
    return render_template("funding/expenditures.html", contract=contract, form=form,
                           expenditures=list(rows),
                           can_record=can("org.keep_books", contract)), status


@bp.route("/expenditures/<int:expenditure_id>")
@login_required
def expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("funding.expenditure.view", expense)
    from app.funding import ladder
    from app.funding.forms import AssemblyForm, ProcurementForm
    from app.funding.models_steps import AssemblyDecision, ProcurementRecord

    return render_template(
        "funding/expenditure.html", e=expense, reason_form=ReasonForm(),
        object_form=OverseerObjectionForm(), resolve_form=ResolveForm(),
        ladder=ladder, done=ladder.done(expense), assembly_form=AssemblyForm(formdata=None),
        procurement_form=ProcurementForm(formdata=None),
        assembly=db.session.scalar(select(AssemblyDecision).where(
            AssemblyDecision.expenditure_id == expense.id)),
        procurement=db.session.scalar(select(ProcurementRecord).where(
            ProcurementRecord.expenditure_id == expense.id)),
        internal=can("org.view_internal", expense), is_recorder=expense.recorded_by_id == user().id,
        org_approver=can("org.manage", expense), bureau=can("funding.manage", expense),
        overseer=can("funding.oversee", expense), books=can("org.keep_books", expense),
        signed=any(s.overseer_id == user().id for s in expense.signoffs),
        objecting=any(o.overseer_id == user().id for o in expense.open_objections))


def _back(expense: Expenditure) -> str:
    return url_for("funding.expenditure", expenditure_id=expense.id)


@bp.route("/expenditures/<int:expenditure_id>/approve", methods=["POST"])
@login_required
def approve_expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    as_bureau = request.form.get("as") == "bureau"
    require("funding.manage" if as_bureau else "org.manage", expense)
    return act(lambda: spending.approve(expense, user(), as_bureau=as_bureau),
               _("Approved."), _back(expense),
               ("expenditure.approve_bureau" if as_bureau else "expenditure.approve", expense))


@bp.route("/expenditures/<int:expenditure_id>/reject", methods=["POST"])
@login_required
def reject_expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    if not (can("org.manage", expense) or can("funding.manage", expense)):
        abort(403)
    form = ReasonForm()
    form.validate_on_submit()
    return act(lambda: spending.reject(expense, user(), form.reason.data or ""),
               _("The expenditure is rejected."), _back(expense), ("expenditure.reject", expense))


@bp.route("/expenditures/<int:expenditure_id>/object", methods=["POST"])
@login_required
def object_expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("funding.oversee", expense)
    form = OverseerObjectionForm()
    form.validate_on_submit()
    return act(lambda: spending.object_to(expense, user(), form.text.data or ""),
               _("Your objection is recorded; the bureau will decide."), _back(expense))


@bp.route("/oversight-objections/<int:oversight_objection_id>/resolve", methods=["POST"])
@login_required
def resolve_objection(oversight_objection_id: int):
    objection = get_or_404(OverseerObjection, oversight_objection_id)
    require("funding.manage", objection)
    form = ResolveForm()
    form.validate_on_submit()
    return act(lambda: spending.resolve(objection, user(), uphold=form.decision.data == "uphold",
                                        note=form.note.data or ""),
               _("The objection is resolved."),
               url_for("funding.expenditure", expenditure_id=objection.expenditure_id))


@bp.route("/expenditures/<int:expenditure_id>/finalize", methods=["POST"])
@login_required
def finalize_expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    if not (can("org.keep_books", expense) or can("funding.manage", expense)):
        abort(403)
    return act(lambda: spending.finalize(expense), _("The expenditure is final."), _back(expense),
               ("expenditure.finalize", expense))


@bp.route("/expenditures/<int:expenditure_id>/reverse", methods=["GET", "POST"])
@login_required
def reverse_expenditure(expenditure_id: int):
    """A correction: reverse the final entry and, usually, record the corrected one."""
    expense = get_or_404(Expenditure, expenditure_id)
    require("funding.manage", expense)
    form = CorrectionForm(obj=expense) if request.method == "GET" else CorrectionForm()
    form.line_id.choices = _line_choices(expense.contract)
    if request.method == "GET":
        form.amount.data = f"{expense.amount_fen / 100:.2f}"
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:  # a mistyped amount is explained before anyone is asked to confirm it
                replacement = _expense_input(form) if form.replace.data == "yes" else None
            except FundingError as exc:
                form.amount.errors = [*form.amount.errors, str(exc)]
                return render_template("funding/reverse.html", e=expense, form=form), 422
            if (page := confirm.ask("expenditure.reverse", expense, _back(expense))) is not None:
                return page
            ok, corrected = attempt(
                lambda: closing.reverse_expenditure(expense, user(), form.reason.data, replacement),
                _("The entry is reversed."))
            if ok:
                return redirect(_back(corrected or expense))
        status = 422
    return render_template("funding/reverse.html", e=expense, form=form), status


@bp.route("/receipts/<int:receipt_id>")
@login_required
def receipt(receipt_id: int):
    """The receipt file: the organization's staff, the bureau and auditors; the overseers,
    for spending open to their review."""
    stored = get_or_404(Receipt, receipt_id)
    require("funding.receipt.view", stored)
    extension = PurePosixPath(stored.stored_name).suffix
    response = storage.send(storage.UPLOADS, stored.stored_name,
                            receipts.folder_of(stored), stored.content_type,
                            f"receipt-{stored.id}{extension}")
    if stored.content_type.startswith("image/"):  # (a sandbox would also block the PDF viewer)
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

