"""Consent (同意记录): which version of which document a person agreed to, and when they
withdrew it. One row per agreement; a new version asks again and adds a row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db

#: The documents a person agrees to at registration, with their current version. Change the
#: version when the text changes in substance.
DOCUMENTS = {"terms": "2026-12", "privacy": "2026-12"}


class Consent(db.Model):
    __table_args__ = (Index("ix_consent_user", "user_id", "document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    document: Mapped[str] = mapped_column(String(20))  # terms / privacy
    version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]


class CalendarFeed(db.Model):
    """A person's private calendar address (日历订阅) for calendar apps: their shifts and
    bookings. The address holds a random secret of which only the SHA-256 is kept; a new
    address replaces the old one, which stops working at once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
