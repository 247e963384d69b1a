"""Demo: residents' needs in the demo tenant — one waiting, one posted by a volunteer for an
elderly resident without a phone and met and rated, one no organization serves, one met and
waiting for the resident's confirmation, one overdue and escalated (to the street's staff in
charge, then the bureau), one given back. 刘网格员 is in charge of 幸福社区 and 王主任 of
东湖街道: a late need there reaches them before the bureau. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.tenancy.models import Area, Tenant

ORDER = 40  # after organizations, their areas and projects

#: (poster, area, what, category, group, urgency, days ago, for whom, organization, outcome)
NEEDS = [
    ("13900000001", "幸福社区第1网格", "想请人陪我去社区医院复查，腿脚不太方便", "助老服务", "独居老人",
     "soon", 1, "", None, None),
    ("13800000001", "幸福社区第2网格", "李奶奶家厨房的灯坏了，她一个人住，需要有人上门换灯泡", "助老服务",
     "独居老人", "urgent", 2, "李奶奶", "sun-coord", "confirmed"),
    ("13900000002", "和平社区第1网格", "孩子放学后没人辅导作业，希望有志愿者帮忙", "儿童关爱", "留守儿童",
     "routine", 3, "", None, None),
    ("13900000003", "幸福社区第1网格", "家里的电饭煲坏了，想找人看看能不能修", "邻里互助", "低收入家庭",
     "routine", 4, "", "nbr-coord", "met"),
    ("13900000004", "和平社区第2网格", "楼道里的灯一直不亮，晚上出门不安全", "邻里互助", "社区居民",
     "urgent", 5, "", None, None),
    ("13900000005", "幸福社区第2网格", "想学用手机挂号和视频通话", "助老服务", "独居老人", "soon", 1, "",
     "sun-coord", "declined"),
]


def _user(account: str) -> User | None:
    """A demo account by mobile number, or by the name before ``@demo.gongzhi.cn``."""
    if not account.isdigit():
        return db.session.scalar(select(User).where(User.email == f"{account}@demo.gongzhi.cn"))
    return db.session.scalar(select(User).where(User.phone == account))


def step(tenant: Tenant) -> str | None:
    from app.needs import services
    from app.needs.models import Need
    from app.orgs.models import Organization

    _in_charge(tenant)
    if db.session.scalar(select(Need.id).where(Need.tenant_id == tenant.id).limit(1)):
        return None
    now, made = utcnow(), 0
    for poster, area_name, what, category, group, urgency, ago, for_name, coord, outcome in NEEDS:
        user = _user(poster)
        area = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                    Area.name == area_name))
        if user is None or area is None:
            continue
        need = services.post(tenant, user, what=what, category=category, target_group=group,
                             area=area, urgency=urgency, on_wall=True, for_name=for_name,
                             now=now - timedelta(days=ago))
        made += 1
        staff = _user(coord) if coord else None
        if staff is None:
            continue
        org_ids = staff.org_ids(tenant.id)
        org = db.session.get(Organization, min(org_ids)) if org_ids else None
        if org is None:
            continue
        try:
            services.claim(need, org, staff, now=now - timedelta(days=ago) + timedelta(hours=3))
            if outcome == "declined":
                services.decline(need, staff, "本周人手不足，请其他组织协助", org_ids)
            else:
                services.meet(need, staff, org_ids, "note", note="志愿者已上门办好",
                              now=now - timedelta(hours=20))
                if outcome == "confirmed":
                    services.confirm(need, user, 5, "来得很快，谢谢！")
        except services.NeedError:
            continue
    # The late one went to the street's staff three days ago, and on to the bureau since.
    from app.needs.escalation import escalate_overdue

    escalated = escalate_overdue(tenant, now - timedelta(days=2, hours=20))
    escalated += escalate_overdue(tenant, now)
    return f"needs: {made} posted, {escalated} steps of escalation"


#: (account, name, area in their charge): community and street staff in the bureau's hat.
IN_CHARGE = [("grid@demo.gongzhi.cn", "刘网格员", "幸福社区"),
             ("street@demo.gongzhi.cn", "王主任", "东湖街道")]


def _in_charge(tenant: Tenant) -> None:
    from app.auth import services as auth
    from app.auth.models import Role
    from app.demo import _user as demo_user
    from app.tenancy.services import put_in_charge

    for account, name, area_name in IN_CHARGE:
        area = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                    Area.name == area_name))
        if area is None:
            continue
        person = demo_user(account, name)
        auth.grant_role(person, tenant.id, Role.BUREAU_OFFICER)
        put_in_charge(tenant, area, person)
