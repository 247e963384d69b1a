"""Demo: the bureau drew residents recorded as served and phoned them: most confirm being
served and say how satisfied they are, one could not be reached, and the one whose attendance
staff marked says nobody came — which the anomaly scan (oversight, 90) flags. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.attendance.models import AttendanceSource
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.returnvisits import services
from app.returnvisits.models import ReturnVisitSample
from app.tenancy.models import Tenant

ORDER = 85  # after attendance (35); before the morning scan (oversight, 90)
SEED = "20261208"


def step(tenant: Tenant) -> str | None:
    officer = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
    if officer is None or db.session.scalar(select(ReturnVisitSample.id).where(
            ReturnVisitSample.tenant_id == tenant.id).limit(1)):
        return None
    try:
        drawn = services.draw(tenant, officer, 4, {}, seed=SEED)
    except services.VisitError:
        return None
    now = utcnow()
    for visit in drawn.visits:
        services.take(visit, officer, now - timedelta(hours=3))
        at = now - timedelta(hours=2) + timedelta(minutes=10 * visit.position)
        if visit.attendance.source == AttendanceSource.STAFF:
            services.record(visit, officer, method="phone", reached=True, confirmed=False,
                            remarks="老人说那天没有人上门，也没有接到电话。", now=at)
        elif visit.position == len(drawn.visits):
            services.record(visit, officer, method="phone", reached=False,
                            remarks="电话无人接听，改日再打。", now=at)
        else:
            services.record(visit, officer, method="phone", reached=True, confirmed=True,
                            satisfaction=5 if visit.position % 2 else 4, now=at)
    db.session.flush()
    return f"return visits: {len(drawn.visits)} drawn"
