"""The approval ladder's steps on an expenditure's page: the organization records the
residents' assembly decision and the procurement with their files; a second bureau officer
approves as leader; the step files are served to those who see the organization's books."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app import storage
from app.errors import flash_form_errors
from app.funding import steps
from app.funding.forms import AssemblyForm, ProcurementForm
from app.funding.models_spending import Expenditure
from app.funding.models_steps import StepFile
from app.funding.pages import act, attempt, user
from app.funding.services import FundingError
from app.funding.views import bp
from app.permissions import require
from app.tenancy.scoping import get_or_404


def _back(expense: Expenditure) -> str:
    return url_for("funding.expenditure", expenditure_id=expense.id)


def _files(name: str):
    try:
        return steps.read(request.files.getlist(name)), None
    except FundingError as exc:
        return None, str(exc)


@bp.route("/expenditures/<int:expenditure_id>/assembly", methods=["POST"])
@login_required
def record_assembly(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("org.keep_books", expense)
    form = AssemblyForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(expense))
    minutes, problem = _files("minutes")
    if problem:
        flash(problem, "error")
        return redirect(_back(expense))
    attempt(lambda: steps.record_assembly(
        expense, user(), held_on=form.held_on.data, attendance=form.attendance.data,
        votes_for=form.votes_for.data, votes_against=form.votes_against.data,
        votes_abstain=form.votes_abstain.data, minutes=minutes),
        _("The assembly decision is on record."))
    return redirect(_back(expense))


@bp.route("/expenditures/<int:expenditure_id>/procurement", methods=["POST"])
@login_required
def record_procurement(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("org.keep_books", expense)
    form = ProcurementForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(expense))
    documents, problem = _files("documents")
    if problem:
        flash(problem, "error")
        return redirect(_back(expense))
    attempt(lambda: steps.record_procurement(
        expense, user(), method=form.method.data, supplier=form.supplier.data or "",
        note=form.note.data or "", documents=documents),
        _("The procurement is on record."))
    return redirect(_back(expense))


@bp.route("/expenditures/<int:expenditure_id>/approve-as-leader", methods=["POST"])
@login_required
def approve_as_leader(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("funding.manage", expense)
    return act(lambda: steps.approve_as_leader(expense, user()), _("Approved."), _back(expense),
               ("expenditure.approve_leader", expense))


@bp.route("/step-files/<int:step_file_id>")
@login_required
def step_file(step_file_id: int):
    """An assembly's minutes or a procurement document: the organization's staff, the
    bureau and auditors only."""
    stored = get_or_404(StepFile, step_file_id)
    require("org.view_internal", stored)
    response = storage.send(storage.UPLOADS, stored.file_key,
                            steps.under(stored), stored.mime,
                            f"document-{stored.id}.{stored.file_key.rsplit('.', 1)[-1]}")
    if stored.mime.startswith("image/"):
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
