"""Demo: three volunteers chose to appear on the honour list (one by full name), two of them
with past years' service brought over from the paper register (so they hold stars) and awards
the organizations recorded; one volunteer with an award did not choose to, and is not shown.
Two asked to be told when a shift that suits them opens. Idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Role, RoleGrant
from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.service.models import AwardRecord, RecordMethod, RecordStatus, ServiceRecord
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile

ORDER = 95  # after every domain that records service (the dashboards' figures include these)
ORG_NAME = "阳光社区服务中心"
#: Volunteers who asked to be told of new shifts that suit them.
NOTICES = ("13800000001", "13800000003")
#: phone → (on the list, by full name, hours a week brought over for 2024, awards)
CHOICES = {
    "13800000001": (True, True, 7, [("2025年度优秀志愿者", date(2026, 1, 16), "东湖街道办事处")]),
    "13800000002": (True, False, 3, [("助老服务之星", date(2025, 10, 9), ORG_NAME),
                                      ("2025年度优秀志愿者", date(2026, 1, 16), "东湖街道办事处")]),
    "13800000003": (True, False, 0, [("重阳节敬老活动先进个人", date(2025, 10, 29), ORG_NAME)]),
    "13800000004": (False, False, 0, [("社区文明劝导志愿者", date(2025, 6, 5), ORG_NAME)]),
}


def _brought_over(tenant: Tenant, org: Organization, user_id: int, hours: int, by: int | None,
                  now: datetime) -> int:
    """Four mornings a month of 2024 from the paper register, recorded as imports are."""
    made = 0
    for month, week in ((m, w) for m in range(1, 13) for w in range(4)):
        day = date(2024, month, 1 + 7 * week)
        start = datetime(2024, month, 1 + 7 * week, 1, 0, tzinfo=UTC)
        if db.session.scalar(select(ServiceRecord.id).where(
                ServiceRecord.org_id == org.id, ServiceRecord.user_id == user_id,
                ServiceRecord.activity_date == day, ServiceRecord.method == RecordMethod.IMPORT)):
            continue
        db.session.add(ServiceRecord(
            tenant_id=tenant.id, org_id=org.id, shift_id=None, user_id=user_id,
            activity_name="上门助老服务（纸质台账补录）", activity_date=day,
            place="幸福社区", content="上门探访独居老人、陪同就医", category="助老服务",
            organizing_unit=org.name, scheduled_minutes=hours * 60, checked_in_at=start,
            checked_out_at=start + timedelta(hours=hours), minutes=hours * 60,
            method=RecordMethod.IMPORT, status=RecordStatus.VERIFIED, verified_at=now,
            verified_by_id=by, points=0))
        made += 1
    return made


def step(tenant: Tenant) -> str | None:
    org = db.session.scalar(select(Organization).where(Organization.tenant_id == tenant.id,
                                                       Organization.name == ORG_NAME))
    if org is None:
        return None
    admin = db.session.scalar(select(RoleGrant.user_id).where(
        RoleGrant.tenant_id == tenant.id, RoleGrant.org_id == org.id,
        RoleGrant.role == Role.ORG_ADMIN.value).order_by(RoleGrant.user_id).limit(1))
    now, listed, made = utcnow(), 0, 0
    for phone, (on_list, full_name, hours, awards) in CHOICES.items():
        user = auth.find_user(phone)
        profile = user and db.session.scalar(select(VolunteerProfile).where(
            VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.user_id == user.id))
        if profile is None:
            continue
        if on_list and not profile.honour_listed:
            profile.honour_listed, profile.honour_full_name = True, full_name
            listed += 1
        if phone in NOTICES and not profile.shift_notices:
            profile.shift_notices = True
        if hours:
            made += _brought_over(tenant, org, user.id, hours, admin, now)
        for name, day, grantor in awards:
            if not db.session.scalar(select(AwardRecord.id).where(
                    AwardRecord.org_id == org.id, AwardRecord.user_id == user.id,
                    AwardRecord.name == name)):
                db.session.add(AwardRecord(tenant_id=tenant.id, org_id=org.id, user_id=user.id,
                                           name=name, awarded_on=day, grantor=grantor,
                                           recorded_by_id=admin))
    db.session.flush()
    if listed or made:
        from app.service.standing import recompute_stars

        recompute_stars(tenant, now)
        return f"reputation: {listed} volunteers on the honour list, {made} past records"
    return None
