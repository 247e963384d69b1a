"""A recurring schedule (重复安排) of a project: a rule, and what each of its dates gets, a
volunteer shift or a service slot.

Each date is a shift or slot of its own (its own capacity, sign-ups and waitlist), keyed by
the schedule and the day the rule gave it (``occurs_on``, unique per schedule): making the
dates again adds only the missing ones, and a date moved or cancelled keeps its key.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import OrgScoped, Timestamped
from app.extensions import db
from app.projects.models import Project
from app.schedules.rules import Rule


class SeriesKind(enum.StrEnum):
    SHIFT = "shift"
    SLOT = "slot"


class Series(OrgScoped, Timestamped, db.Model):
    __table_args__ = (
        CheckConstraint("kind IN ('shift', 'slot')", name="kind_known"),
        CheckConstraint("frequency IN ('weekly', 'monthly')", name="frequency_known"),
        CheckConstraint("interval_n >= 1 AND interval_n <= 12", name="interval_range"),
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 1440",
                        name="duration_range"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("(until IS NULL) <> (count IS NULL)", name="one_end"),
        CheckConstraint("count IS NULL OR (count >= 1 AND count <= 200)", name="count_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # The rule (``app.schedules.rules.Rule``).
    frequency: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date]
    interval_n: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[list] = mapped_column(JSON, default=list)
    nth: Mapped[int] = mapped_column(default=1)
    nth_weekday: Mapped[int] = mapped_column(default=0)
    until: Mapped[date | None]
    count: Mapped[int | None]
    skip_holidays: Mapped[bool] = mapped_column(default=True)
    # What each date gets: the time of day (Beijing time), how long, where, how many places.
    start_time: Mapped[time]
    duration_minutes: Mapped[int]
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    required_skills: Mapped[str] = mapped_column(String(200), default="")
    insurance_required: Mapped[bool] = mapped_column(default=False)
    target_group: Mapped[str | None] = mapped_column(String(40))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    project: Mapped[Project] = relationship()

    @property
    def rule(self) -> Rule:
        return Rule(starts_on=self.starts_on, frequency=self.frequency, interval=self.interval_n,
                    weekdays=tuple(self.weekdays or ()), nth=self.nth,
                    nth_weekday=self.nth_weekday, until=self.until, count=self.count,
                    skip_holidays=self.skip_holidays)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def place_model(self):
        from app.projects.models import ServiceSlot, Shift

        return Shift if self.kind == SeriesKind.SHIFT else ServiceSlot

    def __repr__(self) -> str:
        return f"<Series {self.id}>"
