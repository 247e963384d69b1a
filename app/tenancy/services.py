"""Creating tenants, growing their area trees, and who is in charge of each area."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Area, AreaStaff, Tenant

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


def bureau_people(tenant: Tenant) -> list:
    """Active bureau officers of the tenant, by name: who may be put in charge of an area."""
    from app.auth.models import Role, RoleGrant, User

    return list(db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.tenant_id == tenant.id, RoleGrant.role == str(Role.BUREAU_OFFICER),
               User.active.is_(True)).distinct().order_by(User.name, User.id)))


def put_in_charge(tenant: Tenant, area: Area, person) -> AreaStaff:
    """``person`` (a bureau officer: community or street staff, a grid worker) is in charge of
    ``area``: late needs there reach them before the bureau. Once per area and person."""
    from flask_babel import gettext as _

    from app.auth.models import Role

    if area.tenant_id != tenant.id or not person.has_role(tenant.id, Role.BUREAU_OFFICER):
        raise TenancyError(_("Only the bureau's staff can be put in charge of an area."))
    existing = db.session.scalar(select(AreaStaff).where(AreaStaff.area_id == area.id,
                                                         AreaStaff.user_id == person.id))
    if existing is not None:
        return existing
    staff = AreaStaff(tenant_id=tenant.id, area_id=area.id, user_id=person.id)
    db.session.add(staff)
    db.session.flush()
    return staff


def relieve(staff: AreaStaff) -> None:
    db.session.delete(staff)
    db.session.flush()


def staff_by_area(tenant: Tenant) -> dict[int, list[AreaStaff]]:
    found: dict[int, list[AreaStaff]] = {}
    for row in db.session.scalars(select(AreaStaff).where(AreaStaff.tenant_id == tenant.id)
                                  .order_by(AreaStaff.id)):
        found.setdefault(row.area_id, []).append(row)
    return found
