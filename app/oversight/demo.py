"""Demo: the bureau's morning for the demo tenant — an anomaly scan (which also computes
the dashboard's service totals), a seeded spot check of the spending, and a department
evaluation of 阳光社区服务中心 on the standard template. After it, this week's square-dance
class in 和平社区 was held and residents came (so the figures by place show service in each
community; made after the scan and the return-visit sample, which it leaves as they were).
Idempotent."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.tenancy.models import Tenant

ORDER = 90  # after every domain that makes records and money
#: The class held this week (its project, place and the residents who came).
DANCE = ("和平社区广场舞公益课堂", "和平社区广场", ("13900000002", "13900000004"))


def step(tenant: Tenant) -> str | None:
    from app.evaluation import services as evaluation
    from app.evaluation.models import Evaluation
    from app.orgs.models import Organization
    from app.oversight import scan as scanning
    from app.spotchecks import services as spotchecks
    from app.spotchecks.models import SpotCheck
    from app.spotchecks.samplers import available

    officer = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
    from app.oversight.models import ScanRun

    done = []
    if not db.session.scalar(select(ScanRun.id).where(ScanRun.tenant_id == tenant.id).limit(1)):
        run = scanning.run_scan(scanning.start_scan(tenant, "cli"))
        done.append(f"scan: {run.new_findings} new findings")
    kind = next((k for k in ("expenditure", "service_record") if k in available()), None)
    if officer and kind and not db.session.scalar(select(SpotCheck.id).where(
            SpotCheck.tenant_id == tenant.id)):
        try:
            spotchecks.draw(tenant, officer, kind, 5, {}, seed="20260401")
            done.append("spot check drawn")
        except spotchecks.SpotCheckError:
            pass
    org = db.session.scalar(select(Organization).where(Organization.tenant_id == tenant.id,
                                                       Organization.name == "阳光社区服务中心"))
    if officer and org and not db.session.scalar(select(Evaluation.id).where(
            Evaluation.tenant_id == tenant.id, Evaluation.org_id == org.id)):
        item = evaluation.start(tenant, officer, org, "department", "2025年度")
        evaluation.score(item, {i["code"]: str(round(i["weight"] * 0.9 * 2) / 2)
                                for i in item.indicators}, {}, "服务记录完整，资金使用规范。")
        evaluation.finalize(item, officer)
        done.append("evaluation finalized")
    if _dance_class(tenant):
        done.append("a dance class held in 和平社区")
    db.session.flush()
    return "oversight: " + ", ".join(done) if done else None


def _dance_class(tenant: Tenant) -> bool:
    """The class's last Tuesday or Thursday evening at least two days ago, with the residents
    who booked it recorded as come by the organization's coordinator; once (a project with a
    past class place has had it)."""
    from app.attendance import services as attendance
    from app.attendance.models import AttendanceSource
    from app.auth.models import Role, RoleGrant
    from app.auth.services import find_user
    from app.db import utcnow
    from app.projects.models import Project, ServiceSlot, SignupStatus, SlotBooking
    from app.templating import SHANGHAI

    name, place, phones = DANCE
    project = db.session.scalar(select(Project).where(Project.tenant_id == tenant.id,
                                                      Project.name == name))
    now = utcnow()
    if project is None or db.session.scalar(select(ServiceSlot.id).where(
            ServiceSlot.project_id == project.id, ServiceSlot.starts_at < now).limit(1)):
        return False
    day = now.astimezone(SHANGHAI).date() - timedelta(days=2)
    while day.isoweekday() not in (2, 4):
        day -= timedelta(days=1)
    starts = datetime.combine(day, time(19), tzinfo=SHANGHAI)
    slot = ServiceSlot(tenant_id=tenant.id, org_id=project.org_id, project_id=project.id,
                       starts_at=starts, ends_at=starts + timedelta(minutes=90), place=place,
                       capacity=30)
    db.session.add(slot)
    db.session.flush()
    coordinator = db.session.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                                    .where(RoleGrant.org_id == project.org_id,
                                           RoleGrant.role == Role.ORG_COORDINATOR.value))
    for phone in phones:
        resident = find_user(phone)
        if resident is None:
            continue
        booking = SlotBooking(tenant_id=tenant.id, slot_id=slot.id, user_id=resident.id,
                              status=SignupStatus.CONFIRMED, queued_at=starts - timedelta(days=1),
                              confirmed_at=starts - timedelta(days=1))
        db.session.add(booking)
        slot.confirmed_count += 1
        db.session.flush()
        attendance.record(booking, slot, attended=True, source=AttendanceSource.STAFF,
                          now=starts + timedelta(minutes=15), marked_by=coordinator)
    return True
