"""Inbox messages about complaints: to the people who handle a new or reopened complaint,
to the handler named, to the resident when it is answered or passed to the bureau, and to the
staff of each area (then the bureau's officers) a late or reopened one is escalated to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.complaints.models import Complaint
from app.extensions import db
from app.navigation import path_for
from app.notifications.services import notify
from app.service.permissions import COORDINATING
from app.tenancy.models import Tenant


def link(complaint: Complaint) -> str:
    slug = db.session.get(Tenant, complaint.tenant_id).slug
    return path_for("complaints.show", tenant=slug, complaint_id=complaint.id)


def _holders(tenant_id: int, roles, org_id: int | None = None) -> list[User]:
    stmt = select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.tenant_id == tenant_id, RoleGrant.role.in_([str(r) for r in roles]),
        User.active.is_(True))
    if org_id is not None:
        stmt = stmt.where(RoleGrant.org_id == org_id)
    return list(db.session.scalars(stmt.distinct().order_by(User.id)))


def _handling(complaint: Complaint) -> list[User]:
    if complaint.handler_id is not None:
        return [db.session.get(User, complaint.handler_id)]
    if complaint.org_id is None:
        return _holders(complaint.tenant_id, (Role.BUREAU_OFFICER,))
    return _holders(complaint.tenant_id, COORDINATING, complaint.org_id)


def filed(complaint: Complaint) -> None:
    for person in _handling(complaint):
        notify(person, _l("A resident filed a complaint"), complaint.body[:200],
               link=link(complaint), tenant_id=complaint.tenant_id, kind="complaint.answer",
               subject_id=complaint.id)


def assigned(complaint: Complaint, handler: User) -> None:
    notify(handler, _l("You are handling a complaint"), complaint.body[:200],
           link=link(complaint), tenant_id=complaint.tenant_id, email=False,
           kind="complaint.answer", subject_id=complaint.id)


def answered(complaint: Complaint) -> None:
    notify(db.session.get(User, complaint.user_id), _l("Your complaint has been answered"),
           complaint.answer, link=link(complaint), tenant_id=complaint.tenant_id)


def reopened(complaint: Complaint) -> None:
    for person in _handling(complaint):
        notify(person, _l("The resident is not satisfied: please handle the complaint again"),
               complaint.reopen_reason[:200], link=link(complaint),
               tenant_id=complaint.tenant_id, kind="complaint.answer", subject_id=complaint.id)


def escalated(complaint: Complaint, area, people: list[User]) -> None:
    """Tell ``people``: the staff in charge of ``area``, or the bureau's officers when it is
    None; the resident hears once the bureau has it."""
    title = (_l("A complaint in %(area)s is late or the resident is not satisfied",
                area=area.name) if area is not None
             else _l("A complaint was escalated to the bureau"))
    for person in people:
        notify(person, title, complaint.body[:200], link=link(complaint),
               tenant_id=complaint.tenant_id, email=False, kind="complaint.escalated",
               subject_id=complaint.id)
    if area is None:
        notify(db.session.get(User, complaint.user_id),
               _l("Your complaint was passed to the bureau, which will see it through"),
               complaint.body[:200], link=link(complaint), tenant_id=complaint.tenant_id,
               email=False)
