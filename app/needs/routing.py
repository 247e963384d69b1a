"""Which organizations a need is routed to, and which needs an organization sees.

An organization sees a need when it serves the need's area or an area above it (an
organization serving a street serves its communities and grids), and works in the need's
category: it has a project in that category, or no project yet (a new organization sees
every category of its areas).
"""

from __future__ import annotations

from sqlalchemy import and_, exists, literal, or_, select

from app.extensions import db
from app.needs.models import Need, NeedStatus
from app.orgs.models import Organization, OrgArea, OrgStatus
from app.projects.models import Project
from app.tenancy.models import Area


def _in_category(org_id_column, category_column):
    """SQL: the organization works in the category (a project in it, or no project yet)."""
    return or_(
        exists(select(Project.id).where(Project.org_id == org_id_column,
                                        Project.category == category_column)),
        ~exists(select(Project.id).where(Project.org_id == org_id_column)))


def routed_orgs(need: Need):
    """A select of the verified organizations the need is routed to: those serving its area
    or one above it (the ids on its path, looked up by index rather than every organization
    tried), in its category."""
    above = [int(part) for part in need.area.path.strip("/").split("/") if part.isdigit()]
    return (
        select(Organization.id).join(OrgArea, OrgArea.org_id == Organization.id).where(
            OrgArea.tenant_id == need.tenant_id, OrgArea.area_id.in_(above or [need.area_id]),
            Organization.tenant_id == need.tenant_id, Organization.status == OrgStatus.VERIFIED,
            _in_category(Organization.id, literal(need.category))).distinct())


def routed_org_ids(need: Need) -> set[int]:
    """Verified organizations the need is routed to."""
    return set(db.session.scalars(routed_orgs(need)))


def _reach(tenant_id: int, org_ids: set[int]) -> dict[frozenset[str] | None, set[int]]:
    """The areas (served ones and every area beneath them) of ``org_ids``, by the categories
    they work in (``None``: every category, for an organization with no project yet)."""
    served = db.session.execute(
        select(OrgArea.org_id, Area.path).join(Area, Area.id == OrgArea.area_id)
        .where(OrgArea.tenant_id == tenant_id, OrgArea.org_id.in_(org_ids))).all()
    if not served:
        return {}
    categories: dict[int, set[str]] = {}
    for org_id, category in db.session.execute(
            select(Project.org_id, Project.category).where(
                Project.tenant_id == tenant_id, Project.org_id.in_(org_ids)).distinct()):
        categories.setdefault(org_id, set()).add(category)
    paths = sorted({path for _org, path in served})
    below = db.session.execute(select(Area.id, Area.path).where(
        Area.tenant_id == tenant_id,
        or_(*(Area.path.startswith(path, autoescape=True) for path in paths)))).all()
    reach: dict[frozenset[str] | None, set[int]] = {}
    for org_id, path in served:
        key = frozenset(categories[org_id]) if org_id in categories else None
        reach.setdefault(key, set()).update(i for i, p in below if p.startswith(path))
    return reach


def routed_to(tenant_id: int, org_ids: set[int]):
    """SQL criteria on ``Need``: routed to one of ``org_ids`` (in the areas they serve and
    the categories they work in: an indexed lookup by area and category)."""
    reach = _reach(tenant_id, org_ids) if org_ids else {}
    if not reach:
        return Need.id.is_(None)
    return or_(*(Need.area_id.in_(sorted(areas)) if key is None
                 else and_(Need.area_id.in_(sorted(areas)), Need.category.in_(sorted(key)))
                 for key, areas in reach.items()))


def open_for(tenant_id: int, org_ids: set[int]):
    """Open needs routed to ``org_ids``, most urgent deadline first (a select of Need)."""
    return (select(Need).where(Need.tenant_id == tenant_id, Need.status == NeedStatus.OPEN,
                               routed_to(tenant_id, org_ids))
            .order_by(Need.due_at, Need.id))


def claimed_by(tenant_id: int, org_ids: set[int]):
    return (select(Need).where(Need.tenant_id == tenant_id, Need.status == NeedStatus.CLAIMED,
                               Need.claimed_org_id.in_(org_ids or {-1}))
            .order_by(Need.due_at, Need.id))
