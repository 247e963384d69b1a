"""An organization's training and award records."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db_commit import commit
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import can, require
from app.service import honours
from app.service.forms import AwardForm, TrainingForm
from app.service.services import ServiceError
from app.service.views import bp
from app.tenancy.scoping import get_or_404


@bp.route("/org/<int:org_id>/honours", methods=["GET", "POST"])
@login_required
def org_honours(org_id: int):
    org = get_or_404(Organization, org_id)
    require("service.org_records.view", org)
    choices = [(u.id, u.name) for u in honours.volunteers_of(org)]
    training, award = TrainingForm(prefix="t", organizer=org.name), AwardForm(prefix="a",
                                                                              grantor=org.name)
    training.user_id.choices = award.user_id.choices = choices
    if request.method == "POST":
        require("service.record_honours", org)
        form = training if request.form.get("kind") == "training" else award
        if form.validate():
            try:
                if form is training:
                    honours.add_training(org, current_user, form.user_id.data,
                                         name=form.name.data, content=form.content.data,
                                         hours=form.hours.data, organizer=form.organizer.data,
                                         held_on=form.held_on.data)
                else:
                    honours.add_award(org, current_user, form.user_id.data, name=form.name.data,
                                      awarded_on=form.awarded_on.data, grantor=form.grantor.data)
            except ServiceError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("Record saved."), "success")
                return redirect(url_for("service.org_honours", org_id=org.id))
        else:
            flash(_("Please fill in every required field."), "error")
    trainings, awards = honours.of_org(org)
    return render_template("service/honours.html", org=org, training=training, award=award,
                           trainings=trainings, awards=awards,
                           may_record=can("service.record_honours", org))
