"""Rotating codes (轮换二维码): what staff show on a screen at a volunteer shift or a service
slot, and what the phone that scans it brings back.

A code is a token signed with the app secret (itsdangerous), under a salt of its own for each
kind of place: the tenant, the place, a purpose and the 30-second window it was made in. It is
accepted in its own window and the next one, so a code works for 30–60 seconds; a photo of an
older code does not. ``ref`` (a SHA-256 of the token) lets a record remember the code that made
it, so the same code never acts twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import segno
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from app.db import utcnow

WINDOW_SECONDS = 30


class CodeRefused(ValueError):
    """Why a scanned code is refused: ``invalid``, ``elsewhere`` (another place's) or
    ``expired``; the caller words it for the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def window(now: datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


def ref(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def qr_svg(url: str) -> str:
    """The code's address as an inline SVG QR code, large enough to scan from a phone."""
    return segno.make(url, error="m").svg_inline(scale=7, border=2)


@dataclass(frozen=True)
class RotatingCode:
    """The codes of one kind of place (``salt``), with the purposes they may carry."""

    salt: str
    purposes: tuple[str, ...]

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=self.salt)

    def make(self, tenant_id: int, place_id: int, purpose: str,
             now: datetime | None = None) -> str:
        if purpose not in self.purposes:
            raise ValueError(purpose)
        return self._serializer().dumps({"t": tenant_id, "s": place_id, "p": purpose,
                                         "w": window(now or utcnow())})

    def read(self, token: str, tenant_id: int, place_id: int, now: datetime) -> str:
        """The purpose of a genuine, current code of this place; else ``CodeRefused``."""
        try:
            data = self._serializer().loads(token or "")
            purpose, made_in = data["p"], int(data["w"])
            found = (data["t"], data["s"])
        except (BadData, KeyError, TypeError, ValueError) as exc:
            raise CodeRefused("invalid") from exc
        if found != (tenant_id, place_id) or purpose not in self.purposes:
            raise CodeRefused("elsewhere")
        if not 0 <= window(now) - made_in <= 1:
            raise CodeRefused("expired")
        return purpose
