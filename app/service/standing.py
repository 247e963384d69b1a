"""A volunteer's standing: dashboard figures, star level, and the nightly recomputation.

Every figure is an aggregate computed by the database (SUM … GROUP BY over the
volunteer's records), never a Python loop over rows, so a volunteer with thousands of
records gets their dashboard as fast as a newcomer. Records belong to the person: the
totals include every organization they served.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, case, exists, func, literal, select, true, update
from sqlalchemy.exc import IntegrityError

from app.db import UTCDateTime, utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.service.hours import format_minutes, local_date, minutes_to_next_star, star_level
from app.service.models import (
    AwardRecord,
    HoursRequest,
    RecordStatus,
    RequestStatus,
    ServiceRecord,
    TrainingRecord,
    VolunteerStanding,
)
from app.tenancy.models import Tenant


@dataclass
class Dashboard:
    total_minutes: int
    year_minutes: int
    record_count: int
    stars: int
    to_next_star: int | None
    points: int
    open_records: int
    pending_requests: int
    by_org: list[tuple[str, int, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    thresholds: list[int] = field(default_factory=list)


def _verified(tenant_id: int, user_id: int) -> tuple:
    return (ServiceRecord.tenant_id == tenant_id, ServiceRecord.user_id == user_id,
            ServiceRecord.status == RecordStatus.VERIFIED)


def verified_minutes(tenant_id: int, user_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(ServiceRecord.minutes), 0))
                             .where(*_verified(tenant_id, user_id))) or 0


def dashboard(tenant: Tenant, user_id: int, now: datetime | None = None) -> Dashboard:
    """All figures from one grouped aggregate (per organization and category) plus two
    counts; Python only adds up the handful of groups."""
    from app.service.incentives import balance

    now = now or utcnow()
    year_start = date(local_date(now).year, 1, 1)
    minutes = ServiceRecord.minutes
    # Each record's own recording unit: an imported record names the unit that recorded it
    # (in the national system, say), not the organization that brought the file in.
    unit = func.coalesce(func.nullif(ServiceRecord.organizing_unit, ""), Organization.name)
    groups = db.session.execute(
        select(unit, ServiceRecord.category, func.sum(minutes),
               func.sum(case((ServiceRecord.activity_date >= year_start, minutes), else_=0)),
               func.count(ServiceRecord.id))
        .join(Organization, Organization.id == ServiceRecord.org_id)
        .where(*_verified(tenant.id, user_id))
        .group_by(unit, ServiceRecord.category)).all()
    by_org: dict[str, list] = {}
    by_category: dict[str, int] = {}
    for name, category, group_minutes, _this_year, count in groups:
        line = by_org.setdefault(name, [name, 0, 0])
        line[1] += int(group_minutes)
        line[2] += int(count)
        by_category[category or "—"] = by_category.get(category or "—", 0) + int(group_minutes)
    total = sum(int(g[2]) for g in groups)
    open_records = db.session.scalar(select(func.count(ServiceRecord.id)).where(
        ServiceRecord.tenant_id == tenant.id, ServiceRecord.user_id == user_id,
        ServiceRecord.status == RecordStatus.OPEN))
    pending = db.session.scalar(select(func.count(HoursRequest.id)).where(
        HoursRequest.tenant_id == tenant.id, HoursRequest.user_id == user_id,
        HoursRequest.status == RequestStatus.PENDING))
    thresholds = list(tenant.setting("star_thresholds"))
    return Dashboard(
        total_minutes=total, year_minutes=sum(int(g[3]) for g in groups),
        record_count=sum(int(g[4]) for g in groups), stars=star_level(total, thresholds),
        to_next_star=minutes_to_next_star(total, thresholds),
        points=balance(tenant.id, user_id), open_records=open_records or 0,
        pending_requests=pending or 0,
        by_org=sorted(((n, m, c) for n, m, c in by_org.values()), key=lambda x: (-x[1], x[0])),
        by_category=sorted(by_category.items(), key=lambda x: (-x[1], x[0])),
        thresholds=thresholds)


def records_query(tenant_id: int, user_id: int, org_id: int | None = None) -> Select:
    """All of a volunteer's records (any status), newest first."""
    stmt = select(ServiceRecord).where(ServiceRecord.tenant_id == tenant_id,
                                       ServiceRecord.user_id == user_id)
    if org_id is not None:
        stmt = stmt.where(ServiceRecord.org_id == org_id)
    return stmt.order_by(ServiceRecord.activity_date.desc(), ServiceRecord.id.desc())


def requests_of(tenant_id: int, user_id: int, limit: int = 50) -> list[HoursRequest]:
    return list(db.session.scalars(select(HoursRequest).where(
        HoursRequest.tenant_id == tenant_id, HoursRequest.user_id == user_id)
        .order_by(HoursRequest.id.desc()).limit(limit)))


def trainings_and_awards(tenant_id: int, user_id: int, org_id: int | None = None
                         ) -> tuple[list[TrainingRecord], list[AwardRecord]]:
    t = select(TrainingRecord).where(TrainingRecord.tenant_id == tenant_id,
                                     TrainingRecord.user_id == user_id)
    a = select(AwardRecord).where(AwardRecord.tenant_id == tenant_id,
                                  AwardRecord.user_id == user_id)
    if org_id is not None:
        t, a = t.where(TrainingRecord.org_id == org_id), a.where(AwardRecord.org_id == org_id)
    return (list(db.session.scalars(t.order_by(TrainingRecord.held_on.desc()))),
            list(db.session.scalars(a.order_by(AwardRecord.awarded_on.desc()))))


