"""Complaints on the workbench: for the bureau, complaints escalated to it that wait for an
answer; for the resident, answers waiting for their verdict (satisfied or not)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role, User
from app.complaints import labels
from app.complaints.models import WAITING, Complaint, ComplaintStatus
from app.db import first_rows
from app.navigation import path_for
from app.service.hours import local_date
from app.templating import excerpt
from app.tenancy.models import Tenant
from app.workbench.services import SHOWN, Item, Section, Urgency


def sections(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    roles, slug, today = user.roles_in(tenant.id), tenant.slug, local_date(now)
    found: list[Section] = []

    def link(complaint: Complaint) -> str:
        return path_for("complaints.show", tenant=slug, complaint_id=complaint.id)

    if Role.BUREAU_OFFICER in roles:
        count, rows = first_rows(select(Complaint).where(
            Complaint.tenant_id == tenant.id, Complaint.escalated_at.is_not(None),
            Complaint.status.in_([str(s) for s in WAITING]))
            .order_by(Complaint.due_on, Complaint.id), SHOWN)
        found.append(Section(
            "complaints.escalated", str(labels.ESCALATED), _("Bureau"), Urgency.DEADLINE, count,
            [Item(excerpt(c.body), link(c), when=_("Answer by %(day)s", day=c.due_on.isoformat()),
                  note=str(labels.STATUS[c.status]), urgent=c.is_overdue(today))
             for (c,) in rows],
            more=path_for("complaints.overview_page", tenant=slug, state="escalated"),
            more_label=_("Complaints")))
    if roles & {Role.RESIDENT, Role.VOLUNTEER}:
        count, rows = first_rows(select(Complaint).where(
            Complaint.tenant_id == tenant.id, Complaint.user_id == user.id,
            Complaint.status == ComplaintStatus.ANSWERED).order_by(Complaint.answered_at.desc()),
            SHOWN)
        found.append(Section(
            "complaints.verdict", _("Answers to your complaints"), _("Resident"), Urgency.WAITING,
            count, [Item(excerpt(c.body), link(c), note=excerpt(c.answer),
                         action=_("Satisfied or not?")) for (c,) in rows],
            more=path_for("complaints.mine", tenant=slug), more_label=_("My complaints")))
    return found
