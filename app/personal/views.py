"""The user agreement and privacy notice, the person's own data, and closing the account."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.db import utcnow
from app.db_commit import commit
from app.extensions import db
from app.personal import data, feed, services
from app.personal.forms import CloseForm
from app.personal.models import DOCUMENTS

bp = Blueprint("personal", __name__, template_folder="templates")

NO_STORE = {"Cache-Control": "no-store"}


@bp.app_template_global("personal_consents")
def personal_consents() -> list:
    """The signed-in person's consents, for the account page's privacy section."""
    return services.consents_of(current_user) if current_user.is_authenticated else []


@bp.app_template_global("personal_calendar")
def personal_calendar() -> dict:
    """The signed-in person's calendar feed, for the account page: whether they have one,
    and its address just after it was made (shown this once: only its hash is kept)."""
    secret = session.pop("new_calendar", None)
    return {"feed": feed.feed_of(current_user) if current_user.is_authenticated else None,
            "url": url_for("personal.calendar_feed", secret=secret, _external=True)
            if secret else None}


@bp.route("/terms")
def terms():
    return render_template("personal/terms.html", version=DOCUMENTS["terms"])


@bp.route("/privacy")
def privacy():
    return render_template("personal/privacy.html", version=DOCUMENTS["privacy"])


@bp.route("/account/my-data")
@login_required
def my_data():
    return render_template("personal/my_data.html", sections=data.collect(current_user),
                           consents=services.consents_of(current_user))


def _download(body: bytes, mimetype: str, suffix: str) -> Response:
    name = f"my-data-{utcnow():%Y%m%d}.{suffix}"
    return Response(body, mimetype=mimetype, headers={
        **NO_STORE, "Content-Disposition": f"attachment; filename={name}"})


@bp.route("/account/my-data.json")
@login_required
def my_data_json():
    body = json.dumps(data.as_json(data.collect(current_user)), ensure_ascii=False, indent=1)
    return _download(body.encode(), "application/json", "json")


@bp.route("/account/my-data.xlsx")
@login_required
def my_data_xlsx():
    return _download(data.as_xlsx(data.collect(current_user)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@bp.route("/account/close", methods=["GET", "POST"])
@login_required
def close():
    form = CloseForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.password.data):
            flash(_("The current password is wrong."), "error")
        else:
            try:
                services.close_account(current_user)
            except services.PersonalError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                logout_user()
                session.clear()
                flash(_("Your account is closed and your consent withdrawn. Thank you for taking part."),
                      "success")
                return redirect(url_for("core.home"))
    return render_template("personal/close.html", form=form), 200 if not form.errors else 400


@bp.route("/account/calendar", methods=["POST"])
@login_required
def new_calendar():
    """Make the calendar address, or a new one in place of the old (which stops working)."""
    had = feed.feed_of(current_user) is not None
    session["new_calendar"] = feed.issue(current_user)
    commit()
    flash(_("A new calendar address is made; the old one no longer works.") if had else
          _("Your calendar address is made. Copy it now into your calendar app."), "success")
    return redirect(url_for("auth.account", _anchor="calendar"))


@bp.route("/account/calendar/stop", methods=["POST"])
@login_required
def stop_calendar():
    feed.stop(current_user)
    commit()
    flash(_("Your calendar address no longer works."), "success")
    return redirect(url_for("auth.account", _anchor="calendar"))


@bp.route("/calendar/<secret>.ics")
def calendar_feed(secret: str):
    """The person's shifts and bookings, for calendar apps (no sign-in: the address is the
    key). A wrong or replaced address is 404."""
    person = feed.owner(secret)
    if person is None:
        abort(404)
    body = feed.ics(person, request.host, request.host_url.rstrip("/"),
                    name=_("Gongzhi · my calendar"), waitlist_word=_("(waitlist) "))
    return Response(body, mimetype="text/calendar", headers={
        **NO_STORE, "Content-Disposition": "inline; filename=gongzhi.ics"})
