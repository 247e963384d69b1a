"""The resident overseers' pages (居务监督): their queue of spending to review, with receipts;
signing an expenditure off (签字确认). Objecting is on the expenditure's page (``org.py``)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.funding import overseers
from app.funding.models_spending import Expenditure
from app.funding.pages import act, user
from app.funding.views import bp
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404


@bp.route("/oversight")
@login_required
def oversight():
    """What waits for this overseer's review, their objections with the bureau's answers, and
    what they signed off."""
    tenant = current_tenant()
    require("funding.oversee", tenant)
    return render_template("funding/oversight.html",
                           q=overseers.queue(tenant.id, user().id),
                           scope=tenant.setting("overseer_scope"),
                           threshold=int(tenant.setting("overseer_threshold_fen")))


@bp.route("/expenditures/<int:expenditure_id>/sign-off", methods=["POST"])
@login_required
def sign_off_expenditure(expenditure_id: int):
    expense = get_or_404(Expenditure, expenditure_id)
    require("funding.oversee", expense)
    require("funding.expenditure.view", expense)
    return act(lambda: overseers.sign_off(expense, user()), _("Your signature is recorded."),
               url_for("funding.oversight"), ("expenditure.sign_off", expense))
