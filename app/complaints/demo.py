"""Demo: complaints in the demo tenant — one about an organization left unanswered past its
deadline (escalated to its community's staff four days ago, to the street's two days ago:
the next morning's job takes it to the bureau), one about the process waiting for the bureau, one
about a volunteer answered and waiting for the resident's verdict, one settled. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.tenancy.models import Area, Tenant

ORDER = 45  # after organizations, projects, service records and needs

#: (resident, kind, organization, area, days ago, what happened, volunteer, answer, settled)
COMPLAINTS = [
    ("13900000002", "organization", "阳光社区服务中心", "幸福社区第1网格", 12,
     "说好每周二上门量血压，已经两周没人来了，打电话也没人接", "", "", False),
    ("13900000003", "process", None, "幸福社区第2网格", 1,
     "申请助老服务要交的材料太多，社区和街道说法还不一样", "", "", False),
    ("13900000004", "volunteer", "彩虹文体协会", "和平社区第1网格", 4,
     "广场舞活动结束后音响一直没关，晚上很吵", "穿红马甲的年轻志愿者",
     "已提醒志愿者活动结束后及时关闭音响，并调整了结束时间。", False),
    ("13900000005", "organization", "邻里互助社", "和平社区第2网格", 8,
     "修好的电饭煲第二天又坏了", "", "已安排师傅再次上门并更换了零件，费用由我们承担。", True),
]


def step(tenant: Tenant) -> str | None:
    from app.complaints import services
    from app.complaints.models import Complaint

    if db.session.scalar(select(Complaint.id).where(Complaint.tenant_id == tenant.id).limit(1)):
        return None
    now, made = utcnow(), 0
    for phone, kind, org_name, area_name, ago, body, volunteer, answer, settled in COMPLAINTS:
        resident = db.session.scalar(select(User).where(User.phone == phone))
        org = db.session.scalar(select(Organization).where(
            Organization.tenant_id == tenant.id, Organization.name == org_name)) if org_name else None
        area = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                    Area.name == area_name))
        if resident is None:
            continue
        filed = now - timedelta(days=ago)
        complaint = services.file(tenant, resident, kind=kind, body=body, org=org, area=area,
                                  volunteer_name=volunteer, now=filed)
        made += 1
        if answer:
            staff = services.handlers(complaint)
            if not staff:
                continue
            services.assign(complaint, staff[0], staff[-1], now=filed + timedelta(hours=2))
            services.answer(complaint, staff[-1], answer, now=filed + timedelta(days=1))
            if settled:
                services.satisfied(complaint, resident, now=filed + timedelta(days=2))
    from app.complaints.escalation import escalate_due

    escalated = escalate_due(tenant, now - timedelta(days=4))
    escalated += escalate_due(tenant, now - timedelta(days=2))
    return f"complaints: {made} filed, {escalated} steps of escalation"
