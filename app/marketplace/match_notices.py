"""Notices of shifts that suit a volunteer (岗位提醒), for those who asked for them: when a shift
opens, when places free up on a full shift (a cancellation), and when a recurring schedule
makes new dates. Each person is told of a shift once, only at a time they marked as free,
and at most ``shift_notices_per_day`` times a day (Shanghai time).

The daily count is a row per person and day (``ShiftNoticeDay``) raised by a conditional
UPDATE: that row stays locked until the job commits, so a second job telling the same person
at the same time waits, then sees the count (and the notice) the first one left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.extensions import db
from app.marketplace import agenda
from app.marketplace.models import ShiftNoticeDay
from app.projects.models import Project, ProjectStatus, Shift, ShiftSignup
from app.tenancy.models import Area, Tenant

NOTICE_KIND = "shift.match"


def announce(shift: Shift) -> None:
    """Once the shift is committed, tell the volunteers it suits."""
    from workers.matching import notify_shift_matches
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(notify_shift_matches, shift.id)


def announce_many(shifts: Sequence[Shift]) -> None:
    """Once new shifts (a schedule's dates, a project just published) are committed, tell each
    volunteer they suit of the soonest, in one notice."""
    from workers.matching import notify_series_matches
    from workers.queue import enqueue_after_commit

    ids = [s.id for s in shifts if not s.is_cancelled]
    if ids:
        enqueue_after_commit(notify_series_matches, ids)


def announce_freed(shift: Shift, was_full: bool) -> None:
    """A full shift has places again (someone withdrew and nobody was waiting for them)."""
    project = db.session.get(Project, shift.project_id)
    if (was_full and shift.remaining > 0 and not shift.is_cancelled
            and project.status == ProjectStatus.PUBLISHED):
        announce(shift)


def _suits(shift: Shift, project: Project, profile, near: Area | None,
           areas: dict[int, Area]) -> bool:
    """Whether ``agenda.shifts_for`` would offer the shift: no skill asked or one of theirs,
    their community or one around it, at a time they are usually free."""
    from app.volunteers.availability import is_free

    skills = agenda.skills_of(profile.skills)
    if shift.required_skills and not any(s in shift.required_skills for s in skills):
        return False
    area = areas.get(project.area_id) if project.area_id else None
    if near is not None and area is not None and not (
            area.path.startswith(near.path) or near.path.startswith(area.path)):
        return False
    return is_free(profile.free_times, shift.starts_at)


def claim_notice(tenant: Tenant, user_id: int, now: datetime) -> bool:
    """Count one more notice for the person today, if the day's cap allows: the row of the day
    is made if missing, then raised only while under the cap, and stays locked until commit."""
    from app.service.hours import local_date

    day, cap = local_date(now), int(tenant.setting("shift_notices_per_day"))
    key = (ShiftNoticeDay.tenant_id == tenant.id, ShiftNoticeDay.user_id == user_id,
           ShiftNoticeDay.day == day)
    if db.session.scalar(select(ShiftNoticeDay.id).where(*key)) is None:
        try:  # a job for the same person may make it first: then theirs is the row
            with db.session.begin_nested():
                db.session.execute(insert(ShiftNoticeDay).values(
                    tenant_id=tenant.id, user_id=user_id, day=day, sent=0))
        except IntegrityError:
            pass
    raised = db.session.execute(
        update(ShiftNoticeDay).where(*key, ShiftNoticeDay.sent < cap)
        .values(sent=ShiftNoticeDay.sent + 1).execution_options(synchronize_session=False))
    return raised.rowcount == 1


def _give_back(tenant: Tenant, user_id: int, now: datetime) -> None:
    from app.service.hours import local_date

    db.session.execute(
        update(ShiftNoticeDay).where(ShiftNoticeDay.tenant_id == tenant.id,
                                     ShiftNoticeDay.user_id == user_id,
                                     ShiftNoticeDay.day == local_date(now))
        .values(sent=ShiftNoticeDay.sent - 1).execution_options(synchronize_session=False))


def _told(user_ids: list[int], shift_ids: list[int]) -> set[tuple[int, int]]:
    from app.notifications.models import Notification

    return set(db.session.execute(select(Notification.user_id, Notification.subject_id).where(
        Notification.kind == NOTICE_KIND, Notification.user_id.in_(user_ids),
        Notification.subject_id.in_(shift_ids))).tuples())


def _open(shifts: Sequence[Shift], now: datetime) -> list[Shift]:
    projects = {s.project_id: db.session.get(Project, s.project_id) for s in shifts}
    return sorted((s for s in shifts if projects[s.project_id] is not None
                   and projects[s.project_id].status == ProjectStatus.PUBLISHED
                   and not s.is_cancelled and s.starts_at > now and s.remaining > 0),
                  key=lambda s: (s.starts_at, s.id))


def notify_matches(shifts: Shift | Sequence[Shift], now: datetime) -> int:
    """Tell each volunteer who asked for it of the soonest of ``shifts`` that suits them and
    they were not told of yet (one notice, naming how many more dates suit them), within the
    daily cap. Returns how many were told."""
    from app.marketplace.matching import clashes
    from app.volunteers.models import VolunteerProfile

    shifts = _open([shifts] if isinstance(shifts, Shift) else shifts, now)
    if not shifts:
        return 0
    tenant = db.session.get(Tenant, shifts[0].tenant_id)
    ids = [s.id for s in shifts]
    # In the order of the people, so that jobs running together lock their days in one order.
    profiles = list(db.session.scalars(
        select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.shift_notices.is_(True),
               User.active.is_(True), User.closed_at.is_(None))
        .order_by(VolunteerProfile.user_id)))
    told = _told([p.user_id for p in profiles], ids)
    taken = set(db.session.execute(select(ShiftSignup.user_id, ShiftSignup.shift_id).where(
        ShiftSignup.shift_id.in_(ids), ShiftSignup.status.in_(agenda.HOLDING))).tuples())
    projects = {s.project_id: db.session.get(Project, s.project_id) for s in shifts}
    area_ids = {*(p.area_id for p in projects.values()), *(p.area_id for p in profiles)} - {None}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    skip = told | taken
    count = 0
    for profile in profiles:
        home = areas.get(profile.area_id) if profile.area_id else None
        near = agenda.neighbourhood(home) if home else None
        if near is not None:
            areas.setdefault(near.id, near)
        fresh = [s for s in shifts if (profile.user_id, s.id) not in skip
                 and _suits(s, projects[s.project_id], profile, near, areas)]
        if fresh:
            busy = clashes(tenant.id, profile.user_id)
            fresh = [s for s in fresh if not any(s.starts_at < end and start < s.ends_at
                                                 for start, end in busy)]
        if not fresh or not claim_notice(tenant, profile.user_id, now):
            continue
        if _told([profile.user_id], [fresh[0].id]):  # a job told them meanwhile
            _give_back(tenant, profile.user_id, now)
            continue
        _tell(tenant, profile.user_id, fresh[0], projects[fresh[0].project_id], len(fresh) - 1)
        count += 1
    return count


def _tell(tenant: Tenant, user_id: int, shift: Shift, project: Project, more: int) -> None:
    from app.notifications.services import notify
    from app.templating import localtime

    body = _l("%(when)s at %(place)s, %(n)s places left.", n=shift.remaining,
              when=localtime(shift.starts_at, "%m-%d %H:%M"), place=shift.place)
    if more:
        body = _l("%(first)s %(n)s more dates of it suit you too.", first=body, n=more)
    notify(db.session.get(User, user_id),
           _l("A shift that suits you: %(project)s", project=project.name), body,
           link=f"/t/{tenant.slug}/projects/{project.id}", tenant_id=tenant.id,
           kind=NOTICE_KIND, subject_id=shift.id)