def refresh(tenant_id: int, user_id: int, now: datetime | None = None) -> tuple[int, int]:
    """Bring one volunteer's standing up to date; congratulate them on a new star.
    Returns (stars before, stars now)."""
    now = now or utcnow()
    tenant = db.session.get(Tenant, tenant_id)
    total = verified_minutes(tenant_id, user_id)
    stmt = select(VolunteerStanding).where(VolunteerStanding.tenant_id == tenant_id,
                                           VolunteerStanding.user_id == user_id)
    row = db.session.scalar(stmt)
    if row is None:
        try:
            with db.session.begin_nested():
                row = VolunteerStanding(tenant_id=tenant_id, user_id=user_id,
                                        verified_minutes=0, stars=0, updated_at=now)
                db.session.add(row)
        except IntegrityError:
            row = db.session.scalar(stmt)
    before = row.stars
    row.verified_minutes, row.stars = total, star_level(total, tenant.setting("star_thresholds"))
    row.updated_at = now
    db.session.flush()
    if row.stars > before:
        _congratulate(tenant, user_id, row.stars, total)
    return before, row.stars


def _congratulate(tenant: Tenant, user_id: int, stars: int, minutes: int) -> None:
    from app.auth.models import User
    from app.notifications.services import notify

    notify(db.session.get(User, user_id),
           _l("You have reached %(stars)s stars", stars=stars),
           _l("Thank you: %(hours)s verified hours of volunteer service.",
              hours=format_minutes(minutes)),
           link=f"/t/{tenant.slug}/service/me", tenant_id=tenant.id)


def _insert_for(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def recompute_stars(tenant: Tenant, now: datetime | None = None) -> int:
    """Recompute every volunteer's verified minutes and stars in the tenant, set-based: one
    INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE, one UPDATE for those with none left.
    Returns the number of standings that changed."""
    now = now or utcnow()
    totals = (select(ServiceRecord.tenant_id, ServiceRecord.user_id,
                     func.sum(ServiceRecord.minutes).label("minutes"))
              .where(ServiceRecord.tenant_id == tenant.id,
                     ServiceRecord.status == RecordStatus.VERIFIED)
              .group_by(ServiceRecord.tenant_id, ServiceRecord.user_id).subquery())
    stars = literal(0)
    for hours in tenant.setting("star_thresholds"):
        stars = stars + case((totals.c.minutes >= int(hours) * 60, 1), else_=0)
    source = select(totals.c.tenant_id, totals.c.user_id, totals.c.minutes, stars,
                    literal(now, UTCDateTime())).where(true())
    insert = _insert_for(db.session.get_bind().dialect.name)(VolunteerStanding).from_select(
        ["tenant_id", "user_id", "verified_minutes", "stars", "updated_at"], source)
    excluded = insert.excluded
    upsert = insert.on_conflict_do_update(
        index_elements=["tenant_id", "user_id"],
        set_={"verified_minutes": excluded.verified_minutes, "stars": excluded.stars,
              "updated_at": excluded.updated_at},
        where=(VolunteerStanding.verified_minutes != excluded.verified_minutes)
        | (VolunteerStanding.stars != excluded.stars)).returning(VolunteerStanding.id)
    changed = len(db.session.connection().execute(upsert).all())
    has_verified = exists().where(ServiceRecord.tenant_id == VolunteerStanding.tenant_id,
                                  ServiceRecord.user_id == VolunteerStanding.user_id,
                                  ServiceRecord.status == RecordStatus.VERIFIED)
    emptied = db.session.execute(
        update(VolunteerStanding)
        .where(VolunteerStanding.tenant_id == tenant.id, VolunteerStanding.verified_minutes > 0,
               ~has_verified)
        .values(verified_minutes=0, stars=0, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount or 0
    db.session.expire_all()
    return changed + emptied


def org_view(tenant_id: int, user_id: int) -> tuple[int, int, int]:
    """What another organization may see of a volunteer's history: verified minutes,
    records and number of organizations served — totals only."""
    total, count, orgs = db.session.execute(
        select(func.coalesce(func.sum(ServiceRecord.minutes), 0), func.count(ServiceRecord.id),
               func.count(func.distinct(ServiceRecord.org_id)))
        .where(*_verified(tenant_id, user_id))).one()
    return int(total), int(count), int(orgs)


def totals_for_users(tenant_id: int, user_ids: list[int]) -> dict[int, int]:
    """Verified minutes across all organizations for each of these volunteers."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(ServiceRecord.user_id, func.sum(ServiceRecord.minutes))
        .where(ServiceRecord.tenant_id == tenant_id, ServiceRecord.user_id.in_(user_ids),
               ServiceRecord.status == RecordStatus.VERIFIED)
        .group_by(ServiceRecord.user_id)).all()
    return {user_id: int(minutes) for user_id, minutes in rows}


def served_with(tenant_id: int, org_id: int, user_id: int) -> bool:
    """Whether the volunteer signed up for or served one of the organization's shifts."""
    from app.projects.models import Shift, ShiftSignup

    signed_up = select(ShiftSignup.id).join(Shift, Shift.id == ShiftSignup.shift_id).where(
        ShiftSignup.tenant_id == tenant_id, ShiftSignup.user_id == user_id,
        Shift.org_id == org_id)
    recorded = select(ServiceRecord.id).where(
        ServiceRecord.tenant_id == tenant_id, ServiceRecord.user_id == user_id,
        ServiceRecord.org_id == org_id)
    return bool(db.session.scalar(select(exists(signed_up) | exists(recorded))))
