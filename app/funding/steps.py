"""The steps of the approval ladder beyond the two approvals (``app.funding.ladder``): the
organization records the residents' assembly decision and the procurement with their files;
a second bureau officer, not the one who approved for the bureau, approves as leader. Each
step that completes the ladder moves the expenditure on, as the last approval does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.funding import ladder
from app.funding.models_spending import Expenditure, ExpenditureStatus
from app.funding.models_steps import AssemblyDecision, ProcurementRecord, StepFile
from app.funding.services import FundingError, locked, required, today
from app.orgs import uploads

NOTE_MAX = 2000
MAX_COUNT = 100_000


def read(files) -> list[uploads.Upload]:
    """Check uploaded files (werkzeug ``FileStorage``) by size and content."""
    try:
        return [uploads.check(f.stream, f.filename) for f in files or []
                if getattr(f, "filename", "")]
    except uploads.UploadError as exc:
        raise FundingError(str(exc)) from exc


def folder(expenditure: Expenditure) -> str:
    return f"steps/{expenditure.org_id}"


def under(stored: StepFile) -> str:
    return uploads.folder_of(stored.tenant_id, f"steps/{stored.org_id}")


def _pending(expenditure: Expenditure) -> Expenditure:
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status != ExpenditureStatus.PENDING:
        raise FundingError(_l("This expenditure is not awaiting approval."))
    return expenditure


def _attach(expenditure: Expenditure, user, step: str, files: Sequence[uploads.Upload]) -> None:
    for upload in files:
        key = uploads.store(upload, expenditure.tenant_id, folder(expenditure))
        db.session.add(StepFile(tenant_id=expenditure.tenant_id, org_id=expenditure.org_id,
                                expenditure_id=expenditure.id, step=step, file_key=key,
                                mime=upload.mime, original_name=upload.filename,
                                size=len(upload.data), uploaded_by_id=user.id))


def _count(value, message) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise FundingError(message)
    return value


def record_assembly(expenditure: Expenditure, user, *, held_on: date | None, attendance: int,
                    votes_for: int, votes_against: int, votes_abstain: int,
                    minutes: Sequence[uploads.Upload]) -> AssemblyDecision:
    """The residents' assembly that decided on this expenditure: a majority of those present
    voted for it, and its minutes are on file."""
    expenditure = _pending(expenditure)
    if db.session.scalar(select(AssemblyDecision.id).where(
            AssemblyDecision.expenditure_id == expenditure.id)) is not None:
        raise FundingError(_l("The assembly decision is already on record."))
    if held_on is None or held_on > today():
        raise FundingError(_l("The assembly's date cannot be in the future."))
    counts = [_count(n, _l("Enter the attendance and the votes as whole numbers."))
              for n in (attendance, votes_for, votes_against, votes_abstain)]
    if counts[0] == 0 or sum(counts[1:]) > counts[0]:
        raise FundingError(_l("The votes cannot add up to more than the people present."))
    if counts[1] * 2 <= counts[0]:
        raise FundingError(_l("Fewer than half of those present voted for it: the assembly did "
                              "not approve it. Reject the expenditure instead."))
    if not minutes:
        raise FundingError(_l("Attach the minutes of the assembly (a photo or a PDF)."))
    decision = AssemblyDecision(
        tenant_id=expenditure.tenant_id, org_id=expenditure.org_id,
        expenditure_id=expenditure.id, held_on=held_on, attendance=counts[0],
        votes_for=counts[1], votes_against=counts[2], votes_abstain=counts[3],
        recorded_by_id=user.id)
    db.session.add(decision)
    _attach(expenditure, user, ladder.ASSEMBLY, minutes)
    db.session.flush()
    _advance(expenditure)
    return decision


def record_procurement(expenditure: Expenditure, user, *, method: str, supplier: str,
                       note: str, documents: Sequence[uploads.Upload]) -> ProcurementRecord:
    """How the supplier was chosen: three quotes (three files) or a tender (its papers)."""
    expenditure = _pending(expenditure)
    if db.session.scalar(select(ProcurementRecord.id).where(
            ProcurementRecord.expenditure_id == expenditure.id)) is not None:
        raise FundingError(_l("The procurement is already on record."))
    if method not in ladder.METHODS:
        raise FundingError(_l("Choose three quotes or a tender."))
    supplier = required(supplier, _l("Name the supplier that was chosen."), 120)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FundingError(_l("The note is too long (at most %(n)d characters).", n=NOTE_MAX))
    if len(documents) < ladder.FILES_NEEDED[method]:
        raise FundingError(_l("Attach the three quotes, one file each.") if method == ladder.QUOTES
                           else _l("Attach the tender's documents."))
    record = ProcurementRecord(tenant_id=expenditure.tenant_id, org_id=expenditure.org_id,
                               expenditure_id=expenditure.id, method=method, supplier=supplier,
                               note=note, recorded_by_id=user.id)
    db.session.add(record)
    _attach(expenditure, user, ladder.PROCUREMENT, documents)
    db.session.flush()
    _advance(expenditure)
    return record


def approve_as_leader(expenditure: Expenditure, user) -> Expenditure:
    """A second bureau officer's (a leader's) approval, after the bureau's first."""
    expenditure = _pending(expenditure)
    if ladder.LEADER not in expenditure.step_list:
        raise FundingError(_l("This amount needs no second officer's approval."))
    if expenditure.leader_approved_by_id is not None:
        raise FundingError(_l("A second officer has already approved this expenditure."))
    if expenditure.bureau_approved_by_id is None:
        raise FundingError(_l("The bureau approves first; a second officer then approves."))
    if user.id in (expenditure.bureau_approved_by_id, expenditure.recorded_by_id):
        raise FundingError(_l("A second bureau officer approves: not the one who approved for "
                              "the bureau, nor the one who recorded it."))
    expenditure.leader_approved_by_id, expenditure.leader_approved_at = user.id, utcnow()
    db.session.flush()
    _advance(expenditure)
    return expenditure


def _advance(expenditure: Expenditure) -> None:
    from app.funding.spending import advance

    advance(expenditure)
