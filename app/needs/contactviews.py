"""The resident and the volunteer of a wish taken on in person reach each other: each lets
the other see their mobile number (after saying yes), or stops. Only those two may."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app import confirm
from app.db_commit import commit
from app.extensions import db
from app.needs import contact
from app.needs.models import Need
from app.needs.services import NeedError
from app.needs.views import bp
from app.permissions import require
from app.tenancy.scoping import get_or_404


def _load(need_id: int) -> Need:
    need = get_or_404(Need, need_id)
    require("need.contact", need)
    if not FlaskForm().validate_on_submit():
        abort(400)
    return need


@bp.route("/<int:need_id>/contact/share", methods=["POST"])
@login_required
def share_phone(need_id: int):
    need = _load(need_id)
    back = url_for("needs.show", need_id=need.id)
    if (page := confirm.ask("need.share_phone", need, back)) is not None:
        return page
    try:
        which = contact.share(need, current_user)
    except NeedError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    commit()
    flash(_("The volunteer can now see your mobile number and call you.")
          if which == contact.RESIDENT else
          _("The resident can now see your mobile number and call you."), "success")
    return redirect(back)


@bp.route("/<int:need_id>/contact/stop", methods=["POST"])
@login_required
def stop_sharing(need_id: int):
    need = _load(need_id)
    contact.withdraw(need, current_user)
    commit()
    flash(_("Your mobile number is no longer shown."), "success")
    return redirect(url_for("needs.show", need_id=need.id))
