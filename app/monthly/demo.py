"""Demo: the month that last ended is published (每月通报) for the district and each of its
organizations, as the job does on the first of the month. Idempotent."""

from __future__ import annotations

from app.tenancy.models import Tenant

ORDER = 95  # after every domain that makes records and money, and the morning scan


def step(tenant: Tenant) -> str | None:
    from app.monthly import services

    year, month = services.last_ended_month()
    made = services.generate(tenant, year, month)
    return f"monthly reports: {made.made} published for {year}-{month:02d}" if made.made else None
