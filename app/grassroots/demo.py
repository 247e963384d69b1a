"""Demo: 东湖街道社区社会组织服务中心, a hub organization that incubates, sponsors two groups
filed with their communities (备案, no credit code): 幸福社区银龄合唱队, at 培育, one milestone
done and one open, its leader trained twice; and 和平社区护绿小队, just admitted (入驻).
Idempotent: the hub's credit code and the groups' filing numbers decide what exists."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Role, User
from app.demo import _user
from app.extensions import db
from app.grassroots import filing, services
from app.grassroots.models import Filing
from app.orgs import services as orgs
from app.orgs.models import Organization, OrgStatus
from app.orgs.uploads import PDF, Upload
from app.parsing import local_today
from app.tenancy.models import Area, Tenant

ORDER = 12  # after the organizations' details (10), before projects (20)
HUB = ("东湖街道社区社会组织服务中心", "52350100MJ0000012D")
HUB_STAFF = [("hub-admin@demo.gongzhi.cn", "郑主任", Role.ORG_ADMIN),
             ("hub-coord@demo.gongzhi.cn", "孙社工", Role.ORG_COORDINATOR)]
#: (name, kind, leader, leader's mobile, community, filing number, days since filed, what it does)
GROUPS = [
    ("幸福社区银龄合唱队", "文体活动类", "周玉梅", "13700002001", "幸福社区", "东湖社备〔2026〕012号", 150,
     "社区老年人自发组建的合唱队，每周两次在社区活动室排练，节日为邻里演出。"),
    ("和平社区护绿小队", "居民互助类", "钱志刚", "13700002002", "和平社区", "东湖社备〔2026〕031号", 20,
     "居民认领小区绿地，定期除草、浇水，带孩子认识植物。"),
]
#: A filing document (备案证明) as the group uploads it: a small, complete PDF.
DOCUMENT = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]"
            b"/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _hub(tenant: Tenant) -> Organization:
    name, code = HUB
    hub = db.session.scalar(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.credit_code == code))
    if hub is None:
        street = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                      Area.name == "东湖街道"))
        hub = Organization(tenant_id=tenant.id, name=name, credit_code=code, kind="公益慈善类",
                           status=OrgStatus.VERIFIED, is_incubator=True,
                           description="东湖街道的枢纽型社会组织：孵化社区社会组织，为备案的社区社会组织"
                                       "提供场地、培训和资金代管。",
                           legal_representative="郑红", contact_name="孙社工",
                           contact_phone="13700002000")
        db.session.add(hub)
        db.session.flush()
        if street is not None:
            from app.orgs.models import OrgArea

            hub.areas = [OrgArea(tenant_id=tenant.id, area_id=street.id)]
    for account, person, role in HUB_STAFF:
        auth.grant_role(_user(account, person), tenant.id, role, hub.id)
    return hub


def _group(tenant: Tenant, hub: Organization, spec, officer: User, admin: User) -> Organization:
    name, kind, leader, phone, community, number, days, description = spec
    area = db.session.scalar(select(Area).where(Area.tenant_id == tenant.id,
                                                Area.name == community))
    group = filing.register_group(
        tenant, _user(phone, leader),
        orgs.OrgData(name=name, credit_code="", kind=kind, legal_representative=leader,
                     contact_name=leader, contact_phone=phone, description=description,
                     area_ids=[area.id]),
        filing.FilingData(number=number, filed_with_id=area.id,
                          filed_on=local_today() - timedelta(days=days), sponsor_id=hub.id),
        Upload(data=DOCUMENT, kind=PDF, filename="备案证明.pdf"))
    filing.answer_sponsorship(group, admin, accept=True, note="欢迎入驻，场地和培训由中心提供。")
    orgs.approve(group, officer)
    # The group entered the hub some days after its filing.
    incubation = services.incubation_of(group)
    incubation.stage_since = incubation.moves[0].moved_on = local_today() - timedelta(
        days=days - 10)
    db.session.flush()
    return group


def step(tenant: Tenant) -> str | None:
    hub = _hub(tenant)
    officer = auth.find_user("bureau@demo.gongzhi.cn")
    admin, coordinator = (auth.find_user(a) for a, _n, _r in HUB_STAFF)
    made = []
    for spec in GROUPS:
        if db.session.scalar(select(Filing.id).where(Filing.tenant_id == tenant.id,
                                                     Filing.number == spec[5])):
            continue
        made.append(_group(tenant, hub, spec, officer, admin))
    if not made:
        return None
    today = local_today()
    choir = next((g for g in made if g.name == GROUPS[0][0]), None)
    if choir is not None:
        incubation = services.incubation_of(choir)
        services.move(incubation, coordinator, day=today - timedelta(days=90),
                      note="章程草案已讨论，骨干分工明确，进入培育期。")
        done = services.add_milestone(incubation, coordinator, title="制定队伍章程并选出骨干",
                                      due_on=today - timedelta(days=60))
        services.complete_milestone(done, coordinator, day=today - timedelta(days=65),
                                    evidence="全体队员大会通过章程，选出队长和两名副队长。")
        services.add_milestone(incubation, coordinator, title="在社区开展第一场公开演出",
                               due_on=today + timedelta(days=20))
        for course, minutes, ago in (("社区社会组织骨干培训班", 360, 80),
                                     ("活动安全与应急处置", 120, 30)):
            services.add_training(choir, coordinator, person="周玉梅", course=course,
                                  minutes=minutes, day=today - timedelta(days=ago))
    green = next((g for g in made if g.name == GROUPS[1][0]), None)
    if green is not None:
        services.add_milestone(services.incubation_of(green), coordinator,
                               title="招募首批 10 名护绿队员", due_on=today + timedelta(days=30))
    db.session.flush()
    return f"grassroots: {HUB[0]} with {len(made)} filed groups"
