"""Security headers on every response.

The Content-Security-Policy lets pages load scripts, styles, images and fonts from this
site only, with no inline script or style and no event-handler attributes: text that slips
past escaping still cannot run. Pages keep their script in ``static/js/app.js`` and their
styles in ``static/css/``. A view may set a stricter policy of its own (receipt images
are sandboxed); it is left alone.
"""

from __future__ import annotations

from flask import Flask, Response

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
