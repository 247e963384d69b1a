"""Social organizations (社会组织). The marketplace issue grows this into full onboarding."""

from __future__ import annotations

import enum

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TenantScoped, Timestamped
from app.extensions import db


class OrgStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Organization(TenantScoped, Timestamped, db.Model):
    """A social organization registered with one tenant; identified by its 统一社会信用代码."""

    __table_args__ = (UniqueConstraint("tenant_id", "credit_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    credit_code: Mapped[str] = mapped_column(String(18))
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=OrgStatus.PENDING)

    @property
    def is_verified(self) -> bool:
        return self.status == OrgStatus.VERIFIED

    def __repr__(self) -> str:
        return f"<Organization {self.id}>"
