"""Projects, shifts, slots and volunteers for tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta

import factory

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from app.projects.models import Project, ProjectStatus, ServiceSlot, Shift
from app.templating import SHANGHAI
from app.volunteers.models import VolunteerProfile
from tests.factories import Base, UserFactory, grant

_ids = itertools.count(1)


class ProjectFactory(Base):
    class Meta:
        model = Project

    class Params:
        org = None

    tenant_id = factory.LazyAttribute(lambda o: o.org.tenant_id)
    org_id = factory.LazyAttribute(lambda o: o.org.id)
    name = factory.Sequence(lambda n: f"社区服务项目{n}")
    theme = "邻里守望"
    content = "为社区居民提供上门服务"
    category = "助老服务"
    status = ProjectStatus.PUBLISHED
    published_at = factory.LazyFunction(utcnow)


def shift(project: Project, days: float = 3, hours: float = 2, capacity: int = 5,
          at: time | None = None, **kw) -> Shift:
    """A shift ``days`` from now; with ``at``, starting at that local (Shanghai) time of that
    day, for tests that go through the edit form (it takes one day's start and end times)."""
    start = utcnow().replace(microsecond=0) + timedelta(days=days)
    if at is not None:
        start = datetime.combine(start.astimezone(SHANGHAI).date(), at, SHANGHAI)
    row = Shift(tenant_id=project.tenant_id, org_id=project.org_id, project_id=project.id,
                starts_at=start, ends_at=start + timedelta(hours=hours), place="社区活动室",
                capacity=capacity, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def slot(project: Project, days: float = 3, hours: float = 1, capacity: int = 5, **kw) -> ServiceSlot:
    start = utcnow().replace(microsecond=0) + timedelta(days=days)
    row = ServiceSlot(tenant_id=project.tenant_id, org_id=project.org_id, project_id=project.id,
                      starts_at=start, ends_at=start + timedelta(hours=hours), place="居委会",
                      capacity=capacity, **kw)
    db.session.add(row)
    db.session.flush()
    return row


def volunteer(tenant, insured_until: date | None = None, **kw):
    """A user with the volunteer role and a volunteer record in ``tenant``."""
    user = grant(UserFactory(**kw), tenant, Role.VOLUNTEER)
    n = next(_ids)
    db.session.add(VolunteerProfile(
        tenant_id=tenant.id, user_id=user.id, real_name=user.name, gender="M",
        birth_date=date(1990, 1, 1), id_number=f"1101051990{n:08d}"[:18], phone=user.phone,
        consent_at=utcnow(), consent_version="test",
        insurance_policy="PICC-1" if insured_until else None, insurance_expires=insured_until))
    db.session.flush()
    return user
