"""The public marketplace: browse and search published projects.

Text search is a substring match on ``Project.search_text`` (lower-cased name, theme,
highlights and content): Chinese has no spaces to split words on, so every query term is
matched as a substring. On PostgreSQL a GIN index over the text's bigrams answers it: most
Chinese queries are two characters (助老, 儿童, 法律), too short for a trigram index (pg_trgm
extracts no trigram from them and falls back to scanning). SQLite scans ``search_text``.
Result counts are capped (``COUNT_CAP``): nobody pages through thousands of results, and
counting them all is what makes a popular two-character query slow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import (
    Select,
    Text,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import aliased, joinedload

from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import Project, ProjectStatus, ServiceSlot, Shift
from app.projects.services import bigrams
from app.templating import SHANGHAI
from app.tenancy.models import Area, Tenant

PER_PAGE = 20
COUNT_CAP = 1000
MAX_TERMS = 5


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str = ""
    area_id: int | None = None
    group: str = ""
    org_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    def terms(self) -> list[str]:
        return [t.lower() for t in self.q.split()][:MAX_TERMS]

    def active(self) -> bool:
        return any((self.q.strip(), self.category, self.area_id, self.group, self.org_id,
                    self.date_from, self.date_to))


@dataclass
class Card:
    """What a result shows: plain values, so a page of results can be cached."""

    id: int
    name: str
    theme: str
    category: str
    org_id: int
    org_name: str
    area_name: str | None
    target_groups: list[str]
    cover_key: str | None  # the cover photo, if any (app/projects/covers.py)
    next_start: datetime | None = None
    shift_places: int = 0
    slot_places: int = 0


@dataclass
class Results:
    cards: list[Card]
    total: int
    page: int
    per_page: int = PER_PAGE
    capped: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _has_group(group: str):
    if _dialect() == "postgresql":
        return cast(Project.target_groups, JSONB).contains([group])
    items = func.json_each(Project.target_groups).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == group))


def _matches(term: str):
    """A project whose text contains ``term``. On PostgreSQL the bigram GIN index finds the
    candidates (for two characters, exactly); the substring test confirms longer terms."""
    like = Project.search_text.contains(term, autoescape=True)
    grams = bigrams(term)
    if not grams or _dialect() != "postgresql":
        return like
    indexed = type_coerce(Project.search_grams, ARRAY(Text)).contains(grams)
    return indexed if len(term) == 2 else and_(indexed, like)


def _starts_between(model, start: datetime | None, end: datetime | None):
    criteria = [model.project_id == Project.id, model.cancelled_at.is_(None)]
    if start is not None:
        criteria.append(model.starts_at >= start)
    if end is not None:
        criteria.append(model.starts_at < end)
    return exists(select(model.id).where(*criteria))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def matching(tenant: Tenant, f: Filters):
    """``SELECT project.id`` for the published projects matching the filters."""
    stmt = select(Project.id).where(Project.tenant_id == tenant.id,
                                    Project.status == ProjectStatus.PUBLISHED)
    for term in f.terms():
        stmt = stmt.where(_matches(term))
    if f.category:
        stmt = stmt.where(Project.category == f.category)
    if f.org_id:
        stmt = stmt.where(Project.org_id == f.org_id)
    if f.area_id:
        area_path = select(Area.path).where(Area.id == f.area_id, Area.tenant_id == tenant.id)
        subtree = select(Area.id).where(Area.tenant_id == tenant.id,
                                        Area.path.startswith(area_path.scalar_subquery()))
        stmt = stmt.where(Project.area_id.in_(subtree))
    if f.group:
        stmt = stmt.where(_has_group(f.group))
    if f.date_from or f.date_to:
        start = _local_midnight(f.date_from) if f.date_from else None
        end = _local_midnight(f.date_to + timedelta(days=1)) if f.date_to else None
        stmt = stmt.where(or_(_starts_between(Shift, start, end),
                              _starts_between(ServiceSlot, start, end)))
    return stmt


def search(tenant: Tenant, f: Filters) -> Results:
    """One page of results: a capped count, the page with its cards, their places left."""
    stmt = matching(tenant, f)
    total = db.session.scalar(select(func.count()).select_from(
        stmt.limit(COUNT_CAP + 1).subquery())) or 0
    capped = total > COUNT_CAP
    total = min(total, COUNT_CAP)
    order = [Project.published_at.desc(), Project.id.desc()]
    if f.terms() and not capped:  # names that match first (ranking thousands costs a sort)
        order.insert(0, case((Project.name.contains(f.terms()[0], autoescape=True), 0), else_=1))
    page = max(1, min(f.page, -(-total // PER_PAGE) or 1))
    area = aliased(Area)  # not the Area of the filter's subqueries
    rows = db.session.execute(
        stmt.with_only_columns(Project.id, Project.name, Project.theme, Project.category,
                               Project.org_id, Organization.name, area.name,
                               Project.target_groups, Project.cover_key)
        .join_from(Project, Organization, Organization.id == Project.org_id)
        .outerjoin(area, area.id == Project.area_id)
        .order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    found = [Card(*row) for row in rows]
    _add_places(found)
    return Results(cards=found, total=total, page=page, capped=capped)


def _add_places(found: list[Card]) -> None:
    """Places left in upcoming shifts and slots, and the next date, in one query."""
    if not found:
        return
    by_id, now = {c.id: c for c in found}, utcnow()
    parts = [select(model.project_id, literal(kind),
                    func.sum(model.capacity - model.confirmed_count), func.min(model.starts_at))
             .where(model.project_id.in_(list(by_id)), model.cancelled_at.is_(None),
                    model.starts_at > now).group_by(model.project_id)
             for model, kind in ((Shift, "shift"), (ServiceSlot, "slot"))]
    for project_id, kind, left, first in db.session.execute(union_all(*parts)):
        card = by_id[project_id]
        setattr(card, f"{kind}_places", int(left or 0))
        first = _aware(first)
        if first is not None and (card.next_start is None or first < card.next_start):
            card.next_start = first


def _aware(value):
    """Aggregates bypass the column type: SQLite hands back a naive UTC string or datetime."""
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@cache
def _place_with_project(model: type[Shift] | type[ServiceSlot]) -> Select:
    return (select(model).where(model.tenant_id == bindparam("tenant_id"), model.id == bindparam("id"))
            .options(joinedload(model.project)))


def place_or_404(model: type[Shift] | type[ServiceSlot], ident: int) -> Shift | ServiceSlot:
    """A shift or slot of the current tenant with its project, in one query."""
    from flask import abort

    from app.tenancy.scoping import current_tenant

    place = db.session.scalar(_place_with_project(model),
                              {"tenant_id": current_tenant().id, "id": ident})
    if place is None:
        abort(404)
    return place


def projects_of(org: Organization) -> list[Project]:
    """An organization's public projects: published first, then closed."""
    return list(db.session.scalars(select(Project).where(
        Project.tenant_id == org.tenant_id, Project.org_id == org.id,
        Project.status.in_([ProjectStatus.PUBLISHED, ProjectStatus.CLOSED]))
        .order_by(Project.status.desc(), Project.published_at.desc())))


def filter_choices(tenant: Tenant) -> dict:
    """Select-box choices for the search form."""
    from app.tenancy.services import area_choices

    orgs = db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant.id, Organization.status == "verified")
        .order_by(Organization.name)).all()
    return {"categories": tenant.setting("service_categories"),
            "groups": tenant.setting("target_groups"),
            "areas": area_choices(tenant), "orgs": [tuple(o) for o in orgs]}

