"""Community notices (社区通知) and the choices residents make about them.

A notice goes to the residents on the district's roll (``ResidentProfile``) living in an area
or anywhere under it, optionally only to one target group; those who stopped community
notices are skipped. Community staff (社区工作人员) are bureau officers put in charge of areas
(``app.tenancy.models.AreaStaff``, on the bureau's areas page): they write to those areas and
the areas under them only; an officer in charge of none is the bureau and writes for the whole
district.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db

TITLE_MAX = 40
BODY_MAX = 300


class NoticeStatus(enum.StrEnum):
    SENDING = "sending"
    SENT = "sent"


class ChoiceHow(enum.StrEnum):
    SELF = "self"    # on their own settings page or from the inbox
    LINK = "link"    # the link in a text message or an email, without signing in
    STAFF = "staff"  # recorded by staff for a resident who is not online (代办)


class CommunityNotice(TenantScoped, Timestamped, db.Model):
    """A notice to the residents of an area (and its sub-areas), optionally of one group.

    Sending runs in batches by person; ``cursor_user_id`` is the last person done, committed
    with the batch's messages, so a job that runs again carries on where it stopped."""

    __table_args__ = (
        Index("ix_community_notice_area_day", "tenant_id", "area_id", "created_at"),
        CheckConstraint("status IN ('sending', 'sent')", name="status_known"),
        CheckConstraint("reached >= 0 AND by_sms >= 0 AND opted_out >= 0", name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    #: The area's name when sent, kept if the area is later renamed or removed.
    area_name: Mapped[str] = mapped_column(String(80))
    target_group: Mapped[str] = mapped_column(String(40), default="", server_default="")
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default=NoticeStatus.SENDING)
    #: People given the notice in their inbox, of them by text message too, and those
    #: skipped because they stopped community notices.
    reached: Mapped[int] = mapped_column(default=0, server_default="0")
    by_sms: Mapped[int] = mapped_column(default=0, server_default="0")
    opted_out: Mapped[int] = mapped_column(default=0, server_default="0")
    cursor_user_id: Mapped[int] = mapped_column(default=0, server_default="0")
    finished_at: Mapped[datetime | None]

    sent_by: Mapped[User | None] = relationship()


class NoticeChoice(TenantScoped, Timestamped, db.Model):
    """Whether a person receives the district's community notices (absent: they do), how
    the choice was made, and, when staff recorded it for them, the consent it rests on."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        CheckConstraint("how IN ('self', 'link', 'staff')", name="how_known"),
        CheckConstraint("consent_how IS NULL OR consent_how IN ('spoken', 'written')",
                        name="consent_how_known"),
        CheckConstraint("how <> 'staff' OR consent_how IS NOT NULL", name="staff_has_consent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    receives: Mapped[bool] = mapped_column(default=True)
    how: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime]
    consent_how: Mapped[str | None] = mapped_column(String(10))
    consent_given_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
