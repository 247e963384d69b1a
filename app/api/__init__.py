"""``/api/v1``: JSON for integrations and tests, documented at ``/api/v1/openapi.json``.

Authentication (decided in ``app.auth.credentials``): ``Authorization: Bearer <token>``
(tokens from the account page), or the browser session, never both; unsafe requests made
with a session must carry the ``X-CSRFToken`` header. Permission checks are the same
``can()`` as the pages.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_smorest import Blueprint

from app.extensions import csrf
from app.inbound import parser

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = parser  # reads the body the request parsed once, with limits


def api_blueprint(name: str, import_name: str, url_prefix: str, description: str) -> Blueprint:
    """A flask-smorest blueprint under /api/v1, exempt from form CSRF (see ``protect``)."""
    blp = _Blueprint(name, import_name, url_prefix="/api/v1" + url_prefix, description=description)
    csrf.exempt(blp)
    return blp


def protect() -> None:
    """API writes need the CSRF header unless a valid token made them (a browser never
    sends a token by itself; it sends cookies)."""
    from app.auth import credentials

    if not request.path.startswith("/api/") or request.method in SAFE_METHODS:
        return
    if credentials.current().token is not None:
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):  # as for forms (tests turn it off)
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    from app.extensions import api

    app.before_request(protect)

    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "API token"})
    api.spec.options["security"] = [{"bearerAuth": []}, {}]
