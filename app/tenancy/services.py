"""Creating tenants and growing their area trees."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Area, Tenant

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


class TenancyError(ValueError):
    pass


def create_tenant(slug: str, name: str, settings: dict | None = None) -> Tenant:
    if not SLUG_RE.match(slug):
        raise TenancyError("slug must be 2-40 lowercase letters, digits or hyphens")
    name = name.strip()
    if not 0 < len(name) <= Tenant.name.type.length:
        raise TenancyError(f"the name must be 1-{Tenant.name.type.length} characters")
    if db.session.scalar(select(Tenant).where(Tenant.slug == slug)):
        raise TenancyError(f"tenant {slug!r} exists")
    tenant = Tenant(slug=slug, name=name, settings=settings or {})
    db.session.add(tenant)
    db.session.flush()
    return tenant


def add_area(tenant: Tenant, name: str, level: str, parent: Area | None = None) -> Area:
    """Add an area under ``parent`` (or at the root); returns the existing one if present."""
    existing = db.session.scalar(
        select(Area).where(Area.tenant_id == tenant.id, Area.name == name,
                           Area.parent_id == (parent.id if parent else None))
    )
    if existing:
        return existing
    area = Area(tenant_id=tenant.id, name=name, level=level, parent=parent)
    db.session.add(area)
    db.session.flush()
    area.path = f"{parent.path if parent else '/'}{area.id}/"
    db.session.flush()
    return area


def subtree_ids(area: Area) -> list[int]:
    """Ids of ``area`` and every area beneath it."""
    return list(db.session.scalars(
        select(Area.id).where(Area.tenant_id == area.tenant_id, Area.path.startswith(area.path))
    ))


def area_choices(tenant: Tenant) -> list[tuple[int, str]]:
    """(id, indented label) pairs in tree order, for select boxes."""
    areas = db.session.scalars(select(Area).where(Area.tenant_id == tenant.id)).all()
    by_path = sorted(areas, key=lambda a: [int(p) for p in a.path.strip("/").split("/")])
    return [(a.id, "　" * a.depth + a.name) for a in by_path]
