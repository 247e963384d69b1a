"""Rules pages: the bureau's 规则设置 (every rule, its value in force, changes waiting and
to come, a form to propose one, approve or reject), and the public 资金和激励规则 page that
prints as a one-page notice with a QR code of its own address."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import confirm
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.parsing import local_today
from app.permissions import can, require
from app.rules import catalogue, labels, services
from app.rules.catalogue import CATALOGUE, GROUPS, PUBLIC_RULES, RuleError
from app.rules.forms import ProposeForm, RejectForm
from app.rules.models import RuleChange
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("rules", __name__, template_folder="templates", url_prefix="/t/<tenant>/rules")


def _by_group(keys) -> list[tuple[str, list]]:
    return [(label, [CATALOGUE[k] for k in keys if CATALOGUE[k].group == group])
            for group, label in GROUPS.items()
            if any(CATALOGUE[k].group == group for k in keys)]


def _propose_form(tenant) -> ProposeForm:
    form = ProposeForm()
    form.rule.choices = [(s.key, str(s.name)) for s in CATALOGUE.values()]
    if not form.is_submitted():
        chosen = request.args.get("rule")
        spec = CATALOGUE.get(chosen) if chosen else None
        if spec is not None:
            form.rule.data = spec.key
            form.value.data = catalogue.typed(spec, tenant.setting(spec.key))
        form.effective_from.data = local_today()
    return form


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    tenant = current_tenant()
    require("rules.view", tenant)
    form = _propose_form(tenant)
    if request.method == "POST":
        require("rules.propose", tenant)
        if form.validate_on_submit():
            try:
                change = services.propose(tenant, current_user, form.rule.data, form.value.data,
                                          form.effective_from.data, form.reason.data)
            except RuleError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                spec = CATALOGUE[change.rule]
                flash(_("The change of %(rule)s is waiting for a second bureau officer's "
                        "approval.", rule=spec.name) if spec.money else
                      _("%(rule)s becomes %(new)s from %(day)s.", rule=spec.name,
                        new=catalogue.words(spec, change.after),
                        day=change.effective_from.isoformat()), "success")
                return redirect(url_for("rules.settings"))
        else:
            flash_form_errors(form)
    chosen = CATALOGUE.get(form.rule.data or "")
    return render_template(
        "rules/settings.html", groups=_by_group(list(CATALOGUE)), tenant=tenant, form=form,
        chosen=chosen, pending=services.pending(tenant), upcoming=services.upcoming(tenant),
        history=services.decided(tenant), catalogue=catalogue, labels=labels,
        may_propose=can("rules.propose", tenant), today=local_today())


def _decided(message: str):
    commit()
    flash(message, "success")
    return redirect(url_for("rules.settings"))


def _refused(exc: RuleError):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(url_for("rules.settings"))


@bp.route("/changes/<int:change_id>/approve", methods=["POST"])
@login_required
def approve(change_id: int):
    change = get_or_404(RuleChange, change_id)
    require("rules.decide", change)
    if (page := confirm.ask("rule.approve", change, url_for("rules.settings"))) is not None:
        return page
    try:
        services.approve(change, current_user)
    except RuleError as exc:
        return _refused(exc)
    spec = CATALOGUE[change.rule]
    return _decided(_("%(rule)s becomes %(new)s from %(day)s.", rule=spec.name,
                      new=catalogue.words(spec, change.after),
                      day=change.effective_from.isoformat()))


@bp.route("/changes/<int:change_id>/reject", methods=["POST"])
@login_required
def reject(change_id: int):
    change = get_or_404(RuleChange, change_id)
    require("rules.decide", change)
    form = RejectForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("rules.settings"))
    if (page := confirm.ask("rule.reject", change, url_for("rules.settings"))) is not None:
        return page
    try:
        services.reject(change, current_user, form.reason.data)
    except RuleError as exc:
        return _refused(exc)
    return _decided(_("The change is rejected; the rule stays as it was."))


@bp.route("/")
def public():
    """资金和激励规则: what is in force, what is coming and what changed, for anyone, printable
    for a notice board with a QR code of this page."""
    import segno

    tenant = current_tenant()
    url = url_for("rules.public", _external=True)
    qr = Markup(segno.make(url, error="m").svg_inline(scale=4, border=2))
    return render_template(
        "rules/public.html", groups=_by_group(PUBLIC_RULES), tenant=tenant,
        upcoming=services.upcoming(tenant), history=services.history(tenant, PUBLIC_RULES),
        catalogue=catalogue, today=local_today(), url=url, qr=qr)
