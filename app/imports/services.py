"""The rules of an import: upload (stored, then checked in a job), confirm (written in a job),
cancel. Nothing is written before the yes, and the job that writes checks every row again
against what the database holds then, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import storage
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.funding.receipts import display_name
from app.imports import existing, pending, workbook, writes
from app.imports.checks import ERROR, EXISTING, NEW, Checker, Row, duplicates_in_file
from app.imports.columns import Spec, spec
from app.imports.models import MAX_ERRORS, ImportBatch, ImportKind, ImportStatus
from app.imports.workbook import FileRefused
from app.orgs import uploads
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)
#: Rows written per INSERT … executemany (and per commit).
WRITE_CHUNK = 2000
FOLDER = "imports"
#: Beside the upload: its checked new rows (``pending``).
PENDING_SUFFIX = ".rows.json.gz"
#: What the job writes stays in memory up to this size before it is stored.
SPOOL = 8 * 1024 * 1024


class ImportRefused(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


def limit_bytes() -> int:
    """Largest upload: ``IMPORT_MAX_BYTES``, else the uploads' ``UPLOAD_MAX_BYTES`` (a
    100,000-row volunteer list saved by Excel is about 4 MB)."""
    config = current_app.config
    return int(config.get("IMPORT_MAX_BYTES") or config["UPLOAD_MAX_BYTES"])


def upload(tenant: Tenant, user: User, kind: str, org_id: int | None, stream: BinaryIO,
           filename: str | None) -> ImportBatch:
    """Keep the file (checked: size, a real .xlsx) and queue its check."""
    if kind not in set(ImportKind):
        raise ImportRefused(_l("Choose what the file holds."))
    limit = limit_bytes()
    data = stream.read(limit + 1)
    if not data:
        raise ImportRefused(_l("The file is empty."))
    if len(data) > limit:
        raise ImportRefused(_l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    try:
        workbook.check_xlsx(data)
    except FileRefused as exc:
        raise ImportRefused(exc) from None
    key = uploads.store(uploads.Upload(data, "xlsx", ""), tenant.id, FOLDER)
    batch = ImportBatch(tenant_id=tenant.id, kind=kind, org_id=org_id,
                        status=ImportStatus.VALIDATING, file_key=key,
                        original_name=display_name(filename or "") or "upload.xlsx",
                        size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                        requested_by_id=user.id)
    db.session.add(batch)
    db.session.flush()
    from workers.imports import validate_import
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(validate_import, batch.id, queue="default")
    return batch


def _store():
    return storage.area(storage.UPLOADS)


def _folder(tenant_id: int) -> str:
    return uploads.folder_of(tenant_id, FOLDER)


def _remove(key: str | None, tenant_id: int) -> None:
    if key:
        _store().delete(key, _folder(tenant_id))


@dataclass
class Progress:
    """Records a batch's progress at most twice a second; committed so the page sees it."""

    batch: ImportBatch
    start: int = 0
    span: int = 100
    _last: float = field(default=0.0)

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not total or now - self._last < 0.5:
            return
        percent = min(99, self.start + int(self.span * min(done, total) / total))
        if percent > self.batch.progress:
            self._last = now
            self.batch.progress = percent
            db.session.commit()  # only the batch row has changed


def _plain(value) -> str:
    if isinstance(value, datetime) and not (value.hour or value.minute or value.second):
        value = value.date()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def check_file(batch: ImportBatch, progress: Progress) -> tuple[list[str], dict, list[Row]]:
    """Every row of the batch's file, checked on its own, within the file and against the
    database now. ``FileRefused`` when the file itself cannot be used."""
    kind_spec = spec(batch.kind)
    try:
        source = _store().open(batch.file_key, _folder(batch.tenant_id))
    except FileNotFoundError:
        raise FileRefused(_l("The uploaded file is no longer kept; please upload it again.")) \
            from None
    with source:  # read as the rows are checked
        headers, positions, lines, total = workbook.read(source, kind_spec)
        tenant = db.session.get(Tenant, batch.tenant_id)
        checker = Checker(kind_spec, tenant, batch.org_id)
        example = _example(kind_spec)
        rows: list[Row] = []
        first = positions.get(kind_spec.columns[0].key, 0)
        for number, cells in lines:
            if not any(v not in (None, "") for v in cells):
                continue
            if _plain(cells[first]) == example[0] and _given(cells, positions, kind_spec) == example:
                continue
            if len(rows) >= workbook.MAX_ROWS:
                raise FileRefused(_l("The file has more than %(n)s rows; please split it.",
                                     n=workbook.MAX_ROWS))
            rows.append(checker.row(number, cells, positions))
            if len(rows) % 2000 == 0:
                progress(number, total)
    duplicates_in_file(batch.kind, rows)
    existing.mark(batch.kind, batch.tenant_id, rows)
    return headers, positions, rows


def _given(cells: tuple, positions: dict[str, int], kind_spec: Spec) -> tuple:
    return tuple(_plain(cells[positions[c.key]]) if c.key in positions else ""
                 for c in kind_spec.columns)


def _example(kind_spec: Spec) -> tuple:
    return tuple(_plain(v) for v in kind_spec.example)


def _count(batch: ImportBatch, rows: list[Row]) -> None:
    states = [r.state for r in rows]
    batch.total_rows = len(rows)
    batch.valid_rows, batch.existing_rows = states.count(NEW), states.count(EXISTING)
    batch.error_rows = states.count(ERROR)


def _errors(kind_spec: Spec, bad: list[Row]) -> list[dict]:
    titles = {c.key: c.header for c in kind_spec.columns}
    out = []
    for row in bad:
        for key, message in row.problems.items():
            if len(out) == MAX_ERRORS:
                return out
            out.append({"row": row.number, "column": titles.get(key, ""), "message": message})
    return out


