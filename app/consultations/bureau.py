"""The bureau's consultation pages: open one for a community (first the community, then its
unmet needs and the proposed projects as options), end the voting, enter paper and meeting
votes, publish the result."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.consultations import services
from app.consultations.forms import OpenForm, TallyForm
from app.consultations.models import Consultation
from app.consultations.services import ConsultationError
from app.consultations.views import _back, act, bp
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.funding.services import end_of_day
from app.parsing import SHANGHAI, local_today
from app.permissions import require
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped


def communities() -> list[Area]:
    """The areas a consultation is held in: communities (社区)."""
    return list(db.session.scalars(scoped(Area, Area.level == "社区").order_by(Area.path)))


def _start_of_day(day) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    tenant = current_tenant()
    require("consultation.manage", tenant)
    form = OpenForm()
    choices = communities()
    form.area_id.choices = [(a.id, a.name) for a in choices]
    area_id = form.area_id.data if request.method == "POST" else request.args.get(
        "area_id", type=int)
    area = get_or_404(Area, area_id) if area_id else None
    needs = services.candidate_needs(area) if area is not None else []
    form.need_ids.choices = [(n.id, f"{n.what}（{n.category} · {n.area.name}）") for n in needs]
    if request.method == "GET":
        form.area_id.data = area.id if area else None
        form.opens_on.data = local_today()
    elif area is not None and form.validate_on_submit():
        try:
            consultation = services.open_consultation(
                tenant, current_user, area=area, title=form.title.data,
                description=form.description.data,
                opens_at=_start_of_day(form.opens_on.data),
                closes_at=end_of_day(form.closes_on.data), need_ids=form.need_ids.data or [],
                proposals=(form.proposals.data or "").splitlines())
        except ConsultationError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("The consultation is open. Residents of %(name)s on the roll can vote now.",
                    name=area.name), "success")
            return redirect(_back(consultation))
    elif form.is_submitted():
        form.validate()
        flash_form_errors(form)
    return render_template("consultations/new.html", form=form, area=area,
                           communities=choices), 422 if form.is_submitted() else 200


@bp.route("/<int:consultation_id>/close", methods=["POST"])
@login_required
def close(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.manage", consultation)
    if (page := confirm.ask("consultation.close", consultation, _back(consultation))) is not None:
        return page
    return act(consultation, lambda: services.close(consultation, current_user),
               _("Voting has ended. Enter any paper or meeting votes, then publish the result."))


@bp.route("/<int:consultation_id>/tally", methods=["POST"])
@login_required
def tally(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.manage", consultation)
    form = TallyForm()
    form.option_id.choices = [(o.id, o.title) for o in consultation.options]
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(consultation) + "#tally")
    return act(consultation, lambda: services.enter_tally(
        consultation, current_user, option_id=form.option_id.data, source=form.source.data,
        held_on=form.held_on.data, votes=form.votes.data, note=form.note.data),
        _("The votes are entered, recorded with their source and your name."))


@bp.route("/<int:consultation_id>/publish", methods=["POST"])
@login_required
def publish(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.manage", consultation)
    if (page := confirm.ask("consultation.publish", consultation,
                            _back(consultation))) is not None:
        return page
    done = act(consultation, lambda: services.publish(consultation, current_user),
               _("The result is published."))
    if consultation.published:
        return redirect(url_for("consultations.result", consultation_id=consultation.id))
    return done

