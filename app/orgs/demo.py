"""Demo: the three verified organizations get their registration details and areas served."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.orgs.models import Organization, OrgArea
from app.tenancy.models import Area, Tenant

ORDER = 10

DETAILS = {  # credit code: (description, legal representative, contact, phone, areas served)
    "91350100M000100Y43": ("扎根幸福社区十余年，为独居老人、困难家庭提供上门陪伴、助餐和理发等服务。",
                           "林建华", "陈晓", "13700000011", ["幸福社区"]),
    "51110000500000088C": ("组织社区文体活动：广场舞、书法、合唱，让居民在家门口动起来。",
                           "黄丽", "黄丽", "13700000012", ["和平社区"]),
    "53100000500021676K": ("邻里之间互帮互助：家电义务维修、爱心超市和时间银行。",
                           "吴强", "吴强", "13700000013", ["幸福社区", "和平社区"]),
}


def step(tenant: Tenant) -> str | None:
    filled = 0
    for code, (description, legal, contact, phone, areas) in DETAILS.items():
        org = db.session.scalar(select(Organization).where(
            Organization.tenant_id == tenant.id, Organization.credit_code == code))
        if org is None or org.description:
            continue
        org.description, org.legal_representative = description, legal
        org.contact_name, org.contact_phone = contact, phone
        area_ids = db.session.scalars(select(Area.id).where(
            Area.tenant_id == tenant.id, Area.name.in_(areas))).all()
        org.areas = [OrgArea(tenant_id=tenant.id, area_id=a) for a in area_ids]
        filled += 1
    db.session.flush()
    return f"{filled} organizations described" if filled else None
