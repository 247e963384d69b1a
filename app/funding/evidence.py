"""Milestone evidence for a tranche (里程碑佐证): what shows the milestone is met, the files
that back it, and the written reason a payment needs when it comes before its planned date or
without any file. The same rules hold when the payment is asked for and when it is approved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.funding.models import Tranche, TrancheEvidence
from app.funding.services import FundingError, required
from app.orgs import uploads

TEXT_MAX = 2000
REASON_MIN = 10


def folder(tranche: Tranche) -> str:
    """Where one organization's tranche evidence lives, relative to the tenant's uploads."""
    return f"tranches/{tranche.org_id}"


def under(evidence: TrancheEvidence) -> str:
    return uploads.folder_of(evidence.tenant_id, f"tranches/{evidence.org_id}")


def read(files) -> list[uploads.Upload]:
    """Check uploaded files (werkzeug ``FileStorage``) by size and content; a refusal is a
    ``FundingError`` so pages and the API explain it like any other."""
    try:
        return [uploads.check(f.stream, f.filename) for f in files or []
                if getattr(f, "filename", "")]
    except uploads.UploadError as exc:
        raise FundingError(str(exc)) from exc


def attach(tranche: Tranche, user, files: Sequence[uploads.Upload]) -> list[TrancheEvidence]:
    """Store checked files (``uploads.check``) as evidence of ``tranche``'s milestone."""
    if tranche.status == "paid" and files:
        raise FundingError(_l("This tranche is already paid; its evidence cannot change."))
    rows = []
    for upload in files:
        key = uploads.store(upload, tranche.tenant_id, folder(tranche))
        row = TrancheEvidence(tenant_id=tranche.tenant_id, org_id=tranche.org_id,
                              tranche_id=tranche.id, file_key=key, mime=upload.mime,
                              original_name=upload.filename, size=len(upload.data),
                              uploaded_by_id=user.id)
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def file_count(tranche: Tranche) -> int:
    return db.session.query(TrancheEvidence).filter_by(tranche_id=tranche.id).count()


def reason_needed(tranche: Tranche, on: date, new_files: int = 0) -> list:
    """Why a written reason is needed to pay ``tranche`` on ``on`` with ``new_files`` more
    files (empty: none is)."""
    why = []
    if tranche.days_early(on) > 0:
        why.append(_l("it is paid %(n)d days before its planned date %(date)s",
                      n=tranche.days_early(on), date=tranche.planned_on.isoformat()))
    if file_count(tranche) + new_files == 0:
        why.append(_l("no evidence file is attached"))
    return why


def check(tranche: Tranche, on: date, description: str, reason: str,
          new_files: int = 0) -> None:
    """Refuse a request (or an approval) that lacks the evidence or the reason it needs."""
    required(description, _l("Please describe what shows the milestone is met."), TEXT_MAX)
    why = reason_needed(tranche, on, new_files)
    if why and len((reason or "").strip()) < REASON_MIN:
        raise FundingError(_l("Please write why it must be paid now (at least %(n)d characters): "
                              "%(why)s.", n=REASON_MIN, why="; ".join(str(w) for w in why)))
    if len((reason or "").strip()) > TEXT_MAX:
        raise FundingError(_l("The reason is too long (at most %(n)d characters).", n=TEXT_MAX))
