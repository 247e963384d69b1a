"""Anomaly findings (异常线索) and the scans that raise them.

A finding is keyed by its rule and subject (``rule`` + ``subject_key``, unique per tenant),
so running a scan again updates what it saw instead of adding a duplicate. Findings are
never deleted: they are assigned, investigated and resolved with a note.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped, utcnow
from app.extensions import db


class Severity(enum.StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


SEVERITY_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


class FindingStatus(enum.StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"  # assigned to someone who is looking into it
    RESOLVED = "resolved"


class Resolution(enum.StrEnum):
    CONFIRMED = "confirmed"  # a real problem; what was done is in the note
    EXPLAINED = "explained"  # not a problem once the evidence was read


class ScanStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ScanRun(TenantScoped, Timestamped, db.Model):
    """One run of the anomaly rules over a tenant (nightly, on demand, or from the CLI)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trigger: Mapped[str] = mapped_column(String(20))  # nightly / manual / cli
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=ScanStatus.QUEUED)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    #: Per rule: {"hits": n, "new": m, "ms": t} or {"error": "..."}.
    rule_stats: Mapped[dict] = mapped_column(JSON, default=dict)
    hits: Mapped[int] = mapped_column(default=0)
    new_findings: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")

    requested_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ScanRun {self.id}>"


class Finding(TenantScoped, db.Model):
    """One anomaly for one subject: severity, evidence, who looks into it and how it ended."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "rule", "subject_key"),
        CheckConstraint("(status = 'resolved') = (resolved_at IS NOT NULL)", name="resolved_has_time"),
        CheckConstraint("status <> 'resolved' OR resolution IS NOT NULL", name="resolved_has_outcome"),
        Index("ix_finding_queue", "tenant_id", "status", "severity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(60))
    subject_key: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="SET NULL"),
                                               index=True)
    severity: Mapped[str] = mapped_column(String(10))
    #: Values for the rule's message ({"minutes": 90, ...}); no personal numbers.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: What to look at: [{"type": "service_record", "id": 17}, ...].
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=FindingStatus.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    times_seen: Mapped[int] = mapped_column(default=1)
    first_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan_run.id", ondelete="SET NULL"))
    last_scan_id: Mapped[int | None] = mapped_column(ForeignKey("scan_run.id", ondelete="SET NULL"))

    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_resolved(self) -> bool:
        return self.status == FindingStatus.RESOLVED

    def __repr__(self) -> str:
        return f"<Finding {self.id} {self.rule}>"


class OrgServiceSummary(TenantScoped, db.Model):
    """Per organization: service totals for the tenant dashboard, recomputed set-based by the
    nightly job (and on demand), so the dashboard stays fast over millions of records.
    Organization and contract pages compute the same figures live."""

    __table_args__ = (UniqueConstraint("tenant_id", "org_id"),)
    __audit__ = False  # derived numbers, rebuilt from the records; nobody edits them

    id: Mapped[int] = mapped_column(primary_key=True)
    #: None: the tenant's totals (volunteers and people counted once across organizations).
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    verified_minutes: Mapped[int] = mapped_column(default=0)
    staff_minutes: Mapped[int] = mapped_column(default=0)
    records: Mapped[int] = mapped_column(default=0)
    volunteers: Mapped[int] = mapped_column(default=0)
    people_served: Mapped[int] = mapped_column(default=0)
    ratings: Mapped[int] = mapped_column(default=0)
    rating_sum: Mapped[int] = mapped_column(default=0)
    complaints: Mapped[int] = mapped_column(default=0)
    no_shows: Mapped[int] = mapped_column(default=0)
    visits_reached: Mapped[int] = mapped_column(default=0)
    visits_confirmed: Mapped[int] = mapped_column(default=0)
    visit_score_sum: Mapped[int] = mapped_column(default=0)
    visit_scores: Mapped[int] = mapped_column(default=0)
    refreshed_at: Mapped[datetime] = mapped_column(default=utcnow)
