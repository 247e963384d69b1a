"""The demo district shows the time bank: deposited hours, a gift to an elderly neighbour,
and a booking of another organization paid in credits, made once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.services import find_user
from app.tenancy.models import Tenant
from app.timebank import services
from app.timebank.models import TimeEntry


def test_demo_time_bank_is_made_once(app, db, demo):
    assert "time bank:" in demo.first and "a booking paid in credits" in demo.first
    assert "time bank:" not in demo.second
    with app.test_request_context("/"):
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
        kinds = dict(db.session.execute(select(TimeEntry.kind, func.count()).group_by(
            TimeEntry.kind)).all())
        assert kinds["deposit"] >= 1 and kinds["gift_out"] == kinds["gift_in"] == 1
        assert kinds["payment"] == 1
        elder = find_user("13900000003")
        assert services.balance(tenant.id, elder.id) == 0  # three hours given, three paid
