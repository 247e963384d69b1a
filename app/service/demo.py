"""Demo: past shifts get verified service records (scanned in and out), so the volunteers'
dashboards show hours, stars and points. Where the demo has no past shift yet, one past
project of 阳光社区服务中心 in 幸福社区 with two shifts and a service slot for elderly people
living alone is created (its residents booked as 独居老人). Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
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
from app.service import services
from app.service.hours import SHANGHAI, local_date
from app.service.models import RecordMethod
from app.tenancy.models import Area, Tenant

ORDER = 30
ORG_NAME = "阳光社区服务中心"
PROJECT_NAME = "邻里助老送餐（演示）"
PROJECT_AREA = "幸福社区"
VOLUNTEER_PHONES = ["13800000001", "13800000002", "13800000003", "13800000004"]
RESIDENT_PHONES = ["13900000001", "13900000002", "13900000003", "13900000004", "13900000005"]


def _user(account: str) -> User | None:
    return db.session.scalar(select(User).where((User.phone == account) | (User.email == account)))


def _at(days_ago: int, hour: int, now: datetime) -> datetime:
    day = local_date(now) - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _signup(model, tenant_id: int, place, user: User, when: datetime, extra: dict | None = None,
            **ids):
    exists = db.session.scalar(select(model).where(
        model.user_id == user.id, *(getattr(model, k) == v for k, v in ids.items())))
    if exists is None:
        db.session.add(model(tenant_id=tenant_id, user_id=user.id, status=SignupStatus.CONFIRMED,
                             queued_at=when, confirmed_at=when, **ids, **(extra or {})))
        place.confirmed_count += 1


def _area(tenant: Tenant) -> int | None:
    return db.session.scalar(select(Area.id).where(Area.tenant_id == tenant.id,
                                                   Area.name == PROJECT_AREA))


def _past_project(tenant: Tenant, org: Organization, now: datetime) -> None:
    """One past project with two shifts (and a service slot) for the demo volunteers."""
    project = db.session.scalar(select(Project).where(
        Project.tenant_id == tenant.id, Project.org_id == org.id, Project.name == PROJECT_NAME))
    if project is not None:
        return
    coordinator = _user("sun-coord@demo.gongzhi.cn")
    project = Project(tenant_id=tenant.id, org_id=org.id, name=PROJECT_NAME,
                      theme="为社区独居老人送午餐并陪伴聊天", category="助老服务",
                      content="每周为幸福社区的独居老人送午餐，陪伴聊天，留意身体情况。",
                      target_groups=["独居老人"], area_id=_area(tenant),
                      status=ProjectStatus.PUBLISHED,
                      published_at=now - timedelta(days=20),
                      created_by_id=coordinator.id if coordinator else None)
    db.session.add(project)
    db.session.flush()
    volunteers = [u for u in map(_user, VOLUNTEER_PHONES) if u is not None]
    for days_ago, hour in ((9, 9), (3, 14)):
        shift = Shift(tenant_id=tenant.id, org_id=org.id, project_id=project.id,
                      starts_at=_at(days_ago, hour, now), ends_at=_at(days_ago, hour + 3, now),
                      place="幸福社区老年活动中心", capacity=6,
                      leader_id=coordinator.id if coordinator else None)
        db.session.add(shift)
        db.session.flush()
        for user in volunteers:
            _signup(ShiftSignup, tenant.id, shift, user, shift.starts_at - timedelta(days=2),
                    shift_id=shift.id)
    slot = ServiceSlot(tenant_id=tenant.id, org_id=org.id, project_id=project.id,
                       starts_at=_at(3, 14, now), ends_at=_at(3, 17, now),
                       place="居民家中", capacity=6, target_group="独居老人")
    db.session.add(slot)
    db.session.flush()
    for user in filter(None, map(_user, RESIDENT_PHONES)):
        _signup(SlotBooking, tenant.id, slot, user, slot.starts_at - timedelta(days=2),
                {"declared_group": slot.target_group}, slot_id=slot.id)
    db.session.flush()


def step(tenant: Tenant) -> str | None:
    org = db.session.scalar(select(Organization).where(Organization.tenant_id == tenant.id,
                                                       Organization.name == ORG_NAME))
    if org is None:
        return None
    now = utcnow()
    past = select(Shift).where(Shift.tenant_id == tenant.id, Shift.ends_at < now)
    if db.session.scalar(past.limit(1)) is None:
        _past_project(tenant, org, now)
    made = 0
    for shift in db.session.scalars(past.order_by(Shift.starts_at)).all():
        signups = db.session.scalars(select(ShiftSignup).where(
            ShiftSignup.shift_id == shift.id, ShiftSignup.status == SignupStatus.CONFIRMED))
        for index, signup in enumerate(signups.all()):
            if services.record_for(shift, signup.user_id) is not None:
                continue
            user = db.session.get(User, signup.user_id)
            # Arrive a little late and leave a little early, by a different margin each.
            arrived = shift.starts_at + timedelta(minutes=5 + 10 * index)
            left = shift.ends_at - timedelta(minutes=5 * index)
            services.check_in(shift, user, arrived, method=RecordMethod.QR)
            services.check_out(shift, user, left, method=RecordMethod.QR)
            made += 1
    db.session.flush()
    return f"service: {made} records verified" if made else None
