"""factory_boy factories and a two-tenant world for isolation tests."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace

import factory
from werkzeug.security import generate_password_hash

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.tenancy.models import Area, Tenant

PASSWORD = "secret123"
#: A cheap hash so hundreds of test users cost nothing; production uses scrypt.
_FAST_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
_phones = itertools.count(13000000000)

# Valid USCC numbers (GB 32100 check digit) for test organizations.
CREDIT_CODES = ["91350100M000100Y43", "51110000500000088C", "53100000500021676K",
                "91110000802100433B", "91310000MA1FL4TQ6J", "121000004000003980"]


class Base(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"


class TenantFactory(Base):
    class Meta:
        model = Tenant

    slug = factory.Sequence(lambda n: f"t{n}")
    name = factory.Sequence(lambda n: f"第{n}区民政局")
    settings = factory.LazyFunction(dict)


class AreaFactory(Base):
    class Meta:
        model = Area

    tenant = None
    tenant_id = factory.LazyAttribute(lambda o: o.tenant.id if o.tenant else None)
    name = factory.Sequence(lambda n: f"社区{n}")
    level = "社区"
    path = ""

    class Params:
        tenant = None

    @factory.post_generation
    def set_path(obj, create, extracted, **kwargs):
        parent_path = obj.parent.path if obj.parent else "/"
        obj.path = f"{parent_path}{obj.id}/"
        db.session.flush()


class UserFactory(Base):
    class Meta:
        model = User

    phone = factory.LazyFunction(lambda: str(next(_phones)))
    email = None
    name = factory.Sequence(lambda n: f"用户{n}")
    password_hash = _FAST_HASH


class OrgFactory(Base):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"社会组织{n}")
    credit_code = factory.Sequence(lambda n: CREDIT_CODES[n % len(CREDIT_CODES)])
    kind = "群众生活类"
    status = OrgStatus.VERIFIED


def grant(user: User, tenant: Tenant, role: Role, org: Organization | None = None) -> User:
    db.session.add(RoleGrant(user=user, tenant_id=tenant.id, role=role.value,
                             org_id=org.id if org else None))
    db.session.flush()
    return user


def user_with(tenant: Tenant, role: Role, org: Organization | None = None, **kw) -> User:
    return grant(UserFactory(**kw), tenant, role, org)


@dataclass
class TenantWorld:
    tenant: Tenant
    orgs: list[Organization]
    users: SimpleNamespace
    extra: dict = field(default_factory=dict)


def build_tenant_world(label: str) -> TenantWorld:
    tenant = TenantFactory(slug=f"w{label.lower()}", name=f"{label}区民政局")
    orgs = [OrgFactory(tenant_id=tenant.id, name=f"{label}-机密组织{i}",
                       credit_code=CREDIT_CODES[i]) for i in range(2)]
    users = SimpleNamespace(
        officer=user_with(tenant, Role.BUREAU_OFFICER),
        auditor=user_with(tenant, Role.AUDITOR),
        overseer=user_with(tenant, Role.OVERSEER),
        resident=user_with(tenant, Role.RESIDENT),
        volunteer=user_with(tenant, Role.VOLUNTEER),
        admin=user_with(tenant, Role.ORG_ADMIN, orgs[0]),
        coordinator=user_with(tenant, Role.ORG_COORDINATOR, orgs[0]),
        bookkeeper=user_with(tenant, Role.ORG_BOOKKEEPER, orgs[0]),
        admin2=user_with(tenant, Role.ORG_ADMIN, orgs[1]),
    )
    return TenantWorld(tenant, orgs, users)


def build_world() -> SimpleNamespace:
    world = SimpleNamespace(a=build_tenant_world("A"), b=build_tenant_world("B"))
    from tests.isolation import populate

    populate(world)
    return world
