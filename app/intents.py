"""Acting after signing in (登录后继续): a visitor who starts something that needs an account
(booking a slot, signing up for a shift, rating…) is sent to sign in or register and then
brought back to the page they were on, where that action is offered again, highlighted.

One rule for all of them: the ``next`` of the sign-in and registration pages is always a
page (GET), never the address a form posts to, which would end on "405 not allowed". The
page carries the action as ``?intent=<name>-<id>`` and a matching ``#<name>-<id>`` anchor;
the page marks the element with that id and says "signed in: please confirm".
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request, url_for

PARAM = "intent"
#: What an intent looks like: a word and an id (``slot-12``, ``shift-3``, ``rate-40``).
_SHAPE = re.compile(r"^[a-z]{2,12}-[1-9][0-9]{0,9}$")
_TENANT = re.compile(r"^/t/([a-z0-9][a-z0-9-]{0,62})/")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths; anything else (another site, ``//host``, ``/\\host``,
    a scheme) goes to ``default``."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\t\\"):
        return default
    return target


def with_intent(path: str, intent: str) -> str:
    """``path`` with ``intent`` in its query (replacing any earlier one) and as its anchor."""
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != PARAM]
    query.append((PARAM, intent))
    return urlunsplit(("", "", parts.path, urlencode(query), intent))


def sign_in_url(intent: str, page: str | None = None) -> str:
    """Where a visitor's action button leads: sign in, then back to ``page`` (this one by
    default) with ``intent`` offered again."""
    return url_for("auth.login", next=with_intent(page or request.path, intent))


def wanted() -> str | None:
    """The intent this page was opened with, when it has the expected shape."""
    value = request.args.get(PARAM, "")
    return value if _SHAPE.match(value) else None


def tenant_of(path: str | None) -> str | None:
    """The tenant slug a ``next`` page belongs to (``/t/<slug>/…``), for the register link."""
    match = _TENANT.match(path or "")
    return match.group(1) if match else None


def page_posted_from(default: str) -> str:
    """For a form posted without a session (it expired, or it was never there): the page
    the form was on, from the same-site ``Referer``, else ``default``. Never the POST
    address itself."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path == request.path:
        return default
    return safe_next(urlunsplit(("", "", referrer.path, referrer.query, "")), default)


def init_app(app) -> None:
    app.jinja_env.globals.update(sign_in_url=sign_in_url, wanted_intent=wanted,
                                 with_intent=with_intent)
