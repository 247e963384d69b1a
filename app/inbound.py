"""What a request brings in, read once and checked before any of it is used.

One place for the rules: the body's size is checked on its Content-Length before it is
read; a JSON body is parsed once, with limits (size, depth, number of values, one value
per key), and every view and schema gets that parse; and every text that comes in (path,
query, form fields and file names, JSON keys and values) must be text that
PostgreSQL, Excel and XML can hold. Whatever breaks a rule is refused with a 4xx and a
message, in the API's error shape for ``/api/``.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, current_app, request
from flask import Request as FlaskRequest
from flask_babel import gettext as _
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.wsgi import ClosingIterator

from app.errors import BadInput, TooLarge, UnsupportedBody
from app.jsontext import nested_deeper_than

#: Levels of arrays and objects a JSON body may nest (the API's bodies use three or four).
MAX_DEPTH = 32
#: Values (strings, numbers, arrays, objects…) a JSON body may hold.
MAX_VALUES = 10_000
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: Control characters no one types, which PostgreSQL (NUL), Excel and XML cannot store.
#: Tab, line feed and carriage return are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Not text at all: lone surrogates (half of a pair, e.g. from a ``\ud800`` JSON escape or a
#: command-line argument that was not UTF-8), which no UTF-8 database or file can hold, and
#: the noncharacters U+FFFE and U+FFFF, which XML refuses.
_NOT_TEXT = re.compile("[\ud800-\udfff\ufffe\uffff]")


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored, in words for the person who sent it; None when it can."""
    if _CONTROL.search(text):
        return _("The text contains invisible control characters. "
                 "Please remove them and try again.")
    if _NOT_TEXT.search(text):
        return _("The text contains characters that are not valid text (such as half of an "
                 "emoji). Please type it again.")
    return None


def refuse_unstorable(texts: Iterable[str]) -> None:
    for text in texts:
        if problem := text_problem(text):
            raise BadInput(problem)


# -- JSON ---------------------------------------------------------------------------------

class DuplicateKey(ValueError):
    """An object names a key twice (parsers disagree on which value counts)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        raise DuplicateKey("duplicate key")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _strings(value: Any, limit: int) -> Iterator[str]:
    """Every key and string in ``value``, walked without recursion; refuses more than
    ``limit`` values."""
    stack, seen = [value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > limit:
            raise BadInput(_("The request holds too many values (at most %(limit)s).",
                             limit=limit))
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json_body(data: bytes) -> Any:
    """The JSON body, parsed once with limits. Raises ValueError when it is not JSON (the
    request turns that into a 400), or the HTTP error of a broken limit."""
    text = data.decode("utf-8")  # UnicodeDecodeError is a ValueError: not UTF-8
    if nested_deeper_than(text, MAX_DEPTH):  # found before parsing: the parser recurses
        raise BadInput(_("The request is nested too deeply (at most %(limit)s levels).",
                         limit=MAX_DEPTH))
    value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    refuse_unstorable(_strings(value, MAX_VALUES))
    return value


class _BodyJSON:
    """What ``request.get_json()`` parses with."""

    loads = staticmethod(parse_json_body)


class Request(FlaskRequest):
    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        # Flask gives each request the app's JSON provider; a body is read with limits.
        self.json_module = _BodyJSON
        return super().get_json(force=force, silent=silent, cache=cache)

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise _not_json_type()
        if isinstance(e, UnicodeDecodeError):
            raise BadInput(_("The request body is not valid UTF-8 text."))
        if isinstance(e, DuplicateKey):
            raise BadInput(_("The request body names the same field twice."))
        raise BadInput(_("The request body is not valid JSON."))


class Parser(FlaskParser):
    """The API schemas' parser: reads the body the request already parsed (and checked)."""

    def _raw_load_json(self, req):
        return req.get_json() if is_json_request(req) else core.missing


parser = Parser()


# -- the request ----------------------------------------------------------------------------

def _too_large(limit: int) -> TooLarge:
    return TooLarge(_("The request is too large (at most %(size)s MB).",
                      size=max(1, limit // (1024 * 1024))))


def _not_json_type() -> UnsupportedBody:
    return UnsupportedBody(_("Send the request body as JSON, with the header "
                             "Content-Type: application/json."))


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def _body_texts() -> list[str]:
    if request.is_json:
        limit = current_app.config["MAX_JSON_BYTES"]
        if (request.content_length or 0) > limit:
            raise _too_large(limit)
        # A chunked body has no length to check first: read one byte past the limit to know.
        request.max_content_length = min(limit + 1, request.max_content_length or limit + 1)
        if len(request.get_data()) > limit:
            raise _too_large(limit)
        request.get_json()  # parsed, limited and its text checked, once
        return []
    if request.mimetype in FORM_TYPES:
        texts = [t for key, values in request.form.lists() for t in (key, *values)]
        return texts + [f.filename or "" for f in request.files.values()]
    if _has_body() and request.path.startswith("/api/"):
        raise _not_json_type()
    return []


def check_request(endpoint=None, values=None) -> None:
    """Refuse what breaks a rule, before any of it is used (this runs before the URL's
    values are looked up)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise _too_large(limit)
    texts = [request.path]  # (werkzeug keeps a host with characters a host cannot have out)
    texts += [t for key, values in request.args.lists() for t in (key, *values)]
    if request.method in UNSAFE_METHODS:
        texts += _body_texts()
    refuse_unstorable(texts)


# -- the connection --------------------------------------------------------------------------

#: After answering, what is left of a request body is read and dropped (up to this much, for
#: at most this long) before the connection closes: a client that sends its whole body
#: before reading (most do) then hears the answer, a 413 included, instead of a reset.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 10.0


def drain(environ: dict) -> None:
    # Only where the server ends the stream with the body (gunicorn does); elsewhere a read
    # past the body would wait for bytes that never come.
    if not environ.get("wsgi.input_terminated"):
        return
    stream, left = environ["wsgi.input"], DRAIN_BYTES
    deadline = time.monotonic() + DRAIN_SECONDS
    while left > 0 and time.monotonic() < deadline:
        try:
            chunk = stream.read(min(left, 64 * 1024))
        except OSError:  # the client went away: nothing left to hear the answer
            return
        if not chunk:
            return
        left -= len(chunk)


class DrainAfterAnswer:
    """WSGI middleware: ``drain`` once the answer has been sent."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        answer = self.wsgi_app(environ, start_response)
        if environ.get("CONTENT_LENGTH", "0") in ("", "0") and "chunked" not in environ.get(
                "HTTP_TRANSFER_ENCODING", "").lower():
            return answer  # no body (as downloads): the server may still send files its own way
        return ClosingIterator(answer, lambda: drain(environ))


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.url_value_preprocessors.setdefault(None, []).insert(0, check_request)
    app.wsgi_app = DrainAfterAnswer(app.wsgi_app)
