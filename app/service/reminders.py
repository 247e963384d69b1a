"""Reminders the day before a shift, and warnings to coordinators as the working-day
deadline for a shift's records approaches. Each is sent once (``ServiceNotice``)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.auth.models import RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.projects.models import Project, Shift, ShiftSignup, SignupStatus
from app.service import hours, queues
from app.service.models import ServiceNotice
from app.service.permissions import COORDINATING
from app.templating import localtime
from app.tenancy.models import Tenant

#: Coordinators are warned when this many working days (or fewer) are left.
WARN_WORKING_DAYS = 2


def _once(tenant_id: int, shift_id: int, user_id: int, kind: str) -> bool:
    """Record that this notice goes out; False if it already went."""
    try:
        with db.session.begin_nested():
            db.session.add(ServiceNotice(tenant_id=tenant_id, shift_id=shift_id,
                                         user_id=user_id, kind=kind))
    except IntegrityError:
        return False
    return True


def remind_shifts(tenant: Tenant, now: datetime | None = None) -> int:
    """Tell confirmed volunteers about their shifts starting tomorrow (Beijing date)."""
    now = now or utcnow()
    tomorrow = hours.local_date(now) + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tzinfo=hours.SHANGHAI)
    sent = exists().where(ServiceNotice.shift_id == ShiftSignup.shift_id,
                          ServiceNotice.user_id == ShiftSignup.user_id,
                          ServiceNotice.kind == "reminder")
    rows = db.session.execute(
        select(ShiftSignup.user_id, Shift, Project.name)
        .join(Shift, Shift.id == ShiftSignup.shift_id)
        .join(Project, Project.id == Shift.project_id)
        .where(Shift.tenant_id == tenant.id, Shift.starts_at >= start,
               Shift.starts_at < start + timedelta(days=1),
               ShiftSignup.status == SignupStatus.CONFIRMED, ~sent)).all()
    count = 0
    for user_id, shift, name in rows:
        if not _once(tenant.id, shift.id, user_id, "reminder"):
            continue
        notify(db.session.get(User, user_id),
               _l("Reminder: %(activity)s tomorrow at %(time)s", activity=name,
                  time=localtime(shift.starts_at, "%H:%M")),
               _l("Place: %(place)s. Please scan the coordinator's code when you arrive and "
                  "when you leave; travel time is not service time.", place=shift.place),
               link=f"/t/{tenant.slug}/service/shifts/{shift.id}/check", tenant_id=tenant.id)
        count += 1
    return count


def warn_deadlines(tenant: Tenant, now: datetime | None = None) -> int:
    """Warn an organization's admins and coordinators when a shift still has open records or
    pending requests and its records are due within ``WARN_WORKING_DAYS`` working days."""
    now = now or utcnow()
    working_days = tenant.setting("record_deadline_working_days")
    shifts = queues.unresolved_shifts(tenant.id, now, working_days)
    count = 0
    for shift, name in shifts:
        left = hours.working_days_left(shift.ends_at, working_days, now)
        if not 0 <= left <= WARN_WORKING_DAYS:
            continue
        deadline = hours.record_deadline(shift.ends_at, working_days)
        staff = db.session.scalars(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                                   .where(RoleGrant.tenant_id == tenant.id,
                                          RoleGrant.org_id == shift.org_id,
                                          RoleGrant.role.in_([r.value for r in COORDINATING])
                                          )).unique()
        for person in staff:
            if not _once(tenant.id, shift.id, person.id, "deadline"):
                continue
            notify(person,
                   _l("Records of %(activity)s are due by %(date)s", activity=name,
                      date=deadline.isoformat()),
                   _l("Some volunteers are still checked in or have hours awaiting approval. "
                      "After the deadline, records need the bureau's approval."),
                   link=f"/t/{tenant.slug}/service/shifts/{shift.id}", tenant_id=tenant.id)
            count += 1
    return count
