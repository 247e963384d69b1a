"""The bureau starts a call for proposals (申报通知) from a cluster of unmet needs: the needs of
one category in an area (and target group), the call drafted from them, a confirmation step,
then the published call with the needs linked to it."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.funding.models import Fund
from app.funding.services import FundingError, parse_amount
from app.money import format_fen
from app.needs import calls
from app.needs.forms import StartCallForm
from app.needs.services import NeedError
from app.needs.views import bp
from app.parsing import local_today
from app.permissions import require
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped


def _cluster_args(tenant) -> tuple[Area, str, str]:
    area_id = request.values.get("area_id", type=int)
    if area_id is None:
        abort(404)
    area = get_or_404(Area, area_id)
    category = request.values.get("category") or ""
    group = request.values.get("group") or ""
    if category not in tenant.setting("service_categories") or (
            group and group not in tenant.setting("target_groups")):
        abort(404)
    return area, category, group


def _form(tenant, needs) -> StartCallForm:
    form = StartCallForm()
    funds = db.session.scalars(scoped(Fund).order_by(Fund.fiscal_year.desc(), Fund.id.desc()))
    form.fund_id.choices = [(f.id, _("%(fund)s (%(amount)s left to commit)", fund=f.name,
                                      amount=format_fen(f.uncommitted_fen)))
                            for f in funds if f.uncommitted_fen > 0]
    form.category.choices = [(c, c) for c in tenant.setting("service_categories")]
    form.need_ids.choices = [(n.id, f"{n.what}（{n.area.name} · {n.target_group}）")
                             for n in needs]
    return form


@bp.route("/call", methods=["GET", "POST"])
@login_required
def start_call():
    tenant = current_tenant()
    require("need.start_call", tenant)
    area, category, group = _cluster_args(tenant)
    needs = list(db.session.scalars(calls.cluster(tenant, area, category, group)))
    form = _form(tenant, needs)
    back = url_for("needs.start_call", area_id=area.id, category=category, group=group)
    if request.method == "GET":
        written = calls.draft(area, category, group, needs)
        form.need_ids.data = [n.id for n in needs]
        form.title.data, form.description.data = written.title, written.description
        form.category.data = category
        form.deadline.data = local_today() + timedelta(days=30)
    elif form.validate_on_submit():
        chosen = [n for n in needs if n.id in set(form.need_ids.data or [])]
        try:
            ceiling = parse_amount(form.ceiling.data)
        except FundingError as exc:
            form.ceiling.errors.append(str(exc))
        else:
            fund = get_or_404(Fund, form.fund_id.data)
            require("funding.manage", fund)
            asked = {"title": form.title.data, "ceiling": format_fen(ceiling),
                     "deadline": form.deadline.data.isoformat(), "count": len(chosen)}
            if (page := confirm.ask("need.start_call", asked, back)) is not None:
                return page
            try:
                call = calls.start_call(fund, current_user, chosen, title=form.title.data,
                                        category=form.category.data,
                                        description=form.description.data,
                                        ceiling_fen=ceiling, deadline=form.deadline.data)
            except (NeedError, FundingError) as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("The call is published, and %(n)s needs are linked to it.",
                        n=len(chosen)), "success")
                return redirect(url_for("funding.call_applications", call_id=call.id))
    else:
        flash_form_errors(form)
    return render_template("needs/call.html", form=form, area=area, category=category,
                           group=group, needs=needs, has_funds=bool(form.fund_id.choices))
