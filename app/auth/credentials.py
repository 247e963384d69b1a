"""Who is asking: decided once per request, here, before anything else runs.

- ``Authorization: Bearer <token>``: the token's owner, and nothing else. A bad, expired or
  revoked token is 401, never the session instead; a token beside a signed-in session is
  refused (400), so one request cannot mix two people's credentials. A cookie holding no
  sign-in (only a language or a CSRF secret) does not count.
- Otherwise the session cookie, if it names a live sign-in session (``app.auth.sessions``),
  else no one.

Writes made with a session need its CSRF token (Flask-WTF for forms, ``app.api.protect``
for the API); writes made with a token do not, since no browser sends one by itself.
Other ``Authorization`` schemes (a proxy's Basic) are not ours: the session rules apply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from app.auth import services, sessions
from app.auth.models import ApiToken, LoginSession, User
from app.extensions import db, login_manager
from app.intents import page_posted_from

log = logging.getLogger(__name__)

#: Where the session cookie keeps the sign-in session's key.
SESSION_KEY = "_login"
#: flask-login's own keys: kept for its bookkeeping, never trusted on their own.
_FLASK_LOGIN_KEYS = ("_user_id", "_fresh", "_id")

login_manager.login_view = "auth.login"
login_manager.login_message = None
# Sessions are ended on the server (``SESSION_KEY``); flask-login's "strong" protection
# would instead drop any cookie whose network changed (a phone between Wi-Fi and 4G) and
# hide a token sent beside an anonymous cookie.
login_manager.session_protection = None


@dataclass(frozen=True)
class Credentials:
    """The request's user and what vouched for them (a token or a sign-in session), or why
    the request is refused."""

    user: User | None = None
    token: ApiToken | None = None
    login: LoginSession | None = None
    refusal: tuple[int, str] | None = None


def current() -> Credentials:
    """This request's credentials, decided on first use."""
    if "credentials" not in g:
        g.credentials = _decide()
    return g.credentials


def _decide() -> Credentials:
    login = _session_login()
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        if login is not None:
            return Credentials(refusal=(400, _(
                "Send either an API token or a signed-in browser session, not both at once.")))
        token = services.token_for(secret.strip()) if secret.strip() else None
        if token is None:
            g.token_refused = True
            return Credentials(refusal=(401, _(
                "This API token is not valid: it is wrong, has expired or was revoked.")))
        g.credentials_touched = services.touch(token)
        return Credentials(user=token.user, token=token)
    if login is None:
        return Credentials()
    g.credentials_touched = services.touch(login)
    return Credentials(user=login.user, login=login)


def _session_login() -> LoginSession | None:
    key = session.get(SESSION_KEY)
    if key is None:
        return None
    login = sessions.find(key)
    if login is None:  # ended or expired: this cookie is signed out from now on
        for name in (SESSION_KEY, *_FLASK_LOGIN_KEYS):
            session.pop(name, None)
    return login


def authenticate():
    """First before-request function: refuse bad or mixed credentials before any view."""
    if request.endpoint == "static":
        return None
    refusal = current().refusal
    if refusal is None:
        return None
    from app.errors import json_error

    return json_error(*refusal)


@login_manager.user_loader
def _user_from_session(_ident: str) -> User | None:
    return current().user


@login_manager.request_loader
def _user_from_request(_request) -> User | None:
    return current().user


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        from app.errors import json_error

        return json_error(401)
    flash(_("Please sign in first."), "info")
    if request.method in ("GET", "HEAD"):
        back = request.full_path.rstrip("?")
    else:  # after signing in the browser opens ``next``: never a POST-only address
        back = page_posted_from(url_for("tenancy.home") if g.get("tenant")
                                else url_for("core.home"))
    return redirect(url_for("auth.login", next=back))


def _after(response):
    """A read-only call commits nothing, so it commits the "last used" of its token or
    session here (a write commits it with its own work). API 401s name the scheme."""
    if g.pop("credentials_touched", False) and request.method in ("GET", "HEAD", "OPTIONS"):
        try:
            db.session.commit()
        except SQLAlchemyError:  # the database is away: the answer stands, the note waits
            db.session.rollback()
            log.warning("could not record the use of a token or session", exc_info=True)
    if response.status_code == 401 and request.path.startswith("/api/"):
        response.headers.setdefault("WWW-Authenticate", 'Bearer error="invalid_token"'
                                    if g.get("token_refused") else "Bearer")
    return response


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, authenticate)
    app.after_request(_after)
