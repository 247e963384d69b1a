"""Disclosure: public notices (公示) with their objection form and QR code, published contracts
and open calls — no sign-in, no personal data."""

from __future__ import annotations

import io

import segno
from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db, limiter
from app.funding import awards
from app.funding.forms import ObjectionForm
from app.funding.models import Award, AwardStatus, Call, CallStatus, Contract, ContractStatus
from app.funding.pages import attempt
from app.funding.views import bp
from app.permissions import can
from app.tenancy.scoping import get_or_404, scoped


def _objection_limit() -> str:
    return current_app.config.get("OBJECTION_RATE_LIMIT", "5 per hour;20 per day")


@bp.route("/notices")
def notices():
    rows = db.session.scalars(scoped(Award, Award.status != AwardStatus.WITHDRAWN)
                              .options(selectinload(Award.application), selectinload(Award.org))
                              .order_by(Award.notice_starts_at.desc()))
    return render_template("funding/notices.html", awards=list(rows))


@bp.route("/notices/<int:award_id>", methods=["GET", "POST"])
@limiter.limit(_objection_limit, methods=["POST"])
def notice(award_id: int):
    """The notice as printed on the board: anyone may object while it runs."""
    award = get_or_404(Award, award_id)
    form = ObjectionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            ok, _o = attempt(lambda: awards.file_objection(
                award, text=form.text.data, name=form.name.data or "",
                contact=form.contact.data or ""),
                _("Your objection is received. The answer will be published on this page."))
            if ok:
                return redirect(url_for("funding.notice", award_id=award.id))
        status = 422
    contract = db.session.scalar(select(Contract).where(
        Contract.award_id == award.id, Contract.status != ContractStatus.DRAFT))
    return render_template("funding/notice.html", award=award, form=form, contract=contract,
                           url=url_for("funding.notice", award_id=award.id, _external=True)), status


@bp.route("/notices/<int:award_id>/qr.svg")
def notice_qr(award_id: int):
    """A QR code of the notice's address, to print on a notice board."""
    award = get_or_404(Award, award_id)
    url = url_for("funding.notice", award_id=award.id, _external=True)
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2,
                                    title=_("Public notice"))
    buffer.seek(0)
    return send_file(buffer, mimetype="image/svg+xml", max_age=3600,
                     download_name=f"notice-{award.id}.svg")


@bp.route("/published")
def public_contracts():
    rows = db.session.scalars(scoped(Contract, Contract.status.in_(
        [ContractStatus.SIGNED, ContractStatus.CLOSED])).options(selectinload(Contract.org))
        .order_by(Contract.signed_at.desc()))
    return render_template("funding/public_contracts.html", contracts=list(rows))


@bp.route("/published/<int:contract_id>")
def public_contract(contract_id: int):
    contract = get_or_404(Contract, contract_id)
    if not can("funding.contract.public_view", contract):
        abort(404)  # a draft is not published
    return render_template("funding/public_contract.html", contract=contract)


@bp.route("/open-calls")
def open_calls():
    rows = db.session.scalars(scoped(Call, Call.status == CallStatus.OPEN)
                              .order_by(Call.deadline_at))
    return render_template("funding/open_calls.html", calls=[c for c in rows if c.accepting])


def chosen_by_residents(call: Call):
    """The option the residents of the consultation the call cites put first, if any."""
    from app.consultations.services import chosen

    cited = call.consultation
    return chosen(cited) if cited is not None and cited.published else None


@bp.route("/open-calls/<int:call_id>")
def public_call(call_id: int):
    from app.needs.calls import behind

    call = get_or_404(Call, call_id)
    return render_template("funding/public_call.html", call=call, needs=behind(call),
                           chosen=chosen_by_residents(call))
