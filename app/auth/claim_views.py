"""First sign-in of an imported account (第一次登录 / 领取账号): mobile and ID number, then
the code sent by text message and a new password (``app.auth.claims``). Throttled as the
sign-in is, per address and per mobile number."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from app.auth import claims
from app.auth.forms import ClaimCodeForm, ClaimStartForm
from app.auth.services import AuthError
from app.auth.views import _start_session, bp
from app.db_commit import commit
from app.extensions import limiter
from app.privacy import mask_phone

SESSION_PHONE = "claim_phone"


def _limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _start_key() -> str:
    return "claim:" + "".join((request.form.get("phone") or "").split())


def _code_key() -> str:
    return "claim:" + (session.get(SESSION_PHONE) or "")


@bp.route("/claim", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_start_key)
def claim_start():
    form = ClaimStartForm()
    if form.validate_on_submit():
        try:
            phone = claims.mobile(form.phone.data)
            id_no = claims.id_number(form.id_number.data)
        except AuthError as exc:
            flash(str(exc), "error")
        else:
            claims.request_code(phone, id_no)
            commit()
            session[SESSION_PHONE] = phone
            return redirect(url_for("auth.claim_code"))
    return render_template("auth/claim_start.html", form=form)


@bp.route("/claim/code", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_code_key)
def claim_code():
    phone = session.get(SESSION_PHONE)
    if not phone:
        return redirect(url_for("auth.claim_start"))
    form = ClaimCodeForm()
    if form.validate_on_submit():
        try:
            user = claims.claim(phone, form.code.data, form.password.data)
        except AuthError as exc:
            commit()  # a wrong try counts against the code
            flash(str(exc), "error")
        else:
            _start_session(user)
            commit()
            flash(_("Your password is set and you are signed in. Next time, sign in with your "
                    "mobile number and this password."), "success")
            return redirect(url_for("core.home"))
    return render_template("auth/claim_code.html", form=form, phone=mask_phone(phone),
                           minutes=claims.CLAIM_MINUTES)
