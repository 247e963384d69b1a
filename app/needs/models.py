"""A need (需求) and the declines it met on its way.

A need is open until one organization, or one volunteer in person (a small wish, 微心愿),
claims it (a conditional UPDATE: one claimant), then met (with a booking, a shift, a project or
a note), then confirmed and rated by the resident. A decline gives the need back to everyone
(open again) and is kept with its reason. Past its deadline it climbs the area tree, one step
at a time (``NeedEscalation``), up to the bureau.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db
from app.orgs.models import Organization
from app.tenancy.models import Area

if TYPE_CHECKING:
    from app.funding.models import Call

#: Longest description of a need, in characters (a wish, not a report).
WHAT_MAX = 500
REASON_MAX = 500


class Urgency(enum.StrEnum):
    ROUTINE = "routine"  # 常规
    SOON = "soon"        # 较急
    URGENT = "urgent"    # 紧急


class NeedStatus(enum.StrEnum):
    OPEN = "open"            # waiting for an organization
    CLAIMED = "claimed"      # an organization took it on
    MET = "met"              # the organization says it is done
    CONFIRMED = "confirmed"  # the resident confirmed it and rated it


UNMET = (NeedStatus.OPEN, NeedStatus.CLAIMED)


class LinkKind(enum.StrEnum):
    BOOKING = "booking"
    SLOT = "slot"  # a service slot set up for the need, the resident not booked onto it
    SHIFT = "shift"
    PROJECT = "project"
    NOTE = "note"


class Need(TenantScoped, Timestamped, db.Model):
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 5)", name="rating_range"),
        CheckConstraint("status = 'open' OR claimed_org_id IS NOT NULL "
                        "OR claimed_volunteer_id IS NOT NULL", name="claimed_has_claimant"),
        CheckConstraint("claimed_org_id IS NULL OR claimed_volunteer_id IS NULL",
                        name="one_claimant"),
        Index("ix_need_routing", "tenant_id", "status", "area_id", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    what: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))
    target_group: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"), index=True)
    wanted_on: Mapped[date | None]
    urgency: Mapped[str] = mapped_column(String(10), default=Urgency.ROUTINE)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default=NeedStatus.OPEN)
    #: The resident's consent: the wish (masked) appears on the community's wish wall.
    on_wall: Mapped[bool] = mapped_column(default=False)
    #: The resident with an account; None when named only (代填 for someone not online).
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                    index=True)
    resident_name: Mapped[str] = mapped_column(String(60), default="")
    resident_phone: Mapped[str] = mapped_column(String(20), default="")
    posted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"),
                                              index=True)
    on_behalf: Mapped[bool] = mapped_column(default=False)
    claimed_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: A volunteer who took the need on in person (not for an organization).
    claimed_volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    claimed_at: Mapped[datetime | None]
    met_at: Mapped[datetime | None]
    met_kind: Mapped[str | None] = mapped_column(String(10))
    met_object_id: Mapped[int | None]
    met_note: Mapped[str] = mapped_column(Text, default="")
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(Text, default="")
    #: When the bureau was told it is late (超期): the last step of its escalation.
    escalated_at: Mapped[datetime | None]
    #: When the claimant (or the organizations it is routed to) was reminded of the deadline.
    reminded_at: Mapped[datetime | None]
    #: A wish taken on in person: when the resident let the volunteer see their mobile
    #: number, and when the volunteer let the resident see theirs (cleared when given back).
    resident_shares_phone_at: Mapped[datetime | None]
    volunteer_shares_phone_at: Mapped[datetime | None]
    #: The call for proposals (项目申报) the bureau started from a cluster of unmet needs.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"),
                                                index=True)

    area: Mapped[Area] = relationship()
    resident: Mapped[User | None] = relationship(foreign_keys=[resident_id])
    posted_by: Mapped[User] = relationship(foreign_keys=[posted_by_id])
    claimed_org: Mapped[Organization | None] = relationship()
    claimed_volunteer: Mapped[User | None] = relationship(foreign_keys=[claimed_volunteer_id])
    call: Mapped[Call | None] = relationship("Call")
    declines: Mapped[list[NeedDecline]] = relationship(back_populates="need",
                                                       order_by="NeedDecline.id")
    escalations: Mapped[list[NeedEscalation]] = relationship(back_populates="need",
                                                             order_by="NeedEscalation.step")

    @property
    def org_id(self) -> int | None:
        """The claiming organization (for ``org.*`` permission predicates)."""
        return self.claimed_org_id

    @property
    def claimed(self) -> bool:
        return self.claimed_org_id is not None or self.claimed_volunteer_id is not None

    @property
    def claimant_name(self) -> str:
        """Who took it on: the organization, or the volunteer by name."""
        if self.claimed_org is not None:
            return self.claimed_org.name
        return self.claimed_volunteer.name if self.claimed_volunteer is not None else ""

    def is_overdue(self, now: datetime) -> bool:
        return self.status in UNMET and self.due_at < now

    def __repr__(self) -> str:
        return f"<Need {self.id}>"


class NeedDecline(TenantScoped, Timestamped, db.Model):
    """An organization (or a volunteer, ``org_id`` empty) gave a claimed need back, with its
    reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)

    need: Mapped[Need] = relationship(back_populates="declines")
    org: Mapped[Organization | None] = relationship()
    declined_by: Mapped[User | None] = relationship()


class NeedEscalation(TenantScoped, Timestamped, db.Model):
    """One step of a late need up the area tree (上报): to the staff in charge of an area above
    it (社区, then 街道 …), and last to the bureau (``area_id`` empty). Each step once."""

    __table_args__ = (UniqueConstraint("need_id", "step"),
                      CheckConstraint("step >= 1", name="step_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"), index=True)
    step: Mapped[int]
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"))
    #: How many people were told.
    told: Mapped[int] = mapped_column(default=0)

    need: Mapped[Need] = relationship(back_populates="escalations")
    area: Mapped[Area | None] = relationship()
