"""A resident on the district's roll (居民信息): the area they live in and the group they
belong to (独居老人, 留守儿童 …), as the bureau keeps them. The person is the account
(``User``, signed in with the mobile number); this row holds what the district knows of them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db


class ResidentProfile(TenantScoped, Timestamped, db.Model):
    __table_args__ = (UniqueConstraint("tenant_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    #: One of the tenant's ``target_groups``, or empty.
    target_group: Mapped[str] = mapped_column(String(40), default="")

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ResidentProfile {self.id}>"
