"""Community notices: bureau officers write them, community staff (officers put in charge of
areas, ``AreaStaff``) only to those areas and the areas under them; the bureau, in charge of
no area, to any, and it alone says who is in charge of what (``area.assign_staff``). Every
member of a district chooses for themselves (``tenant.member``): one's own settings are not
a power over anyone else, auditors' included."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import has_tenant_role, rule


@rule("notice.write")
def _write(user, tenant) -> bool:
    return has_tenant_role(user, tenant, Role.BUREAU_OFFICER)


@rule("notice.target")
def _target(user, area) -> bool:
    from app.notices.services import may_target

    return user is not None and may_target(user, area)


@rule("notice.view")
def _view(user, notice) -> bool:
    from app.notices.services import may_target, staff_areas
    from app.tenancy.models import Area

    if not has_tenant_role(user, notice, Role.BUREAU_OFFICER):
        return False
    if not staff_areas(user, notice.tenant_id):
        return True
    from app.extensions import db

    area = db.session.get(Area, notice.area_id) if notice.area_id else None
    return area is not None and may_target(user, area)
