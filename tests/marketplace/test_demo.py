"""``flask demo load`` gives the demo tenant's organizations published projects with shifts,
slots and sign-ups (loading it again changes nothing: ``tests/test_demo_load.py``)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.projects.models import Project, ShiftSignup, SignupStatus, SlotBooking
from app.tenancy.models import Area


def counts(db):
    """The marketplace step's projects, and which of its listed sign-ups and bookings are
    there (other demo steps add their own: schedules, teams, residents booked by staff)."""
    from app.auth.models import User
    from app.projects.demo import PROJECTS, SHIFT_SIGNUPS, SLOT_BOOKINGS
    from app.projects.models import ServiceSlot, Shift

    def held(model, row, pairs) -> int:
        found = 0
        for phone, index, _place in pairs:
            found += bool(db.session.scalar(
                select(func.count(row.id)).join(model).join(Project)
                .join(User, User.id == row.user_id)
                .where(User.phone == phone, Project.name == PROJECTS[index]["name"],
                       model.series_id.is_(None))))
        return found

    ours = select(Project.id).where(Project.name.in_([p["name"] for p in PROJECTS]))
    return (db.session.scalar(select(func.count(Project.id)).where(Project.id.in_(ours))),
            held(Shift, ShiftSignup, SHIFT_SIGNUPS), held(ServiceSlot, SlotBooking, SLOT_BOOKINGS))


def test_demo_projects_are_published_with_sign_ups(app, client, db, demo):
    assert counts(db) == (3, 5, 3)
    elderly = db.session.scalar(select(Project).where(Project.name == "幸福社区独居老人陪伴助老行动"))
    area = db.session.get(Area, elderly.area_id)
    assert (elderly.status, area.name, elderly.target_groups) == ("published", "幸福社区", ["独居老人"])
    statuses = sorted(s.status for s in db.session.scalars(
        select(ShiftSignup).where(ShiftSignup.shift_id == elderly.shifts[0].id)))
    assert statuses == [SignupStatus.CONFIRMED, SignupStatus.CONFIRMED, SignupStatus.WAITLISTED]
    page = client.get("/t/demo/projects?q=助老").get_data(as_text=True)
    assert "幸福社区独居老人陪伴助老行动" in page
    # Each demo project has a cover picture painted at load time, light enough for a phone.
    cover = client.get(f"/t/demo/projects/{elderly.id}/cover")
    assert cover.mimetype == "image/jpeg" and 5_000 < len(cover.data) <= 100_000
    assert f"/t/demo/projects/{elderly.id}/cover?v=" in page
