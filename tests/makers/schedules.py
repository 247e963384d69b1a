"""Isolation makers for recurring schedules and calendar addresses; signing up for every
date of a schedule is open to anyone signed in (as signing up for one shift is)."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS, maker


@maker("series_id")
def _series(world, org):
    """A weekly schedule with one date ahead, on a project of the organization."""
    from datetime import time, timedelta

    from app.extensions import db
    from app.parsing import local_today
    from app.schedules.models import Series
    from tests.projects.factories import ProjectFactory, shift

    project = ProjectFactory(org=org, name=f"{org.name}的重复项目")
    day = local_today() + timedelta(days=7)
    series = Series(tenant_id=org.tenant_id, org_id=org.id, project_id=project.id, kind="shift",
                    frequency="weekly", starts_on=day, weekdays=[day.weekday()], count=1,
                    start_time=time(9), duration_minutes=120, place=f"{org.name}活动室",
                    capacity=3)
    db.session.add(series)
    db.session.flush()
    date = shift(project, days=7)
    date.series_id, date.occurs_on = series.id, day
    db.session.flush()
    return series.id


@maker("secret")
def _secret(world, org):
    """A calendar address's secret no one holds."""
    return f"no-such-calendar-{org.id}"


PUBLIC_ENDPOINTS.update({"personal.calendar_feed"})
OPEN_ENDPOINTS.update({"schedules.sign_up", "api_schedules.SeriesSignups"})
