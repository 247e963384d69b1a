"""Contracts: the draft (102号令 fields, lines, tranches), signing, payments with maker ≠ checker,
reversals of payments, closing, and the bureau's approval queue."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import storage
from app.extensions import db
from app.funding import closing, contracts, queues
from app.funding import evidence as milestone_evidence
from app.funding.awards import signing_blockers
from app.funding.forms import TRANCHE_ROWS, PaymentRequestForm, ReasonForm, contract_form
from app.funding.models import (
    Award,
    Contract,
    Disbursement,
    Tranche,
    TrancheEvidence,
)
from app.funding.pages import act, amount_or_none, attempt, user
from app.funding.services import parse_percent, today
from app.funding.views import bp
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped


def _initial(award: Award, contract: Contract | None, names: list[str]) -> dict:
    if contract is not None:
        data = {f: getattr(contract, f) for f in ("title", "content", "starts_on", "ends_on",
                                                  "quantity", "quality", "settlement", "duties",
                                                  "liability")}
        lines = {line.name: line.budget_fen for line in contract.lines}
        tranches = contract.tranches
    else:
        start = today()
        data = {"title": award.application.title, "content": award.application.plan,
                "starts_on": start, "ends_on": start + timedelta(days=364)}
        lines = {line.name: line.amount_fen for line in award.application.lines}
        if sum(lines.values()) != award.amount_fen:
            lines = {}
        tranches = []
    for i, name in enumerate(names):
        if name in lines:
            data[f"line_{i}"] = f"{lines[name] / 100:.2f}"
    for n, t in enumerate(tranches, start=1):
        data[f"share_{n}"], data[f"date_{n}"], data[f"milestone_{n}"] = (
            t.percent_text.rstrip("%"), t.planned_on, t.milestone)
    return data


def _parse(form, names: list[str]) -> tuple[contracts.Terms, list, list]:
    terms = contracts.Terms(**{f: getattr(form, f).data for f in (
        "title", "content", "starts_on", "ends_on", "quantity", "quality", "settlement",
        "duties", "liability")})
    lines = [(name, fen) for i, name in enumerate(names)
             if (fen := amount_or_none(getattr(form, f"line_{i}").data)) is not None]
    tranches = [contracts.TrancheInput(parse_percent(share), getattr(form, f"date_{n}").data,
                                       getattr(form, f"milestone_{n}").data or "")
                for n in range(1, TRANCHE_ROWS + 1)
                if (share := (getattr(form, f"share_{n}").data or "").strip())]
    return terms, lines, tranches


@bp.route("/awards/<int:award_id>/contract", methods=["GET", "POST"])
@login_required
def contract_draft(award_id: int):
    award = get_or_404(Award, award_id)
    require("funding.manage", award)
    names = list(current_tenant().setting("budget_lines"))
    contract = db.session.scalar(select(Contract).where(Contract.award_id == award.id))
    form_class = contract_form(names)
    form = form_class() if request.method == "POST" else form_class(
        data=_initial(award, contract, names))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            def save():
                terms, lines, tranches = _parse(form, names)
                return contracts.save_draft(award, user(), terms, lines, tranches)

            ok, saved = attempt(save, _("The draft contract is saved."))
            if ok:
                return redirect(url_for("funding.contract", contract_id=saved.id))
        status = 422
    return render_template("funding/contract_draft.html", award=award, form=form, names=names,
                           rows=range(1, TRANCHE_ROWS + 1)), status


@bp.route("/contracts")
@login_required
def contract_list():
    require("funding.view", current_tenant())
    rows = db.session.scalars(scoped(Contract).options(selectinload(Contract.org))
                              .order_by(Contract.id.desc()))
    return render_template("funding/contracts.html", contracts=list(rows))


@bp.route("/contracts/<int:contract_id>")
@login_required
def contract(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    require("org.view_internal", contract)
    payments = db.session.scalars(select(Disbursement).where(
        Disbursement.contract_id == contract.id).order_by(Disbursement.id))
    return render_template(
        "funding/contract.html", contract=contract, payments=list(payments),
        blockers=signing_blockers(contract.award) if contract.status == "draft" else [],
        request_form=PaymentRequestForm(), reason_form=ReasonForm(), today=today(),
        manage=can("funding.manage", contract))


@bp.route("/contracts/<int:contract_id>/sign", methods=["POST"])
@login_required
def sign_contract(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    require("funding.manage", contract)
    return act(lambda: contracts.sign_contract(contract, user()),
               _("The contract is signed and published; the money is committed."),
               url_for("funding.contract", contract_id=contract.id), ("contract.sign", contract))


@bp.route("/contracts/<int:contract_id>/close", methods=["POST"])
@login_required
def close_contract(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    require("funding.manage", contract)
    return act(lambda: closing.close_contract(contract, user()),
               _("The contract is closed; unspent money is returned to the fund."),
               url_for("funding.contract", contract_id=contract.id), ("contract.close", contract))


@bp.route("/tranches/<int:tranche_id>/request", methods=["POST"])
@login_required
def request_payment(tranche_id: int):
    tranche = get_or_404(Tranche, tranche_id)
    require("funding.manage", tranche)
    form = PaymentRequestForm()
    form.validate_on_submit()  # CSRF; the service explains what is missing
    return act(lambda: contracts.request_payment(
        tranche, user(), amount_fen=amount_or_none(form.amount.data),
        evidence=form.note.data or "", reason=form.reason.data or "",
        files=milestone_evidence.read(request.files.getlist("files"))),
        _("Payment requested; another officer must approve it."),
        url_for("funding.contract", contract_id=tranche.contract_id))


@bp.route("/tranche-evidence/<int:tranche_evidence_id>")
@login_required
def tranche_evidence(tranche_evidence_id: int):
    """A milestone evidence file: the organization's staff, the bureau and auditors only."""
    stored = get_or_404(TrancheEvidence, tranche_evidence_id)
    require("org.view_internal", stored)
    response = storage.send(storage.UPLOADS, stored.file_key,
                            milestone_evidence.under(stored), stored.mime,
                            f"evidence-{stored.id}.{stored.file_key.rsplit('.', 1)[-1]}")
    if stored.mime.startswith("image/"):
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/tranches/<int:tranche_id>/approve", methods=["POST"])
@login_required
def approve_payment(tranche_id: int):
    tranche = get_or_404(Tranche, tranche_id)
    require("funding.manage", tranche)
    back = (url_for("funding.approvals") if request.form.get("back") == "approvals"
            else url_for("funding.contract", contract_id=tranche.contract_id))
    return act(lambda: contracts.approve_payment(tranche, user()), _("The tranche is paid."), back,
               ("tranche.pay", tranche))


