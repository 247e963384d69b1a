"""Consultation pages: the list (a resident's community, or every one for the bureau), a
consultation with the ballot and comments, the vote and the comment, and the public result.
The bureau's pages (open, end, enter paper and meeting votes, publish) are in ``bureau.py``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import confirm
from app.consultations import labels, services
from app.consultations.forms import CommentForm, TallyForm, VoteForm
from app.consultations.models import Consultation, ConsultationStatus, ConsultationVote
from app.consultations.services import ConsultationError
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.parsing import local_today
from app.permissions import OVERSIGHT, can, require
from app.privacy import mask_name
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("consultations", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/consultations")


@bp.route("/")
@login_required
def index():
    tenant = current_tenant()
    require("consultation.list.view", tenant)
    oversee = current_user.has_role(tenant.id, *OVERSIGHT)
    if oversee:
        rows = db.session.scalars(scoped(Consultation).order_by(
            Consultation.opens_at.desc(), Consultation.id.desc()).limit(200)).all()
    else:
        rows = db.session.scalars(services.for_resident(current_user, tenant).limit(200)).all()
    voted = set(db.session.scalars(select(ConsultationVote.consultation_id).where(
        ConsultationVote.user_id == current_user.id, ConsultationVote.tenant_id == tenant.id)))
    return render_template("consultations/index.html", consultations=rows, oversee=oversee,
                           voted=voted, home=services.residence(current_user, tenant.id),
                           labels=labels, now=utcnow())


def _back(consultation: Consultation) -> str:
    return url_for("consultations.show", consultation_id=consultation.id)


def act(consultation: Consultation, action, message: str):
    """Do ``action``, commit and say ``message``; or roll back and say why not."""
    try:
        action()
    except ConsultationError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(_back(consultation))
    commit()
    flash(message, "success")
    return redirect(_back(consultation))


@bp.route("/<int:consultation_id>")
@login_required
def show(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.view", consultation)
    now = utcnow()
    vote_form = VoteForm()
    vote_form.option_id.choices = [(o.id, o.title) for o in consultation.options]
    manage = can("consultation.manage", consultation)
    tally_form = None
    if manage and not consultation.published:
        tally_form = TallyForm()
        tally_form.option_id.choices = [(o.id, o.title) for o in consultation.options]
        tally_form.held_on.data = local_today()
    counted = consultation.status != ConsultationStatus.OPEN
    return render_template(
        "consultations/show.html", c=consultation, labels=labels, now=now,
        take_part=can("consultation.take_part", consultation), manage=manage,
        mine=services.my_vote(consultation, current_user), vote_form=vote_form,
        comment_form=CommentForm(), tally_form=tally_form,
        comments=services.comments(consultation), turnout=services.turnout(consultation),
        eligible=services.eligible_count(consultation),
        counts=services.results(consultation) if counted and manage else None,
        tallies=services.tallies(consultation) if manage else [])


@bp.route("/<int:consultation_id>/vote", methods=["POST"])
@login_required
def vote(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.take_part", consultation)
    form = VoteForm()
    form.option_id.choices = [(o.id, o.title) for o in consultation.options]
    if not form.validate_on_submit():
        flash(_("Choose one of the options, then cast your vote."), "error")
        return redirect(_back(consultation))
    option = next(o for o in consultation.options if o.id == form.option_id.data)
    if (page := confirm.ask("consultation.vote", option, _back(consultation))) is not None:
        return page
    return act(consultation, lambda: services.vote(consultation, current_user,
                                                   form.option_id.data),
               _("Thank you: your vote is counted."))


@bp.route("/<int:consultation_id>/comment", methods=["POST"])
@login_required
def comment(consultation_id: int):
    consultation = get_or_404(Consultation, consultation_id)
    require("consultation.take_part", consultation)
    form = CommentForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(_back(consultation))
    return act(consultation, lambda: services.comment(consultation, current_user,
                                                      form.body.data),
               _("Your comment is posted."))


@bp.route("/results")
def results():
    """Published results of the district's consultations: public."""
    rows = db.session.scalars(scoped(Consultation, Consultation.status ==
                                     ConsultationStatus.PUBLISHED)
                              .order_by(Consultation.published_at.desc()).limit(200)).all()
    return render_template("consultations/results.html", consultations=rows)


@bp.route("/<int:consultation_id>/result")
def result(consultation_id: int):
    """The published result with its counts, for anyone; the comments with names masked."""
    consultation = get_or_404(Consultation, consultation_id)
    if not consultation.published:
        abort(404)
    from app.funding.models import Call

    calls = db.session.scalars(scoped(Call, Call.consultation_id == consultation.id)
                               .order_by(Call.id)).all()
    said = [(mask_name(c.user.name), c.body, c.created_at)
            for c in services.comments(consultation)]
    return render_template("consultations/result.html", c=consultation, labels=labels,
                           counts=services.results(consultation),
                           turnout=services.turnout(consultation),
                           eligible=services.eligible_count(consultation),
                           tallies=services.tallies(consultation), comments=said, calls=calls)


from app.consultations import bureau  # noqa: E402,F401  (the bureau's routes on ``bp``)
