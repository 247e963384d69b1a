"""The stop link in a notice's text message or email (退订): it names the person and the
district, signed with the app's key, so it works without signing in and only in the district
that sent it. Short, because a text message is."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

SIGNATURE_CHARS = 16


def _signature(tenant_id: int, user_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"notice-stop|{tenant_id}|{user_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def make(tenant_id: int, user_id: int) -> str:
    return f"{user_id}.{_signature(tenant_id, user_id)}"


def read(tenant_id: int, token: str) -> int | None:
    """The person a token names, if it was signed for this district; else None."""
    user_part, _, signature = (token or "").partition(".")
    if not (user_part.isdigit() and len(user_part) <= 10 and len(signature) == SIGNATURE_CHARS):
        return None
    user_id = int(user_part)
    if not hmac.compare_digest(signature, _signature(tenant_id, user_id)):
        return None
    return user_id
