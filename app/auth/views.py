"""Sign in, sign out, register; the account page with its sessions and API tokens."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app.auth import credentials, services, sessions
from app.auth.forms import LoginForm, PasswordForm, RegisterForm, TokenForm
from app.auth.models import LoginSession, Role, User
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db, limiter
from app.intents import safe_next, tenant_of
from app.personal import services as consent
from app.tenancy.scoping import current_tenant, tenant_by_slug

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_key() -> str:
    return "login:" + (request.form.get("account") or "").strip().lower()


def _account_key() -> str:
    """Password checks of a signed-in account, counted per account (a borrowed session
    must not be a way to guess the password)."""
    return f"reauth:{current_user.get_id()}"


def _password_checks(view):
    """One budget of password checks per account, shared by every form that asks again."""
    return limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="reauth",
                                methods=["POST"], key_func=_account_key)(view)


def _clear_session() -> None:
    """Empty the session cookie, keeping only the chosen language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def _start_session(user: User) -> None:
    """A fresh cookie (no fixation) naming a new sign-in session on the server."""
    _clear_session()
    session.permanent = True  # the cookie lasts as long as the session may (its lifetime)
    session[credentials.SESSION_KEY] = sessions.begin(user, request.user_agent.string)
    login_user(user)


def _sign_out_here() -> None:
    logout_user()
    _clear_session()


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
            _start_session(user)
            commit()
            return redirect(safe_next(request.args.get("next"), url_for("core.home")))
    return render_template("auth/login.html", form=form, register_url=_register_url())


def _register_url() -> str | None:
    """Registration for the district whose page the visitor is signing in for, keeping
    ``next``: a newcomer who registers instead lands where a sign-in would have."""
    back = safe_next(request.args.get("next"), "")
    slug = tenant_of(back)
    if slug is None or tenant_by_slug(slug) is None:
        return None
    return url_for("auth.register", tenant=slug, next=back)


@bp.route("/logout", methods=["POST"])
def logout():
    if (login := credentials.current().login) is not None:
        sessions.end(login)
        commit()
    _sign_out_here()
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
            _start_session(user)
            commit()
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(safe_next(request.args.get("next"), url_for("tenancy.home")))
    return render_template("auth/register.html", form=form, tenant=tenant,
                           back=safe_next(request.args.get("next"), ""))


@bp.route("/account", methods=["GET"])
@login_required
def account():
    idle, lifetime = sessions.limits()
    return render_template("auth/account.html", password_form=PasswordForm(),
                           token_form=TokenForm(), tokens=services.tokens_of(current_user),
                           sessions=sessions.live(current_user), this=credentials.current().login,
                           idle_minutes=int(idle.total_seconds() // 60),
                           lifetime_hours=f"{lifetime.total_seconds() / 3600:g}",
                           now=utcnow(), new_token=session.pop("new_token", None),
                           roles=services.roles_held(current_user),
                           api=services.may_hold_tokens(current_user))


@bp.route("/account/password", methods=["POST"])
@login_required
@_password_checks
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.old.data, form.new.data)
        except services.AuthError as exc:
            flash(str(exc), "error")
        else:
            _start_session(current_user)
            commit()
            flash(_("Password changed. You have been signed out on every other device, and "
                    "your API tokens have been revoked."), "success")
    else:
        flash(_("Please fill in both passwords (at least 8 characters)."), "error")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    sessions.end_all(current_user)
    commit()
    _sign_out_here()
    flash(_("You have been signed out on every device, this one included."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    row = db.session.scalar(select(LoginSession).where(
        LoginSession.id == session_id, LoginSession.user_id == current_user.id,
        LoginSession.ended_at.is_(None)))
    if row is None:
        abort(404)
    sessions.end(row)
    commit()
    if row is credentials.current().login:
        _sign_out_here()
        flash(_("You have signed out."), "info")
        return redirect(url_for("auth.login"))
    flash(_("That device has been signed out."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
@_password_checks
def create_token():
    if not services.may_hold_tokens(current_user):
        abort(403)
    form = TokenForm()
    if form.validate_on_submit():
        try:
            services.check_current_password(current_user, form.password.data)
            secret = services.issue_api_token(current_user, form.name.data, form.days.data)
        except services.AuthError as exc:
            flash(str(exc), "error")
        else:
            session["new_token"] = secret
            commit()
            flash(_("Token created. Copy it now: it will not be shown again."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = services.own_token(current_user, token_id)
    if token is None:
        abort(404)
    services.revoke_token(token)
    commit()
    flash(_("Token “%(name)s” revoked: it no longer works.", name=token.name), "success")
    return redirect(url_for("auth.account"))


from app.auth import claim_views  # noqa: E402,F401  (its routes are on this blueprint)
