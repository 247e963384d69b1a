"""Making monthly reports (每月通报): for a calendar month (Beijing time) that has ended, one
report per verified organization and one for the whole district, each made once. Making a
month again leaves the reports already published as they are, so the job at the start of a
month and an officer asking for it give the same single report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db import utcnow
from app.extensions import db
from app.monthly import figures
from app.monthly.models import MonthlyReport, ReportTrigger
from app.tenancy.models import Tenant


class MonthlyError(ValueError):
    """A refused request, with a message for the person."""


@dataclass
class Made:
    made: int = 0
    existing: int = 0


def last_ended_month(now: datetime | None = None) -> tuple[int, int]:
    from app.service.hours import local_date

    today = local_date(now or utcnow())
    return figures.previous_month(today.year, today.month)


def check_month(year: int | None, month: int | None, now: datetime | None = None) -> tuple[int, int]:
    """A month that has ended (and is not before 2000); otherwise a ``MonthlyError``."""
    if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12 \
            or not 2000 <= year <= 2100:
        raise MonthlyError(_l("Choose a month."))
    if (year, month) > last_ended_month(now):
        raise MonthlyError(_l("A month can be reported once it has ended."))
    return year, month


def _orgs(tenant: Tenant) -> list:
    """Every verified organization of the district (one that has nothing in the month gets a
    report of zeros, which says so)."""
    from app.orgs.models import Organization, OrgStatus

    return list(db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.status == OrgStatus.VERIFIED)
        .order_by(Organization.name)))


def _existing(tenant: Tenant, year: int, month: int) -> set[int | None]:
    return set(db.session.scalars(select(MonthlyReport.org_id).where(
        MonthlyReport.tenant_id == tenant.id, MonthlyReport.year == year,
        MonthlyReport.month == month)))


def generate(tenant: Tenant, year: int, month: int, *, by=None,
             now: datetime | None = None) -> Made:
    """Make and publish the month's reports that do not exist yet. Caller commits."""
    year, month = check_month(year, month, now)
    trigger = ReportTrigger.BUREAU if by is not None else ReportTrigger.SCHEDULE
    done = _existing(tenant, year, month)
    out = Made(existing=len(done))
    subjects = [(o.id, o.name) for o in _orgs(tenant)]
    for org_id, name in [(None, tenant.name), *subjects]:
        if org_id in done:
            continue
        report = MonthlyReport(
            tenant_id=tenant.id, org_id=org_id, year=year, month=month, subject=name,
            figures=figures.snapshot(tenant.id, org_id, year, month), trigger=trigger,
            made_by_id=getattr(by, "id", None), published_at=now or utcnow())
        try:
            with db.session.begin_nested():
                db.session.add(report)
        except IntegrityError:  # made at the same moment elsewhere: that one stands
            out.existing += 1
            continue
        out.made += 1
    return out


def months(tenant_id: int) -> list[tuple[int, int]]:
    """Months with a published report, newest first."""
    return list(db.session.execute(select(MonthlyReport.year, MonthlyReport.month).where(
        MonthlyReport.tenant_id == tenant_id).distinct()
        .order_by(MonthlyReport.year.desc(), MonthlyReport.month.desc())).tuples())


def of_month(tenant_id: int, year: int, month: int) -> list[MonthlyReport]:
    """The month's reports: the district's first, then the organizations' by name."""
    return list(db.session.scalars(select(MonthlyReport).where(
        MonthlyReport.tenant_id == tenant_id, MonthlyReport.year == year,
        MonthlyReport.month == month).order_by(MonthlyReport.org_id.is_not(None),
                                               MonthlyReport.subject)))


def of_org(tenant_id: int, org_id: int) -> list[MonthlyReport]:
    return list(db.session.scalars(select(MonthlyReport).where(
        MonthlyReport.tenant_id == tenant_id, MonthlyReport.org_id == org_id)
        .order_by(MonthlyReport.year.desc(), MonthlyReport.month.desc())))
