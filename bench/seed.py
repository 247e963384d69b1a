"""A tenant with many published projects of realistic Chinese text, for load tests."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.projects import searchtext
from app.projects.models import Project, ProjectStatus, ServiceSlot, Shift
from app.tenancy.models import Area, Tenant
from app.tenancy.services import add_area, create_tenant

STREETS = ["东湖街道", "西山街道", "南桥街道"]
COMMUNITIES = ["幸福", "和平", "光明", "春晖", "金桥", "翠苑"]
TOPICS = [("助老服务", "独居老人", ["独居老人上门陪伴", "长者助餐", "老年人智能手机课堂", "重阳敬老", "助老理发"]),
          ("儿童关爱", "留守儿童", ["四点半课堂", "暑期托管", "亲子阅读", "留守儿童陪伴", "儿童安全教育"]),
          ("助残服务", "残疾人", ["康复训练陪伴", "无障碍出行协助", "助残手工坊"]),
          ("法律咨询", "社区居民", ["法律咨询进社区", "防诈骗宣传", "邻里纠纷调解"]),
          ("心理关怀", "社区居民", ["心理疏导热线", "家庭关系讲座", "减压读书会"]),
          ("环境保护", "社区居民", ["垃圾分类宣传", "楼道清洁行动", "社区微花园"]),
          ("文体活动", "社区居民", ["广场舞公益课", "书法兴趣班", "社区运动会"]),
          ("邻里互助", "低收入家庭", ["家电义务维修", "爱心超市", "邻里互助时间银行"])]
PHRASES = ["组织志愿者定期上门", "链接辖区医疗资源", "开展健康讲座和义诊", "建立服务对象档案",
           "每月回访了解需求", "联合物业和居委会", "培训骨干志愿者", "提供免费的专业服务",
           "发动居民共同参与", "营造互帮互助的邻里氛围", "记录服务时长并公示", "邀请专业社工督导",
           "关注困难群体的实际需要", "在社区活动室集中开展", "结合传统节日举办主题活动"]


def seed(slug: str, projects: int, rng: random.Random | None = None) -> Tenant:
    """Create tenant ``slug`` with ``projects`` published projects, each with shifts and a slot."""
    rng = rng or random.Random(2026)
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug)) or create_tenant(slug, "压测区民政局")
    areas: list[Area] = []
    for street_name in STREETS:
        street = add_area(tenant, street_name, "街道")
        for name in COMMUNITIES:
            community = add_area(tenant, f"{name}社区", "社区", street)
            areas += [community] + [add_area(tenant, f"{name}社区第{i}网格", "网格", community)
                                    for i in (1, 2, 3)]
    orgs = []
    for i in range(30):
        org = Organization(tenant_id=tenant.id, name=f"第{i + 1}社会服务中心",
                           credit_code=f"BENCH{i:013d}", kind="公益慈善类", status=OrgStatus.VERIFIED)
        db.session.add(org)
        orgs.append(org)
    db.session.flush()
    now = utcnow().replace(microsecond=0)
    postgres = db.session.get_bind().dialect.name == "postgresql"
    rows = []
    for n in range(projects):
        category, group, names = rng.choice(TOPICS)
        area = rng.choice(areas)
        name = f"{area.name.split('第')[0]}{rng.choice(names)}{rng.choice(['项目', '计划', '行动', ''])}{n}"
        content = "，".join(rng.sample(PHRASES, 6)) + "。"
        rows.append({"tenant_id": tenant.id, "org_id": rng.choice(orgs).id, "name": name,
                     "theme": f"{rng.choice(names)}，温暖{area.name.split('第')[0]}",
                     "highlights": rng.choice(PHRASES), "content": content, "schedule": "每周六上午",
                     "expected_outcomes": "服务居民 100 人次", "team_roles": "", "budget_lines": [],
                     "safety_plan": "", "target_groups": [group], "category": category,
                     "area_id": area.id, "status": ProjectStatus.PUBLISHED,
                     "cancel_deadline_hours": 24, "closing_report": "", "cancel_reason": "",
                     "published_at": now - timedelta(minutes=n), "created_at": now})
        rows[-1].update(searchtext.values(rows[-1], postgres))  # a bulk insert: no ORM events
    for start in range(0, len(rows), 2000):
        db.session.execute(insert(Project), rows[start:start + 2000])
    ids = db.session.execute(select(Project.id, Project.org_id).where(Project.tenant_id == tenant.id)).all()
    places = {Shift: [], ServiceSlot: []}
    for project_id, org_id in ids:
        for model, count in ((Shift, rng.randint(1, 2)), (ServiceSlot, 1)):
            for _ in range(count):
                begin = now + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
                capacity = rng.randint(5, 30)
                places[model].append({
                    "tenant_id": tenant.id, "org_id": org_id, "project_id": project_id,
                    "starts_at": begin, "ends_at": begin + timedelta(hours=2), "place": "社区活动室",
                    "capacity": capacity, "confirmed_count": rng.randint(0, capacity),
                    "created_at": now})
    for model, values in places.items():
        for start in range(0, len(values), 5000):
            db.session.execute(insert(model), values[start:start + 5000])
    db.session.flush()
    return tenant