def validate(batch: ImportBatch) -> ImportBatch:
    """The job's work after an upload: check every row, keep the counts, the first errors and
    the annotated file. Caller commits."""
    if batch.status != ImportStatus.VALIDATING:
        return batch
    try:
        headers, positions, rows = check_file(batch, Progress(batch, 0, 90))
    except FileRefused as exc:
        return _failed(batch, str(exc))
    _count(batch, rows)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL) as out:
        pending.save(out, [r for r in rows if r.state == NEW])
        out.seek(0)
        _store().put(batch.file_key + PENDING_SUFFIX, out)
    bad = [r for r in rows if r.state == ERROR]
    batch.errors = _errors(spec(batch.kind), bad)
    if bad:
        key = f"{uploads.folder_of(batch.tenant_id, FOLDER)}/{uuid.uuid4().hex}-errors.xlsx"
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as out:
            workbook.annotated(out, spec(batch.kind), headers, positions, bad)
            out.seek(0)
            _store().put(key, out)
        batch.annotated_key = key
    batch.status, batch.progress, batch.finished_at = ImportStatus.READY, 100, utcnow()
    return batch


def _failed(batch: ImportBatch, message: str) -> ImportBatch:
    batch.status, batch.error, batch.finished_at = ImportStatus.FAILED, message, utcnow()
    return batch


def may_retry(batch: ImportBatch) -> bool:
    """An import that stopped part-way may be confirmed again: it goes on where it stopped."""
    return batch.status == ImportStatus.FAILED and batch.confirmed_at is not None


def confirm(batch: ImportBatch, user: User) -> ImportBatch:
    """The yes: the batch's new rows are written by a job."""
    if not (batch.status == ImportStatus.READY or may_retry(batch)):
        raise ImportRefused(_l("This import is not waiting for a confirmation."), 409)
    if batch.status == ImportStatus.READY and not batch.valid_rows:
        raise ImportRefused(_l("There are no new rows to import."), 409)
    busy = db.session.scalar(select(ImportBatch.id).where(
        ImportBatch.tenant_id == batch.tenant_id, ImportBatch.status == ImportStatus.IMPORTING,
        ImportBatch.id != batch.id).limit(1))
    if busy is not None:
        raise ImportRefused(_l("Another import is being written; please confirm again in a "
                               "moment."), 409)
    batch.status, batch.progress, batch.error = ImportStatus.IMPORTING, 0, ""
    batch.confirmed_by_id, batch.confirmed_at = user.id, utcnow()
    db.session.flush()
    from workers.imports import run_import
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(run_import, batch.id, queue="default")
    return batch


def cancel(batch: ImportBatch) -> ImportBatch:
    """Nothing is written; the file and its annotated copy are deleted."""
    if batch.status not in (ImportStatus.READY, ImportStatus.FAILED):
        raise ImportRefused(_l("This import can no longer be cancelled."), 409)
    for key in (batch.file_key, batch.file_key + PENDING_SUFFIX, batch.annotated_key):
        _remove(key, batch.tenant_id)
    batch.annotated_key = None
    batch.status, batch.finished_at = ImportStatus.CANCELLED, utcnow()
    db.session.flush()
    return batch


def run(batch: ImportBatch) -> ImportBatch:
    """The job's work after the yes: check again, write the new rows in chunks (each chunk
    committed, so an import stopped part-way goes on where it stopped when confirmed again)."""
    if batch.status != ImportStatus.IMPORTING:
        return batch
    try:
        with _store().open(batch.file_key + PENDING_SUFFIX, _folder(batch.tenant_id)) as source:
            rows = pending.load(source)
    except (OSError, ValueError):
        return _failed(batch, _("The uploaded file is no longer kept; please upload it again."))
    existing.mark(batch.kind, batch.tenant_id, rows)  # what was written since the check
    new = [r.values for r in rows if r.state == NEW]
    batch.existing_rows += sum(1 for r in rows if r.state == EXISTING)
    batch.error_rows += sum(1 for r in rows if r.state == ERROR)
    del rows
    write = writes.WRITERS[batch.kind]
    org_names = {}
    if batch.kind == ImportKind.RECORDS:
        from app.orgs.models import Organization

        org_names = dict(db.session.execute(select(Organization.id, Organization.name).where(
            Organization.tenant_id == batch.tenant_id)).all())
    now, done, progress = utcnow(), 0, Progress(batch, 5, 95)
    batch.imported_rows = 0
    for start in range(0, len(new), WRITE_CHUNK):
        chunk = new[start:start + WRITE_CHUNK]
        write(batch.tenant_id, chunk, now, confirmed_by=batch.confirmed_by_id,
              org_names=org_names)
        done += len(chunk)
        batch.imported_rows = done
        db.session.commit()
        progress(done, len(new))
    if batch.kind in (ImportKind.RECORDS, ImportKind.NATIONAL) and done:
        from app.service.standing import recompute_stars

        recompute_stars(db.session.get(Tenant, batch.tenant_id))
    batch.valid_rows = done
    batch.status, batch.progress, batch.finished_at = ImportStatus.DONE, 100, utcnow()
    _remove(batch.file_key, batch.tenant_id)
    _remove(batch.file_key + PENDING_SUFFIX, batch.tenant_id)
    return batch


def stopped(batch_id: int, message: str) -> None:
    """After an unexpected failure (rolled back): the batch says so, with what was written."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is not None and batch.is_pending:
        _failed(batch, message or _("The import stopped unexpectedly; please try again."))
