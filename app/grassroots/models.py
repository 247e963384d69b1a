"""Grassroots community groups (社区社会组织) and their incubation.

A group filed (备案) with the street or community rather than registered has no
统一社会信用代码: it joins with its filing record and acts through a sponsoring hub or
incubator organization of the district (``Organization.parent_id``), which confirms the
sponsorship before the bureau verifies the group. An incubator keeps the groups it
incubates through 入驻 → 培育 → 出壳, with milestones and its leaders' training.

Every row here belongs to the group (``org_id``); the incubator reads and acts on it
through ``incubator_id`` / the group's sponsor.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import OrgScoped, Timestamped
from app.extensions import db
from app.tenancy.models import Area


class SponsorStatus(enum.StrEnum):
    PENDING = "pending"      # waiting for the sponsor's answer
    CONFIRMED = "confirmed"  # the sponsor agreed to act for the group
    DECLINED = "declined"    # the sponsor said no; the group may name another


class Stage(enum.StrEnum):
    """Incubation stages, in order."""

    ADMITTED = "admitted"      # 入驻
    NURTURING = "nurturing"    # 培育
    GRADUATED = "graduated"    # 出壳


STAGE_ORDER = (Stage.ADMITTED, Stage.NURTURING, Stage.GRADUATED)


class Filing(OrgScoped, Timestamped, db.Model):
    """A group's filing record (备案): number, where and when it was filed, the filing
    document, and whether its sponsor (the group's ``parent``) has confirmed."""

    __table_args__ = (
        UniqueConstraint("org_id"),
        UniqueConstraint("tenant_id", "number"),
        CheckConstraint("sponsor_status IN ('pending', 'confirmed', 'declined')",
                        name="sponsor_status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    #: The street or community the group is filed with.
    filed_with_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"),
                                               index=True)
    filed_on: Mapped[date] = mapped_column(Date)
    #: The filing document (备案证明): a key in the uploads area of app.storage.
    document_file: Mapped[str | None] = mapped_column(String(300))
    document_mime: Mapped[str | None] = mapped_column(String(60))
    sponsor_status: Mapped[str] = mapped_column(String(12), default=SponsorStatus.PENDING)
    sponsor_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    sponsor_answered_at: Mapped[datetime | None]
    sponsor_answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))

    filed_with: Mapped[Area] = relationship()

    @property
    def is_confirmed(self) -> bool:
        return self.sponsor_status == SponsorStatus.CONFIRMED

    def __repr__(self) -> str:
        return f"<Filing {self.id}>"


class Incubation(OrgScoped, Timestamped, db.Model):
    """A group incubated by an incubator (孵化器), at one stage since a day."""

    __table_args__ = (
        UniqueConstraint("org_id"),
        CheckConstraint("stage IN ('admitted', 'nurturing', 'graduated')", name="stage_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incubator_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    stage: Mapped[str] = mapped_column(String(12), default=Stage.ADMITTED)
    stage_since: Mapped[date] = mapped_column(Date)

    moves: Mapped[list[StageMove]] = relationship(order_by="StageMove.id",
                                                  back_populates="incubation")
    milestones: Mapped[list[Milestone]] = relationship(
        order_by="(Milestone.due_on, Milestone.id)", back_populates="incubation")

    @property
    def open_milestones(self) -> list[Milestone]:
        return [m for m in self.milestones if m.done_on is None]

    def __repr__(self) -> str:
        return f"<Incubation {self.id}>"


class StageMove(OrgScoped, Timestamped, db.Model):
    """A group moved from one stage to the next, on a day, with a note."""

    __table_args__ = (
        CheckConstraint("to_stage IN ('admitted', 'nurturing', 'graduated')",
                        name="to_stage_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incubation_id: Mapped[int] = mapped_column(
        ForeignKey("incubation.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(12))
    to_stage: Mapped[str] = mapped_column(String(12))
    moved_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    incubation: Mapped[Incubation] = relationship(back_populates="moves")
    moved_by: Mapped[User | None] = relationship()


class Milestone(OrgScoped, Timestamped, db.Model):
    """Something the group is to achieve by a day (e.g. 制定章程, 开展首次活动), done with
    evidence: what shows it, and a file if there is one."""

    __tablename__ = "incubation_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    incubation_id: Mapped[int] = mapped_column(
        ForeignKey("incubation.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    evidence_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence_file: Mapped[str | None] = mapped_column(String(300))
    evidence_mime: Mapped[str | None] = mapped_column(String(60))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    incubation: Mapped[Incubation] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<Milestone {self.id}>"


class LeaderTraining(OrgScoped, Timestamped, db.Model):
    """A group leader's training (骨干培训): who, which course, how long, when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person: Mapped[str] = mapped_column(String(40))
    course: Mapped[str] = mapped_column(String(120))
    minutes: Mapped[int] = mapped_column(CheckConstraint("minutes > 0", name="minutes_positive"))
    trained_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
