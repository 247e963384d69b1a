"""Demo: two residents on the roll of 幸福社区 who live alone (周大爷, 郑奶奶) are recorded as
独居老人, beside the two the grid worker keeps (代办). The grid worker (刘网格员) writes the
community's notices because the needs demo puts him in charge of 幸福社区 (``AreaStaff``);
nothing here puts anyone in charge a second time. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.auth import services as auth
from app.extensions import db
from app.residents.models import ResidentProfile
from app.tenancy.models import Tenant

ORDER = 49  # after the residents kept by staff (40) and the roll of consultations (48)
LIVING_ALONE = ("13900000001", "13900000003")


def step(tenant: Tenant) -> str | None:
    recorded = 0
    for account in LIVING_ALONE:
        person = auth.find_user(account)
        profile = person and db.session.scalar(select(ResidentProfile).where(
            ResidentProfile.tenant_id == tenant.id, ResidentProfile.user_id == person.id))
        if profile is not None and not profile.target_group:
            profile.target_group = "独居老人"
            recorded += 1
    db.session.flush()
    return f"{recorded} residents living alone recorded" if recorded else None
