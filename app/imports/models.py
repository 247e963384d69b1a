"""One uploaded spreadsheet (导入批次): what it holds, how its rows fared, and who confirmed it.

The file is checked in a job (``validating`` → ``ready``); nothing is written until someone
confirms (``importing`` → ``done``) or cancels it. Counts: ``valid_rows`` would be added,
``existing_rows`` are already recorded identically (已存在) and are left as they are,
``error_rows`` are refused with their reasons (the first ``MAX_ERRORS`` kept here, all of
them in the annotated file).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db import TenantScoped, Timestamped
from app.extensions import db

#: Errors kept on the batch (and shown on its page); the annotated file holds every one.
MAX_ERRORS = 200


class ImportKind(enum.StrEnum):
    VOLUNTEERS = "volunteers"        # 志愿者信息
    RESIDENTS = "residents"          # 居民信息
    ORGANIZATIONS = "organizations"  # 社会组织
    RECORDS = "records"              # 往期服务记录
    #: Service records exported from the national volunteer system (全国志愿服务信息系统).
    NATIONAL = "national_records"


#: What an organization's admin may import for the organization.
ORG_KINDS = (ImportKind.VOLUNTEERS, ImportKind.RECORDS, ImportKind.NATIONAL)


class ImportStatus(enum.StrEnum):
    VALIDATING = "validating"  # the file is being checked
    READY = "ready"            # checked: waiting for a yes or a cancel
    IMPORTING = "importing"    # confirmed: rows being written
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"          # the file could not be read, or the job stopped


PENDING = (ImportStatus.VALIDATING, ImportStatus.IMPORTING)


class ImportBatch(TenantScoped, Timestamped, db.Model):
    __table_args__ = (
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress_range"),
        CheckConstraint("kind IN ('volunteers', 'residents', 'organizations', 'records', "
                        "'national_records')",
                        name="kind_known"),
        Index("ix_import_batch_tenant_status", "tenant_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: The organization importing its own volunteers or records; None for the bureau's.
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=ImportStatus.VALIDATING)
    #: Its key in the uploads area of ``app.storage``, a name made here; the name it came with is for display.
    file_key: Mapped[str] = mapped_column(String(300))
    original_name: Mapped[str] = mapped_column(String(200), default="")
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    progress: Mapped[int] = mapped_column(default=0)
    total_rows: Mapped[int] = mapped_column(default=0)
    valid_rows: Mapped[int] = mapped_column(default=0)
    existing_rows: Mapped[int] = mapped_column(default=0)
    error_rows: Mapped[int] = mapped_column(default=0)
    imported_rows: Mapped[int] = mapped_column(default=0)
    #: The first ``MAX_ERRORS`` problems: ``{"row": 5, "column": "身份证号码", "message": …}``.
    errors: Mapped[list] = mapped_column(JSON, default=list)
    #: The rows with problems, each with its reasons and the bad cells in red (xlsx).
    annotated_key: Mapped[str | None] = mapped_column(String(300))
    #: Why the whole file was refused or the job stopped (not a row's problem).
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="RESTRICT"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.kind}>"
