"""Projects, shifts, sign-ups and bookings made directly for service-record tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.auth.models import Role, User
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import (
    Project,
    ProjectStatus,
    ServiceSlot,
    Shift,
    ShiftSignup,
    SignupStatus,
    SlotBooking,
)
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with

#: A Wednesday morning in Shanghai (02:00 UTC = 10:00 local), far from holidays.
BASE = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


def make_project(tenant: Tenant, org: Organization, name: str = "助老送餐", **kw) -> Project:
    project = Project(tenant_id=tenant.id, org_id=org.id, name=name, category=kw.pop(
        "category", "助老服务"), content=kw.pop("content", "为独居老人送午餐"),
        status=ProjectStatus.PUBLISHED, **kw)
    db.session.add(project)
    db.session.flush()
    return project


def make_shift(project: Project, starts_at: datetime = BASE, hours: float = 3,
               place: str = "幸福社区活动中心", capacity: int = 10,
               leader: User | None = None) -> Shift:
    shift = Shift(tenant_id=project.tenant_id, org_id=project.org_id, project_id=project.id,
                  starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), place=place,
                  capacity=capacity, leader_id=leader.id if leader else None)
    db.session.add(shift)
    db.session.flush()
    return shift


def confirm(shift: Shift, user: User) -> ShiftSignup:
    signup = ShiftSignup(tenant_id=shift.tenant_id, shift_id=shift.id, user_id=user.id,
                         status=SignupStatus.CONFIRMED, queued_at=shift.starts_at - timedelta(days=3),
                         confirmed_at=shift.starts_at - timedelta(days=3))
    shift.confirmed_count += 1
    db.session.add(signup)
    db.session.flush()
    return signup


def make_slot(project: Project, starts_at: datetime = BASE, hours: float = 1) -> ServiceSlot:
    slot = ServiceSlot(tenant_id=project.tenant_id, org_id=project.org_id, project_id=project.id,
                       starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                       place="幸福社区活动中心", capacity=5)
    db.session.add(slot)
    db.session.flush()
    return slot


def book(slot: ServiceSlot, user: User, status: str = SignupStatus.CONFIRMED) -> SlotBooking:
    booking = SlotBooking(tenant_id=slot.tenant_id, slot_id=slot.id, user_id=user.id,
                          status=status, queued_at=slot.starts_at - timedelta(days=2),
                          confirmed_at=slot.starts_at - timedelta(days=2))
    if status == SignupStatus.CONFIRMED:
        slot.confirmed_count += 1
    db.session.add(booking)
    db.session.flush()
    return booking


@dataclass
class Scene:
    """One tenant, one organization with an admin and a coordinator, two volunteers signed
    up on a three-hour shift (10:00–13:00 Shanghai time on ``BASE``)."""

    tenant: Tenant
    org: Organization
    admin: User
    coordinator: User
    volunteer: User
    other: User
    project: Project
    shift: Shift


def scene(start: datetime = BASE, **tenant_settings) -> Scene:
    """``start``: when the shift begins (pages use the real clock: pass a time near now)."""
    tenant = TenantFactory(settings=tenant_settings)
    org = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    admin = user_with(tenant, Role.ORG_ADMIN, org, name="负责人")
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org, name="协调员")
    volunteer = user_with(tenant, Role.VOLUNTEER, name="张伟")
    other = user_with(tenant, Role.VOLUNTEER, name="王芳")
    project = make_project(tenant, org, created_by_id=admin.id)
    shift = make_shift(project, starts_at=start, leader=coordinator)
    confirm(shift, volunteer)
    confirm(shift, other)
    return Scene(tenant, org, admin, coordinator, volunteer, other, project, shift)


def at(shift: Shift, minutes: float) -> datetime:
    """A moment ``minutes`` after the shift starts (negative: before)."""
    return shift.starts_at + timedelta(minutes=minutes)


def profile(tenant: Tenant, user: User, real_name: str = "张伟",
            id_number: str = "110105198503070019"):
    """A volunteer record (67号令 fields) for ``user``; the ID number is a valid test number."""
    from datetime import date

    from app.db import utcnow
    from app.volunteers.models import CONSENT_VERSION, VolunteerProfile

    row = VolunteerProfile(tenant_id=tenant.id, user_id=user.id, real_name=real_name,
                           gender="M", birth_date=date(1985, 3, 7), id_number=id_number,
                           phone=user.phone or "13800000001", consent_at=utcnow(),
                           consent_version=CONSENT_VERSION)
    db.session.add(row)
    db.session.flush()
    return row


def attend(booking: SlotBooking, source: str = "staff", attended: bool = True,
           by: User | None = None):
    """The resident of ``booking`` recorded as come (or, ``attended=False``, a no-show)."""
    from app.attendance import services as attendance

    slot = db.session.get(ServiceSlot, booking.slot_id)
    return attendance.record(booking, slot, attended=attended, source=source,
                             now=slot.starts_at + timedelta(minutes=5), marked_by=by,
                             ref="0" * 64 if source == "qr" else None)
