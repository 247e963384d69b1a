"""How many notices of shifts that suit them a volunteer has had on one day (Shanghai time):
one row per person and day, counted up by a conditional UPDATE, so two jobs telling the same
person at once cannot both pass the district's ``shift_notices_per_day``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TenantScoped
from app.extensions import db


class ShiftNoticeDay(TenantScoped, db.Model):
    """Notices of suitable shifts (岗位提醒) sent to one volunteer on one local day."""

    __audit__ = False  # a count of inbox messages, which are not audited either

    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id", "day"),
        CheckConstraint("sent >= 0", name="sent_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    day: Mapped[date]
    sent: Mapped[int] = mapped_column(default=0)
