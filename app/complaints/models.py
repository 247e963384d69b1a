"""A complaint (投诉) and where it stands.

``org_id`` is the organization that handles it (the one complained about, or the one that
gave the service); a complaint about the process, or about a volunteer whose organization
the resident does not know, has none and is handled by the bureau. It waits (待处理) until
answered (已答复); the resident is then satisfied (已满意, closed) or asks for it to be handled
again (待重新处理) with a reason and a new deadline. Late or reopened, it climbs the area tree
one step at a time (``ComplaintEscalation``): the community's staff, the street's, the bureau.
``escalated_at`` says the bureau was told (已上报民政局); ``escalated_for`` is the round (the
number of times it was reopened) the bureau was told for, so each round climbs once.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import SlotBooking
from app.tenancy.models import Area

BODY_MAX = 2000
REASON_MAX = 500
NAME_MAX = 60
TOLD_NAMES_MAX = 400
#: Working days to answer when the tenant does not say (``complaint_answer_days``).
ANSWER_DAYS = 5


class ComplaintKind(enum.StrEnum):
    SERVICE = "service"            # a service the resident received (a booking)
    ORGANIZATION = "organization"  # an organization
    VOLUNTEER = "volunteer"        # a volunteer
    PROCESS = "process"            # the process (办事流程): the bureau handles it


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"            # 待处理: waiting for an answer
    ANSWERED = "answered"    # 已答复: waiting for the resident's verdict
    SATISFIED = "satisfied"  # 已满意: closed
    REOPENED = "reopened"    # 待重新处理: the resident was not satisfied; answer again


#: Waiting for an answer from the handler.
WAITING = (ComplaintStatus.OPEN, ComplaintStatus.REOPENED)


def _default_due() -> date:
    """For rows made without the rules (imports, fixtures): the default working days."""
    from app.parsing import local_today
    from app.service.hours import add_working_days

    return add_working_days(local_today(), ANSWER_DAYS)


class Complaint(TenantScoped, Timestamped, db.Model):
    """A resident's complaint (投诉), its handler, deadline, answer and verdict."""

    __table_args__ = (
        CheckConstraint("kind <> 'service' OR booking_id IS NOT NULL", name="service_has_booking"),
        CheckConstraint("kind <> 'organization' OR org_id IS NOT NULL", name="organization_named"),
        CheckConstraint("kind <> 'process' OR org_id IS NULL", name="process_to_bureau"),
        CheckConstraint("reopened_count >= 0", name="reopened_count_positive"),
        Index("ix_complaint_waiting", "tenant_id", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), default=ComplaintKind.SERVICE)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("slot_booking.id", ondelete="CASCADE"), index=True)
    #: The organization that handles it; None: the bureau.
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"),
                                                index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True)
    #: The volunteer as the resident names them, when not chosen from those who served them.
    volunteer_name: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ComplaintStatus.OPEN)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                   index=True)
    assigned_at: Mapped[datetime | None]
    #: The last day to answer (Beijing date, working days from filing or reopening).
    due_on: Mapped[date] = mapped_column(default=_default_due)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]
    reopen_reason: Mapped[str] = mapped_column(Text, default="")
    reopened_at: Mapped[datetime | None]
    reopened_count: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None]
    escalated_at: Mapped[datetime | None]
    escalated_for: Mapped[int | None]

    booking: Mapped[SlotBooking | None] = relationship()
    org: Mapped[Organization | None] = relationship()
    area: Mapped[Area | None] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    volunteer: Mapped[User | None] = relationship(foreign_keys=[volunteer_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    escalations: Mapped[list[ComplaintEscalation]] = relationship(
        back_populates="complaint", order_by=lambda: [ComplaintEscalation.round, ComplaintEscalation.step])

    @property
    def waiting(self) -> bool:
        return self.status in WAITING

    @property
    def escalated(self) -> bool:
        return self.escalated_at is not None

    @property
    def steps(self) -> list[ComplaintEscalation]:
        """The steps of this round (since it was last reopened), oldest first."""
        return [e for e in self.escalations if e.round == self.reopened_count]

    @property
    def reached(self) -> ComplaintEscalation | None:
        """The last step of this round while it waits for an answer, else None."""
        steps = self.steps
        return steps[-1] if steps and self.waiting else None

    def is_overdue(self, today: date) -> bool:
        return self.waiting and self.due_on < today

    def open_days(self, today: date) -> int:
        """Days it has been open: to today, or to the day the resident was satisfied."""
        from app.service.hours import local_date

        end = local_date(self.closed_at) if self.closed_at else today
        return max((end - local_date(self.created_at)).days, 0)

    def __repr__(self) -> str:
        return f"<Complaint {self.id}>"


class ComplaintEscalation(TenantScoped, Timestamped, db.Model):
    """One step of a late or reopened complaint up the area tree (上报): to the staff in charge
    of its community, then its street, last the bureau (``area_id`` empty). ``round`` is the
    complaint's ``reopened_count`` when it was taken: each round climbs again, each step once."""

    __table_args__ = (UniqueConstraint("complaint_id", "round", "step"),
                      CheckConstraint("step >= 1", name="step_positive"),
                      CheckConstraint("round >= 0", name="round_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"),
                                              index=True)
    round: Mapped[int] = mapped_column(default=0)
    step: Mapped[int]
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"))
    #: How many people were told, and their names (staff, as the complaint page lists them).
    told: Mapped[int] = mapped_column(default=0)
    told_names: Mapped[str] = mapped_column(String(TOLD_NAMES_MAX), default="",
                                            server_default="")

    complaint: Mapped[Complaint] = relationship(back_populates="escalations")
    area: Mapped[Area | None] = relationship()
