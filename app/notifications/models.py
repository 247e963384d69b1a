"""The in-app inbox. Email, when configured, is a copy of an inbox message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Timestamped
from app.extensions import db


class Notification(Timestamped, db.Model):
    __table_args__ = (Index("ix_notification_inbox", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    #: What the message asks of its reader (``expenditure.org_approval``…) and the object it
    #: is about: the inbox says when that is already done, and by whom. Empty for news.
    kind: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    #: none (no email wanted or no address) / pending / sent / logged / failed
    email_status: Mapped[str] = mapped_column(String(10), default="none")
    #: The text-message copy: none / pending / sent / logged / throttled / failed, and when
    #: it went (the throttle counts these).
    sms_status: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    sms_at: Mapped[datetime | None]
    read_at: Mapped[datetime | None]