@bp.route("/tranches/<int:tranche_id>/cancel", methods=["POST"])
@login_required
def cancel_payment(tranche_id: int):
    tranche = get_or_404(Tranche, tranche_id)
    require("funding.manage", tranche)
    return act(lambda: contracts.cancel_request(tranche), _("The payment request is withdrawn."),
               url_for("funding.contract", contract_id=tranche.contract_id),
               ("tranche.withdraw", tranche))


@bp.route("/disbursements/<int:disbursement_id>/reverse", methods=["POST"])
@login_required
def reverse_disbursement(disbursement_id: int):
    payment = get_or_404(Disbursement, disbursement_id)
    require("funding.manage", payment)
    form = ReasonForm()
    form.validate_on_submit()  # CSRF; the service explains a missing reason
    return act(lambda: closing.reverse_disbursement(payment, user(), form.reason.data or ""),
               _("The payment is reversed; the tranche can be paid again."),
               url_for("funding.contract", contract_id=payment.contract_id),
               ("disbursement.reverse", payment))


@bp.route("/approvals")
@login_required
def approvals():
    """The bureau's queue: payments to approve, expenditures to approve, objections to resolve."""
    tenant = current_tenant()
    require("funding.view", tenant)
    tranches = [row[0] for row in queues.payments_requested(tenant.id)[1]]
    waiting = [row[0] for row in queues.for_bureau_approval(tenant.id)[1]]
    objected = [row[0] for row in queues.objected(tenant.id)[1]]
    return render_template("funding/approvals.html", tranches=list(tranches), today=today(),
                           waiting=list(waiting), objected=list(objected))
