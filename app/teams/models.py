"""Volunteer teams (志愿服务队): a leader, a roster, and sign-ups of the team for a shift.

A team belongs to the district (tenant), not to one organization: a neighbourhood group or a
company's volunteers serve on any organization's shifts. Its roster holds registered
volunteers (invited, they accept) and named people without an account (name and mobile,
shown masked), who can later be linked to an account.

A team sign-up takes its places on the shift in one step, all or none, under the shift's
lock (``app.teams.services``): each registered member gets a sign-up of their own (so their
overlaps, reminders and check-in work as for anyone), each named person a place held by the
team. Each person's hours are their own: a service record for a registered member, minutes
on the person's place for a named person, turned into a service record once linked.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db
from app.privacy import mask_phone
from app.projects.models import Shift, ShiftSignup


class MemberStatus(enum.StrEnum):
    INVITED = "invited"    # a registered volunteer asked to join, not answered yet
    ACTIVE = "active"      # on the roster
    DECLINED = "declined"  # said no to the invitation
    REMOVED = "removed"    # taken off by the leader, or left


class TeamSignupStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class Team(TenantScoped, Timestamped, db.Model):
    """A volunteer team (志愿服务队) and its leader (队长)."""

    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    leader_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(String(300), default="", server_default="")

    leader: Mapped[User] = relationship()
    members: Mapped[list[TeamMember]] = relationship(back_populates="team",
                                                     order_by="TeamMember.id")

    def __repr__(self) -> str:
        return f"<Team {self.id}>"


class TeamMember(TenantScoped, Timestamped, db.Model):
    """One person on a team's roster: a registered volunteer (``user_id``) or a named person
    without an account (``name`` and ``phone``)."""

    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        CheckConstraint("user_id IS NOT NULL OR name <> ''", name="named_or_registered"),
        CheckConstraint("status IN ('invited', 'active', 'declined', 'removed')",
                        name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"),
                                                index=True)
    #: A named person's name (for a registered member, their account's name is shown).
    name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    #: A named person's mobile, shown masked; never in URLs or logs.
    phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=MemberStatus.ACTIVE)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    @property
    def display_name(self) -> str:
        return self.user.name if self.user is not None else self.name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def is_registered(self) -> bool:
        return self.user_id is not None

    def __repr__(self) -> str:
        return f"<TeamMember {self.id}>"


class TeamSignup(OrgScoped, Timestamped, db.Model):
    """A team's sign-up for a shift, by its leader: the places of the people named on it.
    Owned by the shift's organization, whose staff see it on the shift's roster."""

    __table_args__ = (UniqueConstraint("team_id", "shift_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=TeamSignupStatus.CONFIRMED)
    signed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    team: Mapped[Team] = relationship()
    shift: Mapped[Shift] = relationship()
    places: Mapped[list[TeamPlace]] = relationship(back_populates="team_signup",
                                                   order_by="TeamPlace.id")

    def __repr__(self) -> str:
        return f"<TeamSignup {self.id}>"


class TeamPlace(OrgScoped, Timestamped, db.Model):
    """One person's place on a team sign-up, and their hours.

    A registered member's place is their own shift sign-up (``signup_id``) and their hours
    their own service record (``record_id``). A named person's place is held here
    (``held``) and counted in the shift's confirmed places; the coordinator's recorded
    minutes stay here until the person is linked to an account."""

    __table_args__ = (
        UniqueConstraint("team_signup_id", "member_id"),
        CheckConstraint("minutes IS NULL OR (minutes >= 0 AND minutes <= scheduled_minutes)",
                        name="minutes_within_shift"),
        Index("ix_team_place_member", "member_id"),
        Index("ix_team_place_held", "shift_id", sqlite_where=text("held"),
              postgresql_where=text("held")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_signup_id: Mapped[int] = mapped_column(ForeignKey("team_signup.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("team_member.id", ondelete="CASCADE"))
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    #: A registered member's own sign-up on the shift.
    signup_id: Mapped[int | None] = mapped_column(ForeignKey("shift_signup.id",
                                                             ondelete="SET NULL"))
    #: A named person's place, counted in the shift's confirmed places while true.
    held: Mapped[bool] = mapped_column(default=False)
    scheduled_minutes: Mapped[int]
    #: Hours recorded by the coordinator (a registered member's are on their service record).
    minutes: Mapped[int | None]
    recorded_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("service_record.id",
                                                             ondelete="SET NULL"))

    team_signup: Mapped[TeamSignup] = relationship(back_populates="places")
    member: Mapped[TeamMember] = relationship()
    signup: Mapped[ShiftSignup | None] = relationship()

    def __repr__(self) -> str:
        return f"<TeamPlace {self.id}>"
