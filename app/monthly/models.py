"""A monthly report (每月通报) as published: a snapshot of the month's figures that does not
change afterwards, one per organization (or for the whole district) and month."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import TenantScoped, Timestamped
from app.extensions import db


class ReportTrigger(enum.StrEnum):
    SCHEDULE = "schedule"  # made by the job at the start of the next month
    BUREAU = "bureau"      # asked for by a bureau officer, for a past month


class MonthlyReport(TenantScoped, Timestamped, db.Model):
    """每月通报. ``org_id`` names the organization, or is empty for the district's own report.
    ``figures`` holds everything the page and the files show, names included, as they were
    when it was made (``app.monthly.figures``)."""

    __table_args__ = (
        CheckConstraint("month >= 1 AND month <= 12", name="month_range"),
        CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
        CheckConstraint("trigger IN ('schedule', 'bureau')", name="trigger_known"),
        Index("uq_monthly_report_org_month", "tenant_id", "org_id", "year", "month", unique=True,
              sqlite_where=text("org_id IS NOT NULL"), postgresql_where=text("org_id IS NOT NULL")),
        Index("uq_monthly_report_district_month", "tenant_id", "year", "month", unique=True,
              sqlite_where=text("org_id IS NULL"), postgresql_where=text("org_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    #: The organization's (or the district's) name when the report was made.
    subject: Mapped[str] = mapped_column(String(200))
    figures: Mapped[dict] = mapped_column(JSON)
    trigger: Mapped[str] = mapped_column(String(10), default=ReportTrigger.SCHEDULE)
    made_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published_at: Mapped[datetime]

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def is_district(self) -> bool:
        return self.org_id is None

    def __repr__(self) -> str:
        return f"<MonthlyReport {self.id} {self.year}-{self.month:02d} org={self.org_id}>"
