"""Demo: each verified organization publishes a project with volunteer shifts and service
slots (one for elderly people, 助老, in 幸福社区), and a few people sign up. Runs once per
project: a project that exists is left as it is."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import find_user
from app.db import utcnow
from app.extensions import db
from app.orgs import uploads
from app.orgs.models import Organization
from app.projects import covers, demo_covers, places, services, signups
from app.projects.models import Project
from app.templating import SHANGHAI
from app.tenancy.models import Area, Tenant
from app.volunteers.models import VolunteerProfile

ORDER = 20

PROJECTS = [
    {"org": "91350100M000100Y43", "area": "幸福社区", "name": "幸福社区独居老人陪伴助老行动",
     "category": "助老服务", "groups": ["独居老人"], "theme": "每周一次上门陪伴，让独居老人不孤单",
     "highlights": "志愿者两人一组固定结对，长期陪伴；每月一次免费上门理发。",
     "content": "志愿者上门陪老人聊天、读报、测血压，协助整理房间；发现老人有困难及时反馈社区。",
     "schedule": "每周六上午 9:00–11:00 上门陪伴；每月第二个周日下午理发。",
     "outcomes": "结对陪伴独居老人 30 位，上门服务 120 人次，老人满意度 95% 以上。",
     "team": "项目负责人 1 名，协调员 1 名，志愿者 12 名，理发师 2 名。",
     "budget": [("交通", "600"), ("血压计等物资", "1200"), ("志愿者保险", "360")],
     "safety": "两人一组上门，不单独行动；遇老人身体不适立即拨打 120 并联系家属和社区。",
     "shifts": [(2, "09:00", "11:00", "幸福社区居委会集合", 2, False),
                (9, "09:00", "11:00", "幸福社区居委会集合", 4, False)],
     "slots": [(10, "14:00", "16:00", "幸福社区活动室", 6, "独居老人")]},
    {"org": "51110000500000088C", "area": "和平社区", "name": "和平社区广场舞公益课堂",
     "category": "文体活动", "groups": ["社区居民"], "theme": "跳起来，动起来",
     "highlights": "专业老师免费教学，适合零基础居民。",
     "content": "每周两次广场舞教学，学期末举办社区展演。", "schedule": "每周二、四晚 19:00–20:30。",
     "outcomes": "培养 40 名居民掌握 3 支舞曲。", "team": "舞蹈老师 1 名，志愿者 4 名。",
     "budget": [("音响设备", "800"), ("服装", "1500")], "safety": "活动前热身，现场备急救箱。",
     "shifts": [(3, "18:30", "20:30", "和平社区广场", 3, False)],
     "slots": [(3, "19:00", "20:30", "和平社区广场", 30, None)]},
    {"org": "53100000500021676K", "area": "幸福社区第1网格", "name": "家电义务维修进社区",
     "category": "邻里互助", "groups": ["低收入家庭", "独居老人"], "theme": "小家电，大民生",
     "highlights": "退休电工带队，维修免费，只收零件成本。",
     "content": "每月一次在网格服务点集中维修小家电，行动不便的老人可预约上门。",
     "schedule": "每月第一个周六上午。", "outcomes": "全年维修家电 200 件。",
     "team": "电工志愿者 6 名，登记员 2 名。", "budget": [("工具耗材", "900")],
     "safety": "维修人员须持证并购买意外保险；断电操作，现场配灭火器。",
     "shifts": [(5, "09:00", "12:00", "幸福社区第1网格服务点", 3, True)],
     "slots": [(5, "09:00", "12:00", "幸福社区第1网格服务点", 10, None)]},
]
# (volunteer phone, project index, shift index) and (resident phone, project index, slot index)
SHIFT_SIGNUPS = [("13800000001", 0, 0), ("13800000002", 0, 0), ("13800000003", 0, 0),
                 ("13800000004", 1, 0), ("13800000001", 2, 0)]
SLOT_BOOKINGS = [("13900000001", 0, 0), ("13900000003", 0, 0), ("13900000002", 1, 0)]


def _at(days: int, clock: str) -> datetime:
    day = utcnow().astimezone(SHANGHAI).date() + timedelta(days=days)
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=SHANGHAI)


def _create(tenant: Tenant, spec: dict) -> Project | None:
    org = db.session.scalar(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.credit_code == spec["org"]))
    if org is None or db.session.scalar(select(Project.id).where(
            Project.org_id == org.id, Project.name == spec["name"])):
        return None
    area = db.session.scalar(select(Area.id).where(Area.tenant_id == tenant.id,
                                                   Area.name == spec["area"]))
    author = db.session.scalar(select(User).where(User.grants.any(org_id=org.id)))
    project = services.create(org, tenant, author, services.ProjectData(
        name=spec["name"], category=spec["category"], theme=spec["theme"],
        highlights=spec["highlights"], content=spec["content"], schedule=spec["schedule"],
        expected_outcomes=spec["outcomes"], team_roles=spec["team"],
        budget_lines=[(line, Decimal(amount)) for line, amount in spec["budget"]],
        safety_plan=spec["safety"], target_groups=spec["groups"], area_id=area))
    for days, start, end, place, capacity, insured in spec["shifts"]:
        places.add_shift(project, places.PlaceData(_at(days, start), _at(days, end), place, capacity,
                                                   insurance_required=insured))
    for days, start, end, place, capacity, group in spec["slots"]:
        places.add_slot(project, places.PlaceData(_at(days, start), _at(days, end), place, capacity,
                                                  target_group=group))
    db.session.refresh(project)
    paint = demo_covers.BY_PROJECT.get(project.name)
    if paint is not None:
        covers.set_cover(project, uploads.Upload(paint(), uploads.JPEG, "cover.jpg"))
    return services.publish(project)


def step(tenant: Tenant) -> str | None:
    made = {i: p for i, spec in enumerate(PROJECTS) if (p := _create(tenant, spec)) is not None}
    if not made:
        return None
    insured = find_user("13800000001")
    profile = insured and db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.user_id == insured.id))
    if profile is not None and not profile.insurance_policy:
        profile.insurance_policy = "PICC-DEMO-0001"
        profile.insurance_expires = utcnow().date() + timedelta(days=365)
    count = 0
    for phone, index, shift_index in SHIFT_SIGNUPS:
        if index in made and (user := find_user(phone)) is not None:
            signups.sign_up(user, made[index].shifts[shift_index])
            count += 1
    for phone, index, slot_index in SLOT_BOOKINGS:
        if index in made and (user := find_user(phone)) is not None:
            slot = made[index].slots[slot_index]
            signups.book(user, slot, slot.target_group)
            count += 1
    return f"{len(made)} projects published, {count} sign-ups"
