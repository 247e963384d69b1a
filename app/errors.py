"""Error pages in the user's language, and JSON errors of one stable shape for the API.

API error body: ``{"code": 404, "status": "Not Found", "message": "..."}`` (plus
``"errors"`` with field messages on 422), the shape flask-smorest uses too.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, flash, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)


class _Explained:
    """An HTTP error whose description is a message for the person who sent the request."""


class BadInput(_Explained, BadRequest):
    """Bad input, with a message for the person who sent it."""


class TooLarge(_Explained, RequestEntityTooLarge):
    """A request over a size limit, with a message that names the limit."""


class UnsupportedBody(_Explained, UnsupportedMediaType):
    """A body of a kind this address does not read, with a message that says which it does."""


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in first."),
        403: _("You do not have permission to do this."),
        404: _("The page or item you asked for does not exist."),
        405: _("This action is not allowed here."),
        409: _("This conflicts with the current state. Please reload and try again."),
        413: _("The file is too large."),
        415: _("This kind of request body is not accepted here."),
        422: _("Some of the data is not valid."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on our side. Nothing was saved; please try again."),
        503: _("The service is busy. Please try again shortly."),
    }


def _headings() -> dict[int, str]:
    return {
        403: _("No permission"),
        404: _("Page not found"),
        405: _("Not allowed here"),
        429: _("Please wait a moment"),
        500: _("Something went wrong"),
        503: _("Busy right now"),
    }


def _in_tenant_frame() -> None:
    """An error under ``/t/<tenant>/`` is shown in that tenant's frame (its name, menu and
    links), also when no route matched (404, 405) and so no view bound the tenant."""
    from flask import g

    if g.get("tenant") is not None:
        return
    parts = request.path.split("/")
    if len(parts) > 2 and parts[1] == "t" and parts[2]:
        from app.tenancy.scoping import tenant_by_slug

        with contextlib.suppress(Exception):  # an error page must not fail in turn
            tenant = tenant_by_slug(parts[2])
            if tenant is not None:
                g.tenant, g.tenant_id = tenant, tenant.id


def error_page(code: int, message: str):
    """The error page, in the user's language and the tenant's frame."""
    _in_tenant_frame()
    heading = _headings().get(code, _("Something is not right"))
    return render_template("errors/page.html", code=code, heading=heading,
                           message=message), code


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def json_error(code: int, message: str | None = None, errors: dict | None = None):
    from werkzeug.http import HTTP_STATUS_CODES

    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"),
            "message": message or _messages().get(code, "")}
    if errors:
        body["errors"] = errors
    return jsonify(body), code


def _handle_http(exc: HTTPException):
    code = exc.code or 500
    message = exc.description if isinstance(exc, _Explained) else _messages().get(code, exc.description)
    if wants_json():
        # webargs/flask-smorest put the field messages of a 422 in ``exc.data["messages"]``.
        errors = (getattr(exc, "data", None) or {}).get("messages")
        return json_error(code, message, errors)
    return error_page(code, message)


def flash_form_errors(form) -> None:
    """A refused form's messages, flashed for the page it redirects to."""
    for errors in form.errors.values():
        for message in errors:
            flash(message, "error")


def _handle_csrf(exc: CSRFError):
    message = _("This form has expired or was not sent from this site. Please reload the page and try again.")
    if wants_json():
        return json_error(400, message)
    return error_page(400, message)


def _handle_unexpected(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    from app.extensions import db

    db.session.rollback()
    return _handle_http(InternalServerError())


def _handle_out_of_range(exc: Exception):
    """A number too large for its column (``9223372036854775808`` as an id) is bad input."""
    from app.extensions import db

    db.session.rollback()
    message = _messages()[422]
    if wants_json():
        return json_error(422, message)
    return error_page(422, message)


def _statement_handler(unexpected):
    """A value no column can hold (a datetime of year 1 in Beijing time is before year 1 in
    UTC) fails while the statement binds it, wrapped in a ``StatementError``: bad input, as an
    ``OverflowError`` anywhere else is. Any other such error stays unexpected."""
    def handle(exc):
        if isinstance(exc.orig, OverflowError):
            return _handle_out_of_range(exc)
        return unexpected(exc)

    return handle


def _handle_integrity(exc: Exception):
    """A write the database refused. A duplicate on a unique constraint means a concurrent
    request got there first (the services ``claim`` their writes to say so in their own
    words; this answers for any other): nothing was saved, and reloading shows why. Any
    other integrity error is a fault like any other."""
    from app.db_unique import violated_unique
    from app.extensions import db

    constraint = violated_unique(exc)
    if constraint is None:
        return _unexpected(exc)
    log.warning("conflict on %s %s: %s", request.method, request.path, constraint)
    db.session.rollback()
    message = _messages()[409]
    if wants_json():
        return json_error(409, message)
    return error_page(409, message)


def _handle_database_unavailable(exc: Exception):
    """The database is restarting or unreachable: nothing was saved, and retrying is safe."""
    from app.extensions import db

    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                type(exc).__name__)
    with contextlib.suppress(Exception):  # the connection is gone; the pool replaces it
        db.session.rollback()
    message = _messages()[503]
    if wants_json():
        response, code = json_error(503, message)
    else:
        response, code = error_page(503, message)
    return response, code, {"Retry-After": "5"}


def init_app(app: Flask) -> None:
    from sqlalchemy.exc import DataError, IntegrityError, OperationalError, StatementError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    app.register_error_handler(OperationalError, _handle_database_unavailable)
    app.register_error_handler(PoolTimeout, _handle_database_unavailable)
    app.register_error_handler(OverflowError, _handle_out_of_range)
    app.register_error_handler(DataError, _handle_out_of_range)
    app.register_error_handler(IntegrityError, _handle_integrity)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _unexpected)
    app.register_error_handler(StatementError, _statement_handler(_unexpected))


def _unexpected(exc: Exception):
    # Tests see the real exception (PROPAGATE_EXCEPTIONS) unless they opt into the page.
    from flask import current_app

    if current_app.testing and not current_app.config.get("SHOW_500_IN_TESTS"):
        raise exc
    return _handle_unexpected(exc)
