"""Sign in, sign out, register, account page."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.auth import services
from app.auth.forms import LoginForm, PasswordForm, RegisterForm, TokenForm
from app.auth.models import ApiToken, Role, User
from app.db_commit import commit
from app.extensions import db, limiter, login_manager
from app.personal import services as consent
from app.tenancy.scoping import current_tenant

bp = Blueprint("auth", __name__, template_folder="templates")
log = logging.getLogger(__name__)

login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
login_manager.login_message = None


@login_manager.user_loader
def load_user(ident: str) -> User | None:
    try:
        user_id, version = (int(part) for part in ident.split(":"))
    except ValueError:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = services.token_for(header[7:].strip())
    if token is None:
        return None
    g.token_auth = True
    g.token_touched = services.touch(token)
    return token.user


@bp.after_app_request
def _keep_token_touch(response):
    """A read-only call commits nothing, so it commits the token's "last used" here
    (a write commits it with its own work)."""
    if g.pop("token_touched", False) and request.method in ("GET", "HEAD", "OPTIONS"):
        try:
            db.session.commit()
        except SQLAlchemyError:  # the database is away: the answer stands, the note waits
            db.session.rollback()
            log.warning("could not record an API token's use", exc_info=True)
    return response


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        from app.errors import json_error

        return json_error(401)
    flash(_("Please sign in first."), "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths; anything else goes to ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _login_key() -> str:
    return "login:" + (request.form.get("account") or "").strip().lower()


def _start_session(user: User, remember: bool = False) -> None:
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation
    if lang:
        session["lang"] = lang
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME (8 hours)
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=_login_key)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.account.data, form.password.data)
        except services.AuthError as exc:
            flash(str(exc), "error")
        else:
            commit()
            _start_session(user, form.remember.data)
            return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/t/<tenant>/register", methods=["GET", "POST"])
def register():
    tenant = current_tenant()
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register_user(form.account.data, form.name.data, form.password.data)
            consent.agree(user)  # the agreement ticked on the form, with its version and time
            services.grant_role(user, tenant.id, Role.RESIDENT)
        except services.AuthError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            _start_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("tenancy.home")))
    return render_template("auth/register.html", form=form, tenant=tenant)


@bp.route("/account", methods=["GET"])
@login_required
def account():
    tokens = db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None))).all()
    return render_template("auth/account.html", password_form=PasswordForm(),
                           token_form=TokenForm(), tokens=tokens,
                           new_token=session.pop("new_token", None),
                           roles=services.roles_held(current_user))


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.old.data, form.new.data)
        except services.AuthError as exc:
            flash(str(exc), "error")
        else:
            commit()
            _start_session(current_user)
            flash(_("Password changed. Other sessions have been signed out."), "success")
    else:
        flash(_("Please fill in both passwords (at least 8 characters)."), "error")
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        session["new_token"] = services.issue_api_token(current_user, form.name.data)
        commit()
        flash(_("Token created. Copy it now: it will not be shown again."), "success")
    return redirect(url_for("auth.account"))
