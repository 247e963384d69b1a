"""A district with a hub organization that incubates, and filed community groups joining
through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from app.auth.models import Role, User
from app.grassroots import filing
from app.orgs import services as orgs
from app.orgs.models import Organization
from app.orgs.uploads import PDF, Upload
from app.parsing import local_today
from app.tenancy.models import Area, Tenant
from app.tenancy.services import add_area
from tests.factories import OrgFactory, TenantFactory, UserFactory, user_with

DOCUMENT = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
_numbers = itertools.count(1)


@dataclass
class GroupWorld:
    tenant: Tenant
    street: Area
    community: Area
    hub: Organization
    hub_admin: User
    hub_coordinator: User
    officer: User
    auditor: User


def group_world(**settings) -> GroupWorld:
    tenant = TenantFactory(settings=dict(settings))
    street = add_area(tenant, "东湖街道", "街道")
    community = add_area(tenant, "幸福社区", "社区", street)
    hub = OrgFactory(tenant_id=tenant.id, name="东湖街道社区社会组织服务中心", is_incubator=True,
                     credit_code="52350100MJ0000012D")
    return GroupWorld(tenant, street, community, hub,
                      user_with(tenant, Role.ORG_ADMIN, hub, name="郑主任"),
                      user_with(tenant, Role.ORG_COORDINATOR, hub, name="孙社工"),
                      user_with(tenant, Role.BUREAU_OFFICER, name="王科长"),
                      user_with(tenant, Role.AUDITOR))


def document() -> Upload:
    return Upload(data=DOCUMENT, kind=PDF, filename="备案证明.pdf")


def group_data(name: str = "幸福社区银龄合唱队", **changes) -> orgs.OrgData:
    values = dict(name=name, credit_code="", kind="文体活动类", legal_representative="周玉梅",
                  contact_name="周玉梅", contact_phone="13700002001")
    values.update(changes)
    return orgs.OrgData(**values)


def filing_data(w: GroupWorld, **changes) -> filing.FilingData:
    values = dict(number=f"东湖社备〔2026〕{next(_numbers):03d}号", filed_with_id=w.community.id,
                  filed_on=local_today() - timedelta(days=30), sponsor_id=w.hub.id)
    values.update(changes)
    return filing.FilingData(**values)


def register(w: GroupWorld, leader: User | None = None, name: str = "幸福社区银龄合唱队",
             **changes) -> tuple[Organization, User]:
    leader = leader or UserFactory(name="周玉梅")
    group = filing.register_group(w.tenant, leader, group_data(name), filing_data(w, **changes),
                                  document())
    return group, leader


def verified_group(w: GroupWorld, name: str = "幸福社区银龄合唱队") -> tuple[Organization, User]:
    """A filed group its sponsor confirmed and the bureau verified (admitted, 入驻)."""
    group, leader = register(w, name=name)
    filing.answer_sponsorship(group, w.hub_admin, accept=True)
    orgs.approve(group, w.officer)
    return group, leader
