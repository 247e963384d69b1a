"""Volunteer records (志愿者信息) with the fields 民政部令第67号 asks for."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db
from app.privacy import mask_id_number, mask_name, mask_phone

CONSENT_VERSION = "2026-01"


class VolunteerProfile(TenantScoped, Timestamped, db.Model):
    """A resident registered as volunteer in one tenant. ID and phone shown masked only."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        UniqueConstraint("tenant_id", "id_number"),
        CheckConstraint("honour_listed OR NOT honour_full_name", name="honour_full_name_listed"),
        CheckConstraint("free_times >= 0 AND free_times < 2097152", name="free_times_grid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    real_name: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(1))  # "M" / "F", consistent with the ID number
    birth_date: Mapped[date]
    id_number: Mapped[str] = mapped_column(String(18))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    phone: Mapped[str] = mapped_column(String(20))
    skills: Mapped[str] = mapped_column(Text, default="")
    service_categories: Mapped[list] = mapped_column(JSON, default=list)
    consent_at: Mapped[datetime]
    consent_version: Mapped[str] = mapped_column(String(20))
    insurance_policy: Mapped[str | None] = mapped_column(String(60))
    insurance_expires: Mapped[date | None]
    #: On the district's public honour list (光荣榜): the person's own choice, off unless they
    #: turn it on; shown by the masked name unless they also chose ``honour_full_name``.
    honour_listed: Mapped[bool] = mapped_column(default=False, server_default=false())
    honour_full_name: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Told when a shift that suits them opens (at most ``shift_notices_per_day`` a day): the
    #: person's own choice, off unless they turn it on.
    shift_notices: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: When they are usually free (空闲时间): one bit per weekday and part of the day
    #: (``app.volunteers.availability``); 0, nothing marked, reads as free whenever.
    free_times: Mapped[int] = mapped_column(default=0, server_default=text("0"))

    user: Mapped[User] = relationship()

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def honour_name(self) -> str:
        """The name the honour list shows: the full name only if the person chose it."""
        return self.real_name if self.honour_full_name else mask_name(self.real_name)

    def __repr__(self) -> str:  # never the ID number
        return f"<VolunteerProfile {self.id}>"


def insured_on(policy: str | None, expires: date | None, day: date) -> bool:
    """Whether an accident insurance policy is on record and valid on ``day``."""
    return bool(policy and expires and expires >= day)
