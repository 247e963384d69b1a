"""Rows planted directly for the anomaly rules and dashboards: service records on shifts,
ratings, and spending through the funding services."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.extensions import db
from app.service.models import ServiceRecord


def record(shift, user, *, start_min: float = 0, end_min: float | None = None, minutes=None,
           method: str = "qr", status: str = "verified", verified_at: datetime | None = None,
           is_late: bool = False, checked: bool = True) -> ServiceRecord:
    """A record of ``user`` on ``shift``: checked in/out ``start_min``/``end_min`` minutes
    after the shift starts (defaults: the whole shift)."""
    length = int((shift.ends_at - shift.starts_at).total_seconds() // 60)
    end_min = length if end_min is None else end_min
    arrived = shift.starts_at + timedelta(minutes=start_min)
    left = shift.starts_at + timedelta(minutes=end_min)
    served = max(0, int((min(left, shift.ends_at) - max(arrived, shift.starts_at)).total_seconds() // 60))
    row = ServiceRecord(
        tenant_id=shift.tenant_id, org_id=shift.org_id, shift_id=shift.id, user_id=user.id,
        activity_name="助老送餐", activity_date=(shift.starts_at + timedelta(hours=8)).date(),
        place=shift.place, organizing_unit="阳光社区服务中心", scheduled_minutes=length,
        checked_in_at=arrived if checked else None, checked_out_at=left if checked else None,
        minutes=served if minutes is None else minutes, method=method, status=status,
        is_late=is_late, verified_at=verified_at or (left if status == "verified" else None))
    db.session.add(row)
    db.session.flush()
    return row
