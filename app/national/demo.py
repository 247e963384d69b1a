"""Demo: two volunteers' earlier service, recorded in the national volunteer system before
the district used this one, brought in by 阳光社区服务中心 from the national system's export:
tagged with its source and record numbers, counted once in their hours and stars. Idempotent
(the record numbers decide what exists)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.service.models import RecordMethod, RecordSource, RecordStatus, ServiceRecord
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile

ORDER = 60
ORG_NAME = "阳光社区服务中心"
# (national record number, ID number, activity, day, place, content, minutes, category, unit,
#  recorder)
RECORDS = [
    ("GJ20250312000187", "110105198503070019", "社区义诊志愿服务", date(2025, 3, 12),
     "幸福社区卫生服务站", "协助老人量血压、登记", 180, "助老服务",
     "市志愿服务联合会", "周文"),
    ("GJ20250601000452", "110105198503070019", "防汛知识宣传", date(2025, 6, 1),
     "东街道文化广场", "发放宣传册、讲解防汛常识", 150, "社区教育",
     "东街道志愿服务站", "林晓"),
    ("GJ20250920001033", "110105199006150020", "重阳节敬老探访", date(2025, 9, 20),
     "阳光社区独居老人家中", "陪伴聊天、打扫卫生", 240, "助老服务", ORG_NAME,
     "王芳"),
]


def step(tenant: Tenant) -> str | None:
    org = db.session.scalar(select(Organization).where(Organization.tenant_id == tenant.id,
                                                       Organization.name == ORG_NAME))
    if org is None:
        return None
    have = set(db.session.scalars(select(ServiceRecord.source_key).where(
        ServiceRecord.tenant_id == tenant.id, ServiceRecord.source == RecordSource.NATIONAL)))
    people = dict(db.session.execute(select(VolunteerProfile.id_number, VolunteerProfile.user_id)
                                     .where(VolunteerProfile.tenant_id == tenant.id)).all())
    now, made = utcnow(), 0
    for key, number, activity, day, place, content, minutes, category, unit, recorder in RECORDS:
        if key in have or number not in people:
            continue
        db.session.add(ServiceRecord(
            tenant_id=tenant.id, org_id=org.id, shift_id=None, user_id=people[number],
            activity_name=activity, activity_date=day, place=place, content=content,
            category=category, organizing_unit=unit, leader_name=recorder,
            scheduled_minutes=minutes, minutes=minutes, method=RecordMethod.IMPORT,
            status=RecordStatus.VERIFIED, verified_at=now, points=0,
            source=RecordSource.NATIONAL, source_key=key))
        made += 1
    if not made:
        return None
    db.session.flush()
    from app.service.standing import recompute_stars

    recompute_stars(tenant)
    return f"national: {made} records from the national volunteer system"
