"""What the complaints domain's inbox messages are about: a complaint to answer (new,
assigned or reopened) and one escalated (to an area's staff or to the bureau)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.complaints import labels
from app.complaints.models import WAITING, Complaint, ComplaintStatus
from app.extensions import db
from app.navigation import path_for
from app.notifications.subjects import Subject, names, subject
from app.tenancy.models import Tenant


@subject("complaint.answer", "complaint.escalated",
         summary={"complaint.answer": _l("Residents filed %(n)s complaints"),
                  "complaint.escalated": _l("%(n)s complaints were escalated")})
def _complaints(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    rows = db.session.execute(select(Complaint, Tenant.slug)
                              .join(Tenant, Tenant.id == Complaint.tenant_id)
                              .where(Complaint.id.in_(ids))).all()
    who = names((c.answered_by_id for c, _slug in rows), viewer_id)
    found = {}
    for complaint, slug in rows:
        done = None
        if complaint.status == ComplaintStatus.SATISFIED:
            done = str(labels.STATUS["satisfied"])
        elif kind == "complaint.answer" and complaint.status not in WAITING:
            done = _("Answered by %(name)s", name=who.get(complaint.answered_by_id, "—"))
        text = complaint.body if len(complaint.body) <= 30 else complaint.body[:30] + "…"
        found[complaint.id] = Subject(text, path_for("complaints.show", tenant=slug,
                                                     complaint_id=complaint.id), done)
    return found
