"""Points redeemed at a partner merchant leave the volunteer's wallet: the dashboard shows
what is left, and a correction may not take back points already redeemed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.funding import incentives as redemptions
from app.funding.services import FundingError
from app.service import standing
from app.service.corrections import ServiceError, decide, propose
from app.service.models import PointsEntry, RequestStatus
from app.service.services import make_token, scan
from tests.factories import OrgFactory
from tests.service.factories import at, profile, scene

SOON = datetime(2026, 3, 5, 2, 0, tzinfo=UTC)


def served(s, minutes: int):
    scan(s.shift, s.volunteer, make_token(s.shift, "in", at(s.shift, 0)), at(s.shift, 0))
    return scan(s.shift, s.volunteer, make_token(s.shift, "out", at(s.shift, minutes)),
                at(s.shift, minutes))[1]


def merchant(s):
    return redemptions.add_merchant(s.tenant, name="幸福爱心超市", kind="charity_store")


def test_points_redeemed_lower_the_dashboard_balance(zh):
    s = scene()
    profile(s.tenant, s.volunteer)
    served(s, 180)  # 3 points from the organization
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 3
    code = redemptions.issue(s.volunteer, s.org, merchant(s), 2)
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 1
    redemptions.consume(s.org, code.code, s.coordinator)
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 1  # stays deducted
    assert redemptions.balances(s.volunteer.id, s.tenant.id) == {s.org.id: 1}


def test_a_cancelled_code_gives_its_points_back(zh):
    s = scene()
    profile(s.tenant, s.volunteer)
    served(s, 180)
    code = redemptions.issue(s.volunteer, s.org, merchant(s), 3)
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 0
    redemptions.cancel(code, s.volunteer)
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 3


def test_points_of_one_organization_are_not_redeemed_with_another(zh):
    s = scene()
    profile(s.tenant, s.volunteer)
    served(s, 180)
    other = OrgFactory(tenant_id=s.tenant.id)
    with pytest.raises(FundingError, match="^您在该组织的积分为 0 分，不能兑换更多。$"):
        redemptions.issue(s.volunteer, other, merchant(s), 1)


def test_a_correction_that_takes_back_redeemed_points_is_refused(zh):
    s = scene()
    profile(s.tenant, s.volunteer)
    record = served(s, 180)  # 3 points
    redemptions.issue(s.volunteer, s.org, merchant(s), 2)
    request = propose(s.shift, s.volunteer, s.coordinator, starts_at=at(s.shift, 0),
                      ends_at=at(s.shift, 60), reason="中途离开两小时", now=SOON)
    with pytest.raises(ServiceError) as refused, zh.session.begin_nested():
        decide(request, s.admin, approve=True, now=SOON)
    assert str(refused.value.args[0]) == "此更正需扣回 2 积分，但该志愿者已兑换了其中部分积分，无法扣回。"
    assert (record.minutes, record.points, request.status) == (180, 3, RequestStatus.PENDING)
    assert [(e.kind, e.points) for e in zh.session.scalars(
        select(PointsEntry).order_by(PointsEntry.id))] == [("accrual", 3), ("redemption", -2)]
    assert standing.dashboard(s.tenant, s.volunteer.id).points == 1
