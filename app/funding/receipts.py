"""Receipt files: checked by their content (magic bytes) and size, never trusted by name, and
kept in the uploads area of ``app.storage`` (outside the static folder) with a random name."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import files, storage
from app.extensions import db
from app.funding.models_spending import Expenditure, Receipt
from app.funding.services import FundingError


@dataclass(frozen=True)
class Upload:
    """A file as received: its bytes and the name the browser gave it (for display only)."""

    data: bytes
    filename: str = ""


CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg",
                 "webp": "image/webp"}


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes, or None if not an image or PDF."""
    kind = files.kind_of(data)
    return (CONTENT_TYPES[kind], kind) if kind else None


def check(upload: Upload) -> tuple[str, str]:
    """Refuse empty, oversized, and non-image/PDF files whatever their extension says."""
    limit = int(current_app.config.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    if not upload.data:
        raise FundingError(_l("The receipt file is empty."))
    if len(upload.data) > limit:
        raise FundingError(_l("The receipt is larger than %(mb)d MB.", mb=limit // (1024 * 1024)))
    kind = sniff(upload.data)
    if kind is None:
        raise FundingError(_l("A receipt must be a photo (JPEG, PNG, WebP) or a PDF file."))
    return kind


def folder_of(receipt: Receipt | Expenditure) -> str:
    """The organization's receipt folder in the uploads area."""
    return f"receipts/{receipt.tenant_id}/{receipt.org_id}"


def display_name(filename: str) -> str:
    """The name a file came with, kept for display only: its last part (after ``/`` or
    ``\\``), without control characters."""
    name = re.split(r"[/\\]", filename or "")[-1]
    return "".join(c for c in name if c.isprintable())[:200]


def store(expenditure: Expenditure, user, upload: Upload) -> Receipt:
    """Write the file under a random name and record it against ``expenditure``."""
    content_type, ext = check(upload)
    relative = f"{folder_of(expenditure)}/{uuid.uuid4().hex}.{ext}"
    storage.area(storage.UPLOADS).put(relative, upload.data)
    receipt = Receipt(tenant_id=expenditure.tenant_id, org_id=expenditure.org_id,
                      expenditure_id=expenditure.id, stored_name=relative,
                      original_name=display_name(upload.filename),
                      content_type=content_type, size=len(upload.data),
                      sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_by_id=user.id)
    db.session.add(receipt)
    db.session.flush()
    return receipt


def copy_to(receipt: Receipt, expenditure: Expenditure) -> Receipt:
    """The same stored file, attached to a correcting entry (files are never rewritten)."""
    twin = Receipt(tenant_id=receipt.tenant_id, org_id=receipt.org_id,
                   expenditure_id=expenditure.id, stored_name=receipt.stored_name,
                   original_name=receipt.original_name, content_type=receipt.content_type,
                   size=receipt.size, sha256=receipt.sha256, uploaded_by_id=receipt.uploaded_by_id)
    db.session.add(twin)
    db.session.flush()
    return twin
