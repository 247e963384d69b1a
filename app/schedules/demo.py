"""Demo: recurring schedules as the demo's projects describe them — the square-dance class's
volunteer shifts every Tuesday and Thursday evening (one volunteer signed up for every date)
and its class places for residents, and the appliance repair day on the first Saturday of each
month. Official holidays are skipped. Idempotent."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.parsing import local_today
from app.projects.models import Project
from app.tenancy.models import Tenant

ORDER = 25  # after projects (20), before service records (30)

#: (project, kind, frequency, weekdays or (nth, weekday), start, minutes, place, capacity, dates)
SCHEDULES = [
    ("和平社区广场舞公益课堂", "shift", "weekly", (1, 3), time(18, 30), 120, "和平社区广场", 3, 8),
    ("和平社区广场舞公益课堂", "slot", "weekly", (1, 3), time(19, 0), 90, "和平社区广场", 30, 8),
    ("家电义务维修进社区", "slot", "monthly", (1, 5), time(9, 0), 180, "幸福社区第1网格服务点", 10, 4),
]
#: A volunteer who signs up for every date of the first schedule.
EVERY_DATE = "13800000003"


def step(tenant: Tenant) -> str | None:
    from app.schedules import rules, services, signups
    from app.schedules.models import Series

    if db.session.scalar(select(Series.id).where(Series.tenant_id == tenant.id).limit(1)):
        return None
    first_day = local_today() + timedelta(days=1)
    made: list[Series] = []
    for name, kind, frequency, days, start, minutes, place, capacity, count in SCHEDULES:
        project = db.session.scalar(select(Project).where(Project.tenant_id == tenant.id,
                                                          Project.name == name))
        if project is None:
            continue
        author = db.session.get(User, project.created_by_id) if project.created_by_id else None
        if author is None:
            continue
        weekly = frequency == rules.Frequency.WEEKLY
        rule = rules.Rule(starts_on=first_day, frequency=frequency, count=count,
                          weekdays=days if weekly else (),
                          nth=days[0] if not weekly else 1,
                          nth_weekday=days[1] if not weekly else 0)
        template = services.Template(start, minutes, place, capacity,
                                     target_group=None)
        made.append(services.create(project, author, kind, rule, template))
    volunteer = db.session.scalar(select(User).where(User.phone == EVERY_DATE))
    if made and volunteer is not None and made[0].kind == "shift":
        signups.sign_up_all(volunteer, made[0])
    return f"{len(made)} recurring schedules" if made else None
