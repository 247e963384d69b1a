"""The database backend: files as blobs in the app's database, shared by every machine that
uses it. Written and read a piece (``CHUNK`` bytes) at a time; a file being read is spooled
to a temporary file (in memory while small), so a large one never sits whole in memory."""

from __future__ import annotations

import io
import tempfile
from typing import BinaryIO

from sqlalchemy import delete, insert, select, update

from app import files
from app.db import utcnow
from app.extensions import db
from app.storage.models import StoredChunk, StoredFile

CHUNK = 1024 * 1024
#: A file read back stays in memory up to this size, then moves to a temporary file.
SPOOL = 4 * CHUNK


def check(key: str, under: str = "") -> str:
    """The key as kept: relative, ``/``-separated, in ``under``, written the plain way."""
    parts = files.parts(key)
    folder = files.parts(under) if under else ()
    if parts[:len(folder)] != folder or len(parts) == len(folder):
        raise FileNotFoundError(key)
    return key


class DatabaseStore:
    is_local = False

    def __init__(self, area: str) -> None:
        self.area = area

    def _row(self, key: str, under: str = ""):
        return db.session.execute(select(StoredFile.id, StoredFile.size, StoredFile.chunks).where(
            StoredFile.area == self.area, StoredFile.key == check(key, under))).first()

    def put(self, key: str, source: bytes | BinaryIO) -> int:
        self.delete(check(key))
        stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        file_id = db.session.execute(insert(StoredFile).values(
            area=self.area, key=key, size=0, chunks=0, stored_at=utcnow())
            .returning(StoredFile.id)).scalar_one()
        size = seq = 0
        while piece := stream.read(CHUNK):
            db.session.execute(insert(StoredChunk).values(file_id=file_id, seq=seq, data=piece))
            size, seq = size + len(piece), seq + 1
        db.session.execute(update(StoredFile).where(StoredFile.id == file_id)
                           .values(size=size, chunks=seq),
                           execution_options={"synchronize_session": False})
        return size

    def open(self, key: str, under: str = "") -> BinaryIO:
        row = self._row(key, under)
        if row is None:
            raise FileNotFoundError(key)
        out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 (the caller closes it)
        for seq in range(row.chunks):
            out.write(db.session.scalar(select(StoredChunk.data).where(
                StoredChunk.file_id == row.id, StoredChunk.seq == seq)))
        out.seek(0)
        return out

    def exists(self, key: str, under: str = "") -> bool:
        try:
            return self._row(key, under) is not None
        except FileNotFoundError:
            return False

    def size(self, key: str) -> int | None:
        row = self._row(key)
        return None if row is None else row.size

    def delete(self, key: str, under: str = "") -> None:
        try:
            row = self._row(key, under)
        except FileNotFoundError:
            return
        if row is not None:  # the pieces first: SQLite may not enforce the cascade
            db.session.execute(delete(StoredChunk).where(StoredChunk.file_id == row.id))
            db.session.execute(delete(StoredFile).where(StoredFile.id == row.id))

    def names(self, folder: str) -> list[str]:
        prefix = check(folder) + "/"
        keys = db.session.scalars(select(StoredFile.key).where(
            StoredFile.area == self.area, StoredFile.key.startswith(prefix, autoescape=True)))
        return sorted(k[len(prefix):] for k in keys if "/" not in k[len(prefix):])
