"""A resident on the district's roll (居民信息): the area they live in and the group they
belong to (独居老人, 留守儿童 …), as the bureau keeps them. The person is the account
(``User``, signed in with the mobile number); this row holds what the district knows of them.

A resident who is not online (no smartphone, no account) is registered by community or
organization staff (代办): their account cannot sign in (``User.offline``), the ID number is
kept to tell them apart, and their consent is recorded — who gave it, when, how, and which
staff member recorded it. That staff member's organization (or the bureau, when empty) may
then book and confirm services for them.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db
from app.privacy import mask_id_number, mask_phone


class ConsentHow(enum.StrEnum):
    SPOKEN = "spoken"    # 口头同意, in front of the staff member
    WRITTEN = "written"  # 书面同意, a signed form kept by the community


class ResidentProfile(TenantScoped, Timestamped, db.Model):
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id"),
        UniqueConstraint("tenant_id", "id_number"),
        CheckConstraint("consent_how IS NULL OR consent_how IN ('spoken', 'written')",
                        name="consent_how_known"),
        CheckConstraint("(consent_how IS NULL) = (consent_at IS NULL)", name="consent_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    #: One of the tenant's ``target_groups``, or empty.
    target_group: Mapped[str] = mapped_column(String(40), default="")
    #: 居民身份证号码, checked by its check digit; kept for residents registered by staff.
    id_number: Mapped[str | None] = mapped_column(String(18))
    #: A number that receives text messages (a family member's, a basic phone), not a login.
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    #: Staff who registered the resident on their behalf (代办), and the organization they
    #: did it for (None: community or bureau staff).
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))
    kept_by_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True)
    #: The resident's consent to being registered and acted for: when, how, who gave it
    #: (empty: the resident; else e.g. "女儿 李红"), and who recorded it.
    consent_at: Mapped[datetime | None]
    consent_how: Mapped[str | None] = mapped_column(String(10))
    consent_given_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    consent_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    consent_recorded_by: Mapped[User | None] = relationship(
        foreign_keys=[consent_recorded_by_id])

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    def __repr__(self) -> str:  # never the ID number
        return f"<ResidentProfile {self.id}>"
