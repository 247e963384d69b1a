"""The demo tenant ``demo``: an area tree, bureau staff, three verified organizations
with staff, volunteers and residents. Idempotent: natural keys decide what exists.

Every demo login uses the password ``DEMO_PASSWORD``. Each domain may add a
``demo.py`` with ``ORDER`` (an int) and ``def step(tenant) -> str | None``; steps
run in order after the foundation's and must be idempotent too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Role, User
from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.personal import services as consent
from app.tenancy.models import Area, Tenant
from app.tenancy.services import add_area, create_tenant
from app.volunteers import services as volunteers

DEMO_PASSWORD = "gongzhi2026"
SLUG = "demo"

STAFF = [  # (account, name, tenant role)
    ("bureau@demo.gongzhi.cn", "王科长", Role.BUREAU_OFFICER),
    ("auditor@demo.gongzhi.cn", "李审计", Role.AUDITOR),
    ("overseer@demo.gongzhi.cn", "赵监督", Role.OVERSEER),
]
ORGS = [  # (name, credit code, kind, staff prefix)
    ("阳光社区服务中心", "91350100M000100Y43", "群众生活类", "sun"),
    ("彩虹文体协会", "51110000500000088C", "文体活动类", "rainbow"),
    ("邻里互助社", "53100000500021676K", "居民互助类", "nbr"),
]
ORG_ROLES = [("admin", "负责人", Role.ORG_ADMIN), ("coord", "协调员", Role.ORG_COORDINATOR),
             ("books", "报账员", Role.ORG_BOOKKEEPER)]
# Volunteers: (phone, name, gender, birth date, ID number). ID numbers are valid test numbers.
VOLUNTEERS = [
    ("13800000001", "张伟", "M", date(1985, 3, 7), "110105198503070019"),
    ("13800000002", "王芳", "F", date(1990, 6, 15), "110105199006150020"),
    ("13800000003", "李娜", "F", date(1992, 11, 2), "110105199211020049"),
    ("13800000004", "刘洋", "M", date(1978, 1, 20), "110105197801200016"),
    ("13800000005", "陈静", "F", date(2000, 9, 9), "110105200009090065"),
    ("13800000006", "杨磊", "M", date(1968, 12, 12), "110105196812120033"),
]
RESIDENTS = [(f"1390000000{i}", name) for i, name in
             enumerate(["周大爷", "吴阿姨", "郑奶奶", "孙先生", "马女士", "朱同学"], start=1)]


def _user(account: str, name: str) -> User:
    user = auth.find_user(account)
    if user is None:  # registered as on the form: with consent to the agreement and notice
        user = auth.register_user(account, name, DEMO_PASSWORD)
        consent.agree(user)
    return user


def _areas(tenant: Tenant) -> list[Area]:
    street = add_area(tenant, "东湖街道", "街道")
    grids = []
    for community in ("幸福社区", "和平社区"):
        comm = add_area(tenant, community, "社区", street)
        grids += [add_area(tenant, f"{community}第{n}网格", "网格", comm) for n in (1, 2)]
    return grids


def domain_steps() -> list[Callable[[Tenant], str | None]]:
    import importlib

    from app import domain_modules

    modules = [importlib.import_module(n) for n in domain_modules("demo")]
    return [m.step for m in sorted(modules, key=lambda m: m.ORDER)]


def load() -> str:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
    if tenant is None:
        tenant = create_tenant(SLUG, "示范区民政局")
    grids = _areas(tenant)
    for account, name, role in STAFF:
        auth.grant_role(_user(account, name), tenant.id, role)
    for name, code, kind, prefix in ORGS:
        org = db.session.scalar(select(Organization).where(
            Organization.tenant_id == tenant.id, Organization.credit_code == code))
        if org is None:
            org = Organization(tenant_id=tenant.id, name=name, credit_code=code, kind=kind,
                               status=OrgStatus.VERIFIED)
            db.session.add(org)
            db.session.flush()
        for suffix, title, role in ORG_ROLES:
            auth.grant_role(_user(f"{prefix}-{suffix}@demo.gongzhi.cn", f"{name[:2]}{title}"),
                            tenant.id, role, org.id)
    for i, (phone, name, gender, born, id_number) in enumerate(VOLUNTEERS):
        user = _user(phone, name)
        auth.grant_role(user, tenant.id, Role.RESIDENT)
        if volunteers.profile_for(user, tenant) is None:
            volunteers.register(user, tenant, volunteers.VolunteerData(
                real_name=name, gender=gender, birth_date=born, id_number=id_number, phone=phone,
                area_id=grids[i % len(grids)].id, skills="",
                service_categories=["助老服务"]), consent=True)
    for phone, name in RESIDENTS:
        auth.grant_role(_user(phone, name), tenant.id, Role.RESIDENT)
    notes = [note for step in domain_steps() if (note := step(tenant))]
    return "demo tenant ready" + "".join(f"; {n}" for n in notes)
