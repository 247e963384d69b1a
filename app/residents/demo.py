"""Demo: a grid worker of 幸福社区 (刘网格员, community staff in the bureau's hat) keeps two
elderly residents without a smartphone — one reached by text message on her daughter's phone,
one not at all — and has booked a coming service for one of them; the 阳光社区服务中心's
coordinator keeps a third. Idempotent: the ID number decides who exists."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.auth import services as auth
from app.auth.models import Role, User
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import Project, ProjectStatus, ServiceSlot, SlotBooking
from app.residents import services
from app.residents.models import ResidentProfile
from app.tenancy.models import Area, Tenant

ORDER = 40  # after the projects' slots and the attendance (35)
GRID_WORKER = ("grid@demo.gongzhi.cn", "刘网格员")
#: (name, ID number, grid, group, contact number, consent how, consent given by, kept by org)
KEPT = [
    ("郑桂兰", "110105195303070037", "幸福社区第1网格", "独居老人", "13700000011", "written",
     "女儿 李红", None),
    ("钱福生", "110105195402090025", "幸福社区第2网格", "独居老人", "", "spoken", "", None),
    ("孙秀英", "110105195608120074", "和平社区第1网格", "残疾人", "", "spoken", "",
     "阳光社区服务中心"),
]


def _grid_worker(tenant: Tenant) -> User:
    from app.demo import _user

    user = _user(*GRID_WORKER)
    auth.grant_role(user, tenant.id, Role.BUREAU_OFFICER)
    return user


def _coordinator() -> User | None:
    return auth.find_user("sun-coord@demo.gongzhi.cn")


def step(tenant: Tenant) -> str | None:
    worker = _grid_worker(tenant)
    made = 0
    for name, number, grid, group, phone, how, given_by, org_name in KEPT:
        if db.session.scalar(select(ResidentProfile.id).where(
                ResidentProfile.tenant_id == tenant.id, ResidentProfile.id_number == number)):
            continue
        area = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                    Area.name == grid))
        org = db.session.scalar(select(Organization).where(
            Organization.tenant_id == tenant.id, Organization.name == org_name)) if org_name else None
        staff = (_coordinator() if org else worker) or worker
        profile = services.register(tenant, staff, name=name, id_number=number, area=area,
                                    target_group=group, consent_how=how,
                                    consent_given_by=given_by, contact_phone=phone, org=org)
        made += 1
        if name == "郑桂兰":
            _book_one(profile, worker)
        if name == "钱福生":
            _booked_yesterday(profile, worker)
    return f"residents not online: {made} registered" if made else None


def _book_one(profile: ResidentProfile, worker: User) -> None:
    """A coming slot with a free place, open to her group, booked on her behalf."""
    from app.db import utcnow

    slots = db.session.scalars(select(ServiceSlot).join(Project).where(
        ServiceSlot.tenant_id == profile.tenant_id, Project.status == ProjectStatus.PUBLISHED,
        ServiceSlot.starts_at > utcnow(), ServiceSlot.cancelled_at.is_(None),
        ServiceSlot.confirmed_count < ServiceSlot.capacity).order_by(ServiceSlot.starts_at))
    for slot in slots:
        if slot.target_group and slot.target_group != profile.target_group:
            continue
        if db.session.scalar(select(SlotBooking.id).where(SlotBooking.slot_id == slot.id,
                                                          SlotBooking.user_id == profile.user_id)):
            return
        services.book_for(profile, slot, worker)
        return


def _booked_yesterday(profile: ResidentProfile, worker: User) -> None:
    """He was booked (by the grid worker) on a home visit yesterday that still waits for his
    word that he received it: the grid worker passes it on at his next visit. The visit is
    his own slot of the project of the district's latest past service for his group, so the
    demo shows it whenever it is loaded, whatever the hour."""
    from datetime import datetime, time, timedelta

    from app.db import utcnow
    from app.projects.models import SignupStatus
    from app.templating import SHANGHAI

    now = utcnow()
    latest = db.session.scalars(select(ServiceSlot).where(
        ServiceSlot.tenant_id == profile.tenant_id, ServiceSlot.ends_at < now,
        or_(ServiceSlot.target_group.is_(None), ServiceSlot.target_group == profile.target_group))
        .order_by(ServiceSlot.ends_at.desc())).first()
    if latest is None:
        return
    yesterday = now.astimezone(SHANGHAI).date() - timedelta(days=1)
    starts = datetime.combine(yesterday, time(9), tzinfo=SHANGHAI)
    slot = ServiceSlot(tenant_id=latest.tenant_id, org_id=latest.org_id,
                       project_id=latest.project_id, starts_at=starts,
                       ends_at=starts + timedelta(hours=2), place="居民家中", capacity=1,
                       target_group=profile.target_group, confirmed_count=1)
    db.session.add(slot)
    db.session.flush()
    queued = slot.starts_at - timedelta(days=2)
    db.session.add(SlotBooking(tenant_id=slot.tenant_id, slot_id=slot.id,
                               user_id=profile.user_id, status=SignupStatus.CONFIRMED,
                               declared_group=slot.target_group,
                               queued_at=queued, confirmed_at=queued, proxy_id=worker.id,
                               created_at=queued))
    db.session.flush()
