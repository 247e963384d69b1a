"""Asking for an export, running it in a job, and finding its file.

The request validates the kind, format and parameters and stores an ``Export`` row; the
job (queue ``exports``) builds the file in a scratch folder and keeps it in the exports area
of ``app.storage`` under ``<tenant id>/``, updating the row's progress as it goes, and marks
it ready or failed. Running a finished export
again does nothing.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask_babel import lazy_gettext as _l

from app import storage
from app.auth.models import User
from app.db import utcnow
from app.exports.models import Export, ExportStatus
from app.exports.registry import ExportError, kinds
from app.extensions import db
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)


def request_export(tenant: Tenant, user: User, kind: str, fmt: str, params: dict) -> Export:
    spec = kinds().get(kind)
    if spec is None:
        raise ExportError(_l("This kind of export does not exist."))
    if fmt not in spec.formats:
        raise ExportError(_l("This export cannot be made in that format."))
    clean = spec.validate(tenant, dict(params))
    export = Export(tenant_id=tenant.id, kind=kind, fmt=fmt, params=clean,
                    requested_by_id=user.id, status=ExportStatus.QUEUED)
    db.session.add(export)
    db.session.flush()
    from workers.exports import run_export
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(run_export, export.id, queue="exports", retry=1)
    return export


@dataclass
class Job:
    """What a builder gets: the export, its tenant, where to write, and a progress hook."""

    export: Export
    tenant: Tenant
    path: Path
    _last: float = 0.0

    @property
    def params(self) -> dict:
        return self.export.params or {}

    @property
    def fmt(self) -> str:
        return self.export.fmt

    def progress(self, done: int, total: int) -> None:
        """Record progress (at most twice a second) and commit it so the status page sees it.

        Builders call it between batches (never while iterating an open cursor)."""
        percent = min(99, int(done * 100 / total)) if total else 0
        now = time.monotonic()
        if percent <= self.export.progress or now - self._last < 0.5:
            return
        self._last = now
        self.export.progress = percent
        db.session.commit()  # builders only read, so committing mid-way changes nothing else


def under(export: Export) -> str:
    """The tenant's folder, where an export's file must lie."""
    return str(export.tenant_id)


def run(export: Export) -> Export:
    """Build the file. Caller commits."""
    if export.status in (ExportStatus.READY,):
        return export
    spec = kinds()[export.kind]
    tenant = db.session.get(Tenant, export.tenant_id)
    relative = f"{tenant.id}/{export.id}-{export.kind}.{export.fmt}"
    scratch = Path(tempfile.mkdtemp(prefix="gz-export-"))
    export.status, export.started_at, export.progress = ExportStatus.RUNNING, utcnow(), 0
    job = Job(export, tenant, scratch / PurePosixPath(relative).name)
    try:
        spec.build(job)
        with job.path.open("rb") as built:
            export.size_bytes = storage.area(storage.EXPORTS).put(relative, built)
    except Exception as exc:
        log.exception("export %s failed", export.id)
        export.status, export.error = ExportStatus.FAILED, str(exc)[:1000]
        export.finished_at = utcnow()
        return export
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    export.file_name = relative
    export.status, export.progress, export.finished_at = ExportStatus.READY, 100, utcnow()
    stamp = export.finished_at.strftime("%Y%m%d")
    export.download_name = f"{export.kind}-{tenant.slug}-{stamp}-{export.id}.{export.fmt}"
    return export
