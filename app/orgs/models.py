"""Social organizations (社会组织): identity, verification by the bureau, areas served, staff
invitations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db
from app.privacy import mask_phone


class OrgStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Standing(enum.StrEnum):
    """How the organization exists in law: registered (登记, with a 统一社会信用代码) or a
    community group filed (备案) with the street or community, acting through a sponsor."""

    REGISTERED = "registered"
    FILED = "filed"


class Organization(TenantScoped, Timestamped, db.Model):
    """A social organization of one tenant: a registered one identified by its 统一社会信用代码,
    or a filed community group (社区社会组织·备案), which has none (``app.grassroots``)."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "credit_code"),
        CheckConstraint("standing IN ('registered', 'filed')", name="standing_known"),
        CheckConstraint("standing = 'filed' OR credit_code IS NOT NULL", name="registered_has_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: None only for a filed group (备案): it has no 统一社会信用代码.
    credit_code: Mapped[str | None] = mapped_column(String(18))
    standing: Mapped[str] = mapped_column(String(12), default=Standing.REGISTERED,
                                          server_default=Standing.REGISTERED.value)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=OrgStatus.PENDING)
    #: What the organization does, shown on its public page.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    legal_representative: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_name: Mapped[str] = mapped_column(String(40), default="", server_default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    #: The incubator (孵化器) or hub organization this one grew under, if any.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True)
    is_incubator: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Registration certificate (登记证书): a key in the uploads area of app.storage, never under static/.
    certificate_file: Mapped[str | None] = mapped_column(String(300))
    certificate_mime: Mapped[str | None] = mapped_column(String(60))
    rejection_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_at: Mapped[datetime | None]
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    parent: Mapped[Organization | None] = relationship(remote_side="Organization.id")
    areas: Mapped[list[OrgArea]] = relationship(cascade="all, delete-orphan",
                                                order_by="OrgArea.area_id")

    @property
    def is_verified(self) -> bool:
        return self.status == OrgStatus.VERIFIED

    @property
    def is_filed(self) -> bool:
        return self.standing == Standing.FILED

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def area_ids(self) -> list[int]:
        return [a.area_id for a in self.areas]

    def __repr__(self) -> str:
        return f"<Organization {self.id}>"


class OrgArea(TenantScoped, db.Model):
    """An area an organization serves (服务区域)."""

    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"),
                                        primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


_PENDING = text("status = 'pending'")


class OrgInvitation(OrgScoped, Timestamped, db.Model):
    """An org admin invites a person, by mobile number or email, to a staff role."""

    __table_args__ = (
        CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="has_account"),
        Index("ix_org_invitation_phone", "tenant_id", "phone"),
        Index("ix_org_invitation_email", "tenant_id", "email"),
        # One pending invitation per person and role in an organization.
        Index("uq_org_invitation_pending_phone", "org_id", "role", "phone", unique=True,
              sqlite_where=_PENDING, postgresql_where=_PENDING),
        Index("uq_org_invitation_pending_email", "org_id", "role", "email", unique=True,
              sqlite_where=_PENDING, postgresql_where=_PENDING),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default=InvitationStatus.PENDING)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None]

    org: Mapped[Organization] = relationship()

    def is_for(self, user) -> bool:
        return bool((self.phone and self.phone == user.phone)
                    or (self.email and self.email == user.email))

    def __repr__(self) -> str:
        return f"<OrgInvitation {self.id}>"
