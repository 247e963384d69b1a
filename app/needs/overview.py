"""What the bureau and the public read of needs: unmet needs counted by area, category and
target group, and a community's wish wall (心愿墙) with personal data masked."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from app.extensions import db
from app.needs.models import UNMET, Need, NeedStatus
from app.privacy import mask_name
from app.tenancy.models import Area, Tenant

#: Needs shown on one wish wall, newest first.
WALL_SIZE = 100


@dataclass(frozen=True)
class Group:
    area_id: int
    area: str
    category: str
    group: str
    count: int
    overdue: int
    #: Of them, not yet answered by a call for proposals.
    waiting: int = 0


def unmet(tenant: Tenant, now=None) -> list[Group]:
    """Unmet needs (open or taken on) per area, category and target group, largest first."""
    from app.db import utcnow

    now = now or utcnow()
    late = func.sum(case((Need.due_at < now, 1), else_=0))
    waiting = func.sum(case((Need.call_id.is_(None), 1), else_=0))
    rows = db.session.execute(
        select(Area.id, Area.name, Need.category, Need.target_group, func.count(Need.id), late,
               waiting)
        .join(Area, Area.id == Need.area_id)
        .where(Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]))
        .group_by(Area.id, Area.name, Need.category, Need.target_group)
        .order_by(func.count(Need.id).desc(), Area.name, Need.category, Need.target_group)).all()
    return [Group(a, name, c, g, n, int(o or 0), int(w or 0)) for a, name, c, g, n, o, w in rows]


def communities(tenant: Tenant) -> list[Area]:
    """Areas that have a wish wall: communities (社区), or the top level when none is named so."""
    found = list(db.session.scalars(select(Area).where(Area.tenant_id == tenant.id,
                                                       Area.level == "社区").order_by(Area.name)))
    return found


@dataclass(frozen=True)
class Wish:
    id: int
    what: str
    who: str
    area: str
    category: str
    status: str
    created_at: object
    rating: int | None


def wall(community: Area) -> list[Wish]:
    """The needs of ``community`` and the areas in it that their residents allowed on the
    wall: the wish, the masked name, and where it stands."""
    rows = db.session.execute(
        select(Need, Area.name).join(Area, Area.id == Need.area_id)
        .where(Need.tenant_id == community.tenant_id, Need.on_wall.is_(True),
               Area.path.startswith(community.path, autoescape=False))
        .order_by(Need.id.desc()).limit(WALL_SIZE)).all()
    return [Wish(n.id, n.what, mask_name(n.resident_name), name, n.category, n.status, n.created_at,
                 n.rating if n.status == NeedStatus.CONFIRMED else None) for n, name in rows]
