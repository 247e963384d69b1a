"""``flask demo load`` gives the demo tenant's organizations published projects with shifts,
slots and sign-ups; running it again changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.demo import load
from app.projects.models import Project, ShiftSignup, SignupStatus, SlotBooking
from app.tenancy.models import Area


def counts(db):
    """The marketplace step's projects and their sign-ups (other demo steps add their own)."""
    from app.projects.demo import PROJECTS
    from app.projects.models import ServiceSlot, Shift

    ours = select(Project.id).where(Project.name.in_([p["name"] for p in PROJECTS]))
    return (
        db.session.scalar(select(func.count(Project.id)).where(Project.id.in_(ours))),
        db.session.scalar(select(func.count(ShiftSignup.id)).join(Shift).where(
            Shift.project_id.in_(ours))),
        db.session.scalar(select(func.count(SlotBooking.id)).join(ServiceSlot).where(
            ServiceSlot.project_id.in_(ours))),
    )


def test_demo_projects_are_published_with_sign_ups_and_idempotent(app, client, db):
    load()
    first = counts(db)
    load()
    assert counts(db) == first == (3, 5, 3)
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
