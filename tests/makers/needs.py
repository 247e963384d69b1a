"""Isolation makers for needs and wish walls; the walls are public."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


def _area(world):
    from tests.factories import AreaFactory

    return AreaFactory(tenant=world.tenant, name=f"{world.tenant.slug}社区", level="社区")


@maker("area_id")
def _area_id(world, org):
    return _area(world).id


@maker("need_id")
def _need(world, org):
    """An open need in an area the organization serves, posted by the world's resident."""
    from app.extensions import db
    from app.needs import services
    from app.orgs.models import OrgArea

    area = _area(world)
    db.session.add(OrgArea(tenant_id=org.tenant_id, org_id=org.id, area_id=area.id))
    db.session.flush()
    from app.needs.models import NeedDecline

    need = services.post(world.tenant, world.users.resident, what=f"{org.name}的机密需求",
                         category="助老服务", target_group="独居老人", area=area,
                         urgency="routine", on_wall=False)
    # Given back once before (still open): the decline's reason is stored text too.
    db.session.add(NeedDecline(tenant_id=org.tenant_id, need_id=need.id, org_id=org.id,
                               reason=f"{org.name}人手不足"))
    db.session.flush()
    return need.id


PUBLIC_ENDPOINTS.update({"needs.walls", "needs.wall", "api_needs.Wall"})


@maker("staff_id")
def _area_staff(world, org):
    """A second bureau officer of the district in charge of a community (late needs there
    reach them first; they write community notices there only). The world's own officer stays
    the bureau's, in charge of no area."""
    from app.auth.models import Role
    from app.tenancy import services
    from tests.factories import user_with

    staff = user_with(world.tenant, Role.BUREAU_OFFICER, name=f"{org.name}社区工作人员")
    return services.put_in_charge(world.tenant, _area(world), staff).id
