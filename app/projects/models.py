"""Community service projects (项目), volunteer shifts (志愿岗位) and service slots
(服务名额) for residents, with their sign-ups.

Capacity is an invariant of the database: ``confirmed_count`` never exceeds
``capacity`` (a CHECK constraint), and sign-up services raise the count in the
same transaction as they confirm a place.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from app.db import OrgScoped, TenantScoped, Timestamped
from app.extensions import db
from app.projects import searchtext

if TYPE_CHECKING:
    from app.orgs.models import Organization


class ProjectStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class SignupStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Project(OrgScoped, Timestamped, db.Model):
    """A project following the template organizations fill in (domain.md)."""

    __table_args__ = (
        # Chinese search: a GIN index over the character and pair codes on PostgreSQL. SQLite
        # scans ``search_text`` (the index exists there too, but empty: ``WHERE 0``).
        Index("ix_project_search_grams", "search_grams", postgresql_using="gin",
              sqlite_where=text("0")),
        # Published projects newest first, all of them, of one category or in one area: the
        # search walks these when most projects match and stops at the count it shows (an
        # area's subtree is read from the index alone, its few areas' entries sorted).
        Index("ix_project_listing", "tenant_id", "status", "published_at", "id"),
        Index("ix_project_category_listing", "tenant_id", "status", "category", "published_at",
              "id"),
        Index("ix_project_area_listing", "tenant_id", "status", "area_id", "published_at", "id"),
        Index("ix_project_target_groups", "target_groups", postgresql_using="gin",
              postgresql_ops={"target_groups": "jsonb_path_ops"}, sqlite_where=text("0")),
        # PostgreSQL also keeps the row uncompressed up to a page (toast_tuple_target, set by
        # the migration): a search that reads codes row by row does not decompress them.
        # The contract the project delivers, of the same district and organization.
        ForeignKeyConstraint(["tenant_id", "org_id", "contract_id"],
                             ["contract.tenant_id", "contract.org_id", "contract.id"],
                             name="fk_project_contract_same_org"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(String(200), default="")
    highlights: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    schedule: Mapped[str] = mapped_column(Text, default="")
    expected_outcomes: Mapped[str] = mapped_column(Text, default="")
    team_roles: Mapped[str] = mapped_column(Text, default="")
    #: [{"line": "交通", "amount_fen": 12000}, …]
    budget_lines: Mapped[list] = mapped_column(JSON, default=list)
    safety_plan: Mapped[str] = mapped_column(Text, default="")
    #: JSONB on PostgreSQL: the search's group filter tests it row by row, without parsing.
    target_groups: Mapped[list] = mapped_column(JSON().with_variant(JSONB(), "postgresql"),
                                                default=list)
    category: Mapped[str] = mapped_column(String(40))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=ProjectStatus.DRAFT, index=True)
    #: Sign-ups may be cancelled until this many hours before the shift or slot starts.
    cancel_deadline_hours: Mapped[int] = mapped_column(default=24)
    closing_report: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The cover photo (封面照片), ``app/projects/covers.py``: its storage key under
    #: ``UPLOAD_DIR`` and type; without one the category's drawing is shown.
    cover_key: Mapped[str | None] = mapped_column(String(200))
    #: The purchase contract this project delivers (at most one); its service counts there.
    contract_id: Mapped[int | None] = mapped_column(Integer, index=True)
    cover_mime: Mapped[str | None] = mapped_column(String(40))
    #: Kept by ``searchtext`` whenever the name, theme, highlights or content change: the
    #: folded name (a match there ranks first), the folded four fields, and on PostgreSQL the
    #: codes of their characters and character pairs.
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    search_grams: Mapped[list] = mapped_column(
        JSON().with_variant(ARRAY(BigInteger), "postgresql"), default=list)

    shifts: Mapped[list[Shift]] = relationship(back_populates="project", order_by="Shift.starts_at")
    slots: Mapped[list[ServiceSlot]] = relationship(back_populates="project",
                                                    order_by="ServiceSlot.starts_at")
    evidence: Mapped[list[ProjectEvidence]] = relationship(order_by="ProjectEvidence.id",
                                                           cascade="all, delete-orphan")
    org: Mapped[Organization] = relationship("Organization")

    @property
    def is_published(self) -> bool:
        return self.status == ProjectStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Project {self.id}>"


@event.listens_for(Project, "before_insert")
@event.listens_for(Project, "before_update")
def _keep_search_fields(mapper, connection, project: Project) -> None:
    """Whoever writes a project through the ORM (forms, API, demo, tests) writes what the
    search reads too. Bulk inserts that bypass the ORM call ``searchtext.values``."""
    if project.search_text and not any(attributes.get_history(project, key).has_changes()
                                       for key in searchtext.FIELDS):
        return
    fields = {key: getattr(project, key) for key in searchtext.FIELDS}
    for key, value in searchtext.values(fields, connection.dialect.name == "postgresql").items():
        setattr(project, key, value)


class _Places:
    """Columns shared by shifts and slots: a time window, a place and a capacity."""

    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    confirmed_count: Mapped[int] = mapped_column(default=0)
    cancelled_at: Mapped[datetime | None]
    #: A date of a recurring schedule (``app.schedules``): the schedule, and the day its rule
    #: gave this date (kept when the date is moved; unique per schedule).
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"),
                                                  index=True)
    occurs_on: Mapped[date | None]

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class Shift(_Places, OrgScoped, Timestamped, db.Model):
    """Volunteer places in a project at one time and place."""

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("confirmed_count >= 0 AND confirmed_count <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("series_id", "occurs_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    required_skills: Mapped[str] = mapped_column(String(200), default="")
    insurance_required: Mapped[bool] = mapped_column(default=False)
    #: The activity leader (活动负责人) recorded on service records.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    project: Mapped[Project] = relationship(back_populates="shifts")

    def __repr__(self) -> str:
        return f"<Shift {self.id}>"


class ServiceSlot(_Places, OrgScoped, Timestamped, db.Model):
    """Places for residents to receive the service; optionally only for one target group."""

    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("confirmed_count >= 0 AND confirmed_count <= capacity", name="within_capacity"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("series_id", "occurs_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    target_group: Mapped[str | None] = mapped_column(String(40))

    project: Mapped[Project] = relationship(back_populates="slots")

    def __repr__(self) -> str:
        return f"<ServiceSlot {self.id}>"


class _Signup:
    #: Not stored: the place in the waitlist when this sign-up was made (None if confirmed),
    #: counted as it was written; ``signups.waitlist_position`` counts it afresh.
    queue_position = None

    status: Mapped[str] = mapped_column(String(20), default=SignupStatus.CONFIRMED)
    #: Arrival order: the waitlist is served first-in, first-out by this.
    queued_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]


class ShiftSignup(_Signup, TenantScoped, Timestamped, db.Model):
    """A volunteer's place (or waitlist position) on a shift."""

    __table_args__ = (
        UniqueConstraint("shift_id", "user_id"),
        Index("ix_shift_signup_queue", "shift_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shift.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    shift: Mapped[Shift] = relationship()


class SlotBooking(_Signup, TenantScoped, Timestamped, db.Model):
    """A resident's place (or waitlist position) in a service slot."""

    __table_args__ = (
        UniqueConstraint("slot_id", "user_id"),
        Index("ix_slot_booking_queue", "slot_id", "status", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("service_slot.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: The target group the resident declared belonging to, for a slot reserved to one.
    declared_group: Mapped[str | None] = mapped_column(String(40))
    #: Staff who booked on the resident's behalf (代办); None when the resident booked.
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    slot: Mapped[ServiceSlot] = relationship()


class ProjectEvidence(OrgScoped, Timestamped, db.Model):
    """A photo backing a project's closing report (结项材料)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    file_key: Mapped[str] = mapped_column(String(300))
    mime: Mapped[str] = mapped_column(String(60))
    caption: Mapped[str] = mapped_column(String(200), default="")

    def __repr__(self) -> str:
        return f"<ProjectEvidence {self.id}>"
