"""Incentive pages: a volunteer's points and redemption codes; the organization confirms codes
at the merchant and settles merchants from a contract's incentive line."""

from __future__ import annotations

import segno
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy import select

from app import confirm
from app.extensions import db
from app.funding import incentives
from app.funding.forms import ConsumeForm, RedeemForm, SettleForm
from app.funding.models import Contract, ContractStatus
from app.funding.models_spending import Merchant, Redemption, RedemptionStatus
from app.funding.pages import act, attempt, user
from app.funding.views import bp
from app.orgs.models import Organization
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404, scoped


@bp.route("/points", methods=["GET", "POST"])
@login_required
def points():
    tenant = current_tenant()
    require("funding.redeem", tenant)
    me = user()
    per_org = incentives.balances(me.id, tenant.id)
    orgs = {o.id: o for o in db.session.scalars(scoped(Organization,
                                                       Organization.id.in_(list(per_org))))}
    form = RedeemForm()
    form.org_id.choices = [(i, f"{orgs[i].name}（{n}）") for i, n in per_org.items()
                           if n > 0 and i in orgs]
    form.merchant_id.choices = [(m.id, m.name) for m in db.session.scalars(
        scoped(Merchant, Merchant.active.is_(True)).order_by(Merchant.name))]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if (page := confirm.ask("redemption.issue", tenant, url_for("funding.points"))):
                return page
            ok, redemption = attempt(lambda: incentives.issue(
                me, get_or_404(Organization, form.org_id.data),
                get_or_404(Merchant, form.merchant_id.data), form.points.data),
                _("Show this code at the merchant."))
            if ok:
                return redirect(url_for("funding.redemption", redemption_id=redemption.id))
        status = 422
    mine = db.session.scalars(scoped(Redemption, Redemption.user_id == me.id)
                              .order_by(Redemption.id.desc()))
    return render_template("funding/points.html", per_org=per_org, orgs=orgs, form=form,
                           redemptions=list(mine),
                           total=sum(n for n in per_org.values() if n > 0)), status


@bp.route("/redemptions/<int:redemption_id>")
@login_required
def redemption(redemption_id: int):
    redemption = get_or_404(Redemption, redemption_id)
    require("funding.redemption.view", redemption)
    qr = None
    if redemption.user_id == user().id and redemption.status == RedemptionStatus.ISSUED:
        qr = Markup(segno.make(redemption.code, error="m").svg_inline(scale=6, border=2))
    return render_template("funding/redemption.html", r=redemption, qr=qr)


@bp.route("/redemptions/<int:redemption_id>/cancel", methods=["POST"])
@login_required
def cancel_redemption(redemption_id: int):
    redemption = get_or_404(Redemption, redemption_id)
    require("funding.redemption.view", redemption)
    return act(lambda: incentives.cancel(redemption, user()), _("The code is cancelled."),
               url_for("funding.points"), ("redemption.cancel", redemption))


def _settle_choices(org_id: int) -> list[tuple[int, str]]:
    rows = db.session.scalars(scoped(Contract, Contract.org_id == org_id,
                                     Contract.status == ContractStatus.SIGNED))
    return [(c.id, f"{c.number} {c.title}") for c in rows if incentives.incentive_line(c)]


@bp.route("/orgs/<int:org_id>/redemptions", methods=["GET", "POST"])
@login_required
def org_redemptions(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.view_internal", org)
    form = ConsumeForm()
    status = 200
    if request.method == "POST":
        require("org.coordinate", org)
        if form.validate_on_submit():
            back = url_for("funding.org_redemptions", org_id=org.id)
            if (page := confirm.ask("redemption.consume", org, back)) is not None:
                return page
            ok, _r = attempt(lambda: incentives.consume(org, form.code.data, user()),
                             _("The code is accepted; hand over the goods."))
            if ok:
                return redirect(url_for("funding.org_redemptions", org_id=org.id))
        status = 422
    rows = db.session.scalars(scoped(Redemption, Redemption.org_id == org.id)
                              .order_by(Redemption.id.desc()).limit(200))
    settle_form = SettleForm()
    settle_form.contract_id.choices = _settle_choices(org.id)
    return render_template("funding/org_redemptions.html", org=org, form=form,
                           settle_form=settle_form, redemptions=list(rows)), status


@bp.route("/redemptions/<int:redemption_id>/settle", methods=["POST"])
@login_required
def settle_redemption(redemption_id: int):
    redemption = get_or_404(Redemption, redemption_id)
    require("org.keep_books", redemption)
    form = SettleForm()
    form.contract_id.choices = _settle_choices(redemption.org_id)
    back = url_for("funding.org_redemptions", org_id=redemption.org_id)
    contract = db.session.scalar(select(Contract).where(
        Contract.id == (form.contract_id.data if form.validate_on_submit() else None),
        Contract.org_id == redemption.org_id))
    return act(lambda: incentives.settle(redemption, contract, user()),
               _("The merchant is settled."), back, ("redemption.settle", redemption))
