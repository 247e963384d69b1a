"""A consultation (居民议事) of one community before the bureau buys: the options put to the
residents (drawn from the community's open needs, or projects the bureau proposes), one vote
per resident, residents' comments, and votes cast on paper or at a meeting as staff entered them.

The rule is a single choice: each resident on the district's roll in the community picks the
one option they want bought first; the result counts votes per option (online and entered)
and the call that buys can cite it. It is open (投票中) between ``opens_at`` and ``closes_at``,
then closed (已截止, the bureau enters paper and meeting votes), then published (结果已公布).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db
from app.tenancy.models import Area

TITLE_MAX = 120
DETAIL_MAX = 1000
COMMENT_MAX = 500
NOTE_MAX = 200
#: At most this many options on one ballot (a paper ballot must fit on a page).
OPTIONS_MAX = 12
#: The most votes one paper or meeting entry may count for one option.
TALLY_MAX = 100_000


class ConsultationStatus(enum.StrEnum):
    OPEN = "open"            # 投票中 (from opens_at to closes_at)
    CLOSED = "closed"        # 已截止: no more votes online; paper and meeting votes entered
    PUBLISHED = "published"  # 结果已公布


class TallySource(enum.StrEnum):
    PAPER = "paper"      # 纸质选票
    MEETING = "meeting"  # 居民议事会 (show of hands)


class Consultation(TenantScoped, Timestamped, db.Model):
    """议事: what one community's residents are asked to choose before a call is published."""

    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("status IN ('open', 'closed', 'published')", name="status_known"),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL",
                        name="published_has_time"),
        Index("ix_consultation_area_status", "tenant_id", "area_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(12), default=ConsultationStatus.OPEN)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"))

    area: Mapped[Area] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    options: Mapped[list[ConsultationOption]] = relationship(
        back_populates="consultation", order_by="ConsultationOption.position")

    def voting_open(self, now: datetime) -> bool:
        return self.status == ConsultationStatus.OPEN and self.opens_at <= now < self.closes_at

    @property
    def ends_at(self) -> datetime:
        """When voting ended (or will end): the bureau may end it before ``closes_at``."""
        if self.closed_at is not None and self.closed_at < self.closes_at:
            return self.closed_at
        return self.closes_at

    @property
    def published(self) -> bool:
        return self.status == ConsultationStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Consultation {self.id}>"


class ConsultationOption(TenantScoped, db.Model):
    """One choice on the ballot: a resident's need of the community, or a proposed project."""

    __table_args__ = (
        UniqueConstraint("consultation_id", "position"),
        UniqueConstraint("consultation_id", "need_id"),
        # Lets a vote or an entered count name its option and consultation together, so the
        # database refuses a vote for another consultation's option.
        UniqueConstraint("id", "consultation_id", name="uq_consultation_option_id_consultation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    detail: Mapped[str] = mapped_column(Text, default="")
    #: The open need it was drawn from; None: a project the bureau proposes.
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="SET NULL"))

    consultation: Mapped[Consultation] = relationship(back_populates="options")

    def __repr__(self) -> str:
        return f"<ConsultationOption {self.id}>"


class ConsultationVote(TenantScoped, db.Model):
    """A resident's one vote in a consultation (one person, one vote: a unique constraint)."""

    __table_args__ = (
        UniqueConstraint("consultation_id", "user_id", name="uq_consultation_vote_one_each"),
        ForeignKeyConstraint(["option_id", "consultation_id"],
                             ["consultation_option.id", "consultation_option.consultation_id"],
                             ondelete="CASCADE", name="fk_consultation_vote_option_same"),
        Index("ix_consultation_vote_option", "consultation_id", "option_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"))
    option_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: The area of the voter's residence when they voted (the roll may change later).
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"))
    cast_at: Mapped[datetime]

    option: Mapped[ConsultationOption] = relationship(
        primaryjoin="ConsultationOption.id == foreign(ConsultationVote.option_id)", viewonly=True)


class ConsultationComment(TenantScoped, Timestamped, db.Model):
    """What a resident of the community says about the options."""

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)

    user: Mapped[User] = relationship()


class ConsultationTally(TenantScoped, Timestamped, db.Model):
    """Votes for one option cast on paper or at a residents' meeting, entered by staff: the
    source, the day, where (a note) and who entered them. One entry per option, source and
    day, so the same ballot box cannot be entered twice."""

    __table_args__ = (
        CheckConstraint("votes > 0", name="votes_positive"),
        CheckConstraint("source IN ('paper', 'meeting')", name="source_known"),
        UniqueConstraint("consultation_id", "option_id", "source", "held_on",
                         name="uq_consultation_tally_once"),
        ForeignKeyConstraint(["option_id", "consultation_id"],
                             ["consultation_option.id", "consultation_option.consultation_id"],
                             ondelete="CASCADE", name="fk_consultation_tally_option_same"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[int]
    source: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date]
    votes: Mapped[int]
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))

    entered_by: Mapped[User] = relationship()
    option: Mapped[ConsultationOption] = relationship(
        primaryjoin="ConsultationOption.id == foreign(ConsultationTally.option_id)", viewonly=True)
