"""An export job and the file it produced (kept in ``app.storage``)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


class Export(TenantScoped, Timestamped, db.Model):
    """What was asked for (kind, params, format), by whom, and how far the job has got."""

    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("status <> 'ready' OR file_name IS NOT NULL", name="ready_has_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    fmt: Mapped[str] = mapped_column(String(10))  # xlsx / pdf / xml / json / beancount
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=ExportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    #: Its key in the exports area of ``app.storage``: ``<tenant id>/<export id>-<kind>.<fmt>``.
    file_name: Mapped[str | None] = mapped_column(String(200))
    download_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int | None]
    rows: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")
    #: Times a file holding personal data was downloaded (each one is in the audit log, with who).
    downloads: Mapped[int] = mapped_column(default=0, server_default="0")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    requested_by: Mapped[User] = relationship()

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY

    @property
    def is_pending(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    def __repr__(self) -> str:
        return f"<Export {self.id} {self.kind}>"
