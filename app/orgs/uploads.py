"""Uploaded documents (certificates, evidence photos): checked by content, kept under
the uploads area of ``app.storage`` (never under ``static/``) and served only through
permission-checked views.

The type is decided by the bytes, not the file name: a PDF must start with ``%PDF-`` and
end with ``%%EOF``; images must open and verify with Pillow.
"""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import files, storage

PDF, PNG, JPEG = "pdf", "png", "jpg"
MIME = {PDF: "application/pdf", PNG: "image/png", JPEG: "image/jpeg"}
DOCUMENTS = (PDF, PNG, JPEG)
IMAGES = (PNG, JPEG)


class UploadError(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    """A checked file held in memory until ``store`` writes it."""

    data: bytes
    kind: str
    filename: str

    @property
    def mime(self) -> str:
        return MIME[self.kind]


def _sniff(data: bytes) -> str | None:
    """The file's type by its content; a PDF must be complete and an image must decode."""
    kind = files.kind_of(data)
    if kind == PDF:
        return PDF if b"%%EOF" in data[-2048:] else None
    if kind not in IMAGES:
        return None
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            fmt = image.format
    except Exception:  # Pillow raises many kinds for broken files
        return None
    return kind if fmt == {PNG: "PNG", JPEG: "JPEG"}[kind] else None


def check(stream: BinaryIO, filename: str | None, allowed: tuple[str, ...] = DOCUMENTS) -> Upload:
    """Read and check an uploaded file: size first, then its real type."""
    limit = int(current_app.config["UPLOAD_MAX_BYTES"])
    data = stream.read(limit + 1)
    if not data:
        raise UploadError(_l("The file is empty."))
    if len(data) > limit:
        raise UploadError(_l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    kind = _sniff(data)
    if kind not in allowed:
        if allowed == IMAGES:
            raise UploadError(_l("Only PNG or JPEG images are accepted."))
        raise UploadError(_l("Only PDF, PNG or JPEG files are accepted (checked by content)."))
    return Upload(data=data, kind=kind, filename=os.path.basename(filename or "")[:200])


def folder_of(tenant_id: int, folder: str) -> str:
    """Where one owner's files go in the uploads area."""
    return f"{tenant_id}/{folder}"


def store(upload: Upload, tenant_id: int, folder: str) -> str:
    """Keep the file under a name made here (never the one it came with); returns its
    storage key in the uploads area."""
    key = f"{folder_of(tenant_id, folder)}/{uuid.uuid4().hex}.{upload.kind}"
    storage.area(storage.UPLOADS).put(key, upload.data)
    return key


def remove(key: str, under: str) -> None:
    """Forget a stored file (a replaced one); a key outside ``under`` removes nothing."""
    storage.area(storage.UPLOADS).delete(key, under)


def send(key: str, mime: str, download_name: str, under: str):
    """A response with the stored file; private, never cached by shared caches."""
    return storage.send(storage.UPLOADS, key, under, mime, download_name)
