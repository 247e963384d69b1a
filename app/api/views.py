"""Plain (non-OpenAPI) API plumbing: the CSRF rule for session-authenticated writes."""

from __future__ import annotations

from flask import Blueprint

from app.api import protect

bp = Blueprint("api_plumbing", __name__)
bp.before_app_request(protect)
