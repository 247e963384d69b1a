"""Which organizations a need is routed to, and which needs an organization sees.

An organization sees a need when it serves the need's area or an area above it (an
organization serving a street serves its communities and grids), and works in the need's
category: it has a project in that category, or no project yet (a new organization sees
every category of its areas).
"""

from __future__ import annotations

from sqlalchemy import and_, exists, literal, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.needs.models import Need, NeedStatus
from app.orgs.models import Organization, OrgArea, OrgStatus
from app.projects.models import Project
from app.tenancy.models import Area


def _serves(org_id_column, area_path, category_column):
    """SQL: the organization ``org_id_column`` serves the area and works in the category."""
    served = aliased(Area)
    in_area = exists(select(OrgArea.area_id).join(served, served.id == OrgArea.area_id).where(
        OrgArea.org_id == org_id_column,
        area_path.startswith(served.path, autoescape=False)))
    in_category = or_(
        exists(select(Project.id).where(Project.org_id == org_id_column,
                                        Project.category == category_column)),
        ~exists(select(Project.id).where(Project.org_id == org_id_column)))
    return and_(in_area, in_category)


def routed_org_ids(need: Need) -> set[int]:
    """Verified organizations the need is routed to."""
    return set(db.session.scalars(
        select(Organization.id).where(
            Organization.tenant_id == need.tenant_id, Organization.status == OrgStatus.VERIFIED,
            _serves(Organization.id, literal(need.area.path), need.category))))


def routed_to(org_ids: set[int]):
    """SQL criteria on ``Need`` (joined to its ``Area``): routed to one of ``org_ids``."""
    if not org_ids:
        return Need.id.is_(None)
    return or_(*(_serves(org_id, Area.path, Need.category) for org_id in sorted(org_ids)))


def open_for(tenant_id: int, org_ids: set[int]):
    """Open needs routed to ``org_ids``, most urgent deadline first (a select of Need)."""
    return (select(Need).join(Area, Area.id == Need.area_id)
            .where(Need.tenant_id == tenant_id, Need.status == NeedStatus.OPEN,
                   routed_to(org_ids))
            .order_by(Need.due_at, Need.id))


def claimed_by(tenant_id: int, org_ids: set[int]):
    return (select(Need).where(Need.tenant_id == tenant_id, Need.status == NeedStatus.CLAIMED,
                               Need.claimed_org_id.in_(org_ids or {-1}))
            .order_by(Need.due_at, Need.id))
