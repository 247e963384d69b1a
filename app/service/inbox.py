"""What the service domain's inbox messages are about: late records waiting for the bureau."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.navigation import path_for
from app.notifications.subjects import Subject, names, subject
from app.projects.models import Project, Shift
from app.service.models import HoursRequest, RequestStatus
from app.tenancy.models import Tenant


@subject("hours.late", summary={"hours.late": _l("%(n)s late service records await your approval")})
def _late_records(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    rows = db.session.execute(
        select(HoursRequest, Project.name, User.name, Tenant.slug)
        .join(Shift, Shift.id == HoursRequest.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .join(User, User.id == HoursRequest.user_id)
        .join(Tenant, Tenant.id == HoursRequest.tenant_id)
        .where(HoursRequest.id.in_(ids))).all()
    who = names((r.decided_by_id for r, *_ in rows), viewer_id)
    found = {}
    for request, project, volunteer, slug in rows:
        done = None
        if request.status == RequestStatus.APPROVED:
            done = _("Approved by %(name)s", name=who.get(request.decided_by_id, "—"))
        elif request.status == RequestStatus.REJECTED:
            done = _("Rejected by %(name)s", name=who.get(request.decided_by_id, "—"))
        found[request.id] = Subject(_("%(activity)s: %(volunteer)s", activity=project,
                                      volunteer=volunteer),
                                    path_for("service.late_requests", tenant=slug), done)
    return found
