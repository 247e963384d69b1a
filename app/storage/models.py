"""Files kept in the database (the ``database`` storage backend): one row per file and its
bytes in numbered pieces, so that neither writing nor reading a large file holds it whole."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import utcnow
from app.extensions import db


class StoredFile(db.Model):
    """A file of one storage area under the key the app made for it. The business row that
    names the key (a receipt, an export…) is what the audit log follows."""

    __tablename__ = "stored_file"
    __audit__ = False
    __table_args__ = (
        UniqueConstraint("area", "key"),
        CheckConstraint("size >= 0", name="size_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger)
    chunks: Mapped[int]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredChunk(db.Model):
    """One piece of a stored file, in order by ``seq`` from 0."""

    __tablename__ = "stored_file_chunk"
    __audit__ = False
    __table_args__ = (CheckConstraint("seq >= 0", name="seq_not_negative"),)

    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id", ondelete="CASCADE"),
                                         primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
