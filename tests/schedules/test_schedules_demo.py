"""The demo shows recurring schedules as its projects describe them, with a volunteer signed
up for every date; loading it again adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.projects.models import ServiceSlot, Shift, ShiftSignup
from app.schedules.models import Series


def test_the_demo_has_recurring_schedules_and_a_volunteer_on_every_date(app, client, db, demo):
    series = db.session.scalars(select(Series).order_by(Series.id)).all()
    assert [(s.project.name, s.kind, s.frequency) for s in series] == [
        ("和平社区广场舞公益课堂", "shift", "weekly"), ("和平社区广场舞公益课堂", "slot", "weekly"),
        ("家电义务维修进社区", "slot", "monthly")]
    dance = db.session.scalars(select(Shift).where(Shift.series_id == series[0].id)).all()
    assert len(dance) == 8 and {s.starts_at.isoweekday() for s in dance} <= {2, 4}
    volunteer = db.session.scalar(select(User).where(User.phone == "13800000003"))
    held = db.session.scalar(select(func.count(ShiftSignup.id)).where(
        ShiftSignup.user_id == volunteer.id, ShiftSignup.shift_id.in_([s.id for s in dance])))
    assert held == 8
    repair = db.session.scalars(select(ServiceSlot).where(ServiceSlot.series_id == series[2].id)).all()
    assert len(repair) == 4 and all(s.starts_at.day <= 7 for s in repair)
    # The project's page offers the schedule for sign-up on every date.
    page = client.get(f"/t/demo/projects/{series[0].project_id}").get_data(as_text=True)
    assert "报名全部日期" in page
