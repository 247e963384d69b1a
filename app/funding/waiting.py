"""Who hears that an expenditure waits on a step of its approval ladder (审批阶梯): the
organization's bookkeepers and admins, for the residents' assembly decision and the
procurement record they must put on file; the other bureau officers, for the second
officer's approval once the bureau has approved. Each is told once per expenditure."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.funding import ladder
from app.funding.services import tell

RECORD, LEADER = "expenditure.step_record", "expenditure.leader_approval"


def _told(expenditure, kind: str) -> bool:
    from app.notifications.models import Notification

    return db.session.scalar(select(Notification.id).where(
        Notification.tenant_id == expenditure.tenant_id, Notification.kind == kind,
        Notification.subject_id == expenditure.id).limit(1)) is not None


def tell_waiting(expenditure) -> None:
    """After a step is done: tell whoever can take the next ones, if not told before."""
    missing = ladder.missing(expenditure)
    on_file = [s for s in missing if s in (ladder.ASSEMBLY, ladder.PROCUREMENT)]
    if on_file and expenditure.org_approved_by_id is not None and not _told(expenditure, RECORD):
        for role in (Role.ORG_BOOKKEEPER, Role.ORG_ADMIN):
            tell(expenditure.tenant_id, role,
                 _l("An expenditure waits for its assembly decision or procurement record"),
                 org_id=expenditure.org_id, endpoint="funding.expenditure",
                 expenditure_id=expenditure.id, kind=RECORD, subject_id=expenditure.id)
    if (ladder.LEADER in missing and expenditure.bureau_approved_by_id is not None
            and not _told(expenditure, LEADER)):
        tell(expenditure.tenant_id, Role.BUREAU_OFFICER,
             _l("An expenditure waits for a second bureau officer's approval"),
             exclude=expenditure.bureau_approved_by_id, endpoint="funding.expenditure",
             expenditure_id=expenditure.id, kind=LEADER, subject_id=expenditure.id)
