"""Shifts for me (适合我的岗位): the open shifts a volunteer may take, best match first, each
with the reasons it suits them in plain words.

The shifts offered are the ones the workbench offers (``agenda.shifts_for``: places left in the
next 30 days, no skill asked or one of theirs, a project serving their neighbourhood, not
already theirs); here they are also kept clear of the volunteer's own shifts (a sign-up would
be refused) and ordered by how well they match: a skill asked that they have, the kind of
service they chose, a project placed in their own community.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.marketplace import agenda
from app.projects.models import Project, Shift, ShiftSignup
from app.tenancy.models import Area, Tenant

#: How many shifts the page lists.
SHOWN = 50
SKILL, CATEGORY, COMMUNITY, STREET = 3, 2, 2, 1


@dataclass
class Match:
    shift: Shift
    project: Project
    score: int = 0
    reasons: list = field(default_factory=list)


def _clashes(tenant_id: int, user_id: int) -> list[tuple[datetime, datetime]]:
    return list(db.session.execute(
        select(Shift.starts_at, Shift.ends_at).join(ShiftSignup, ShiftSignup.shift_id == Shift.id)
        .where(ShiftSignup.tenant_id == tenant_id, ShiftSignup.user_id == user_id,
               ShiftSignup.status.in_(agenda.HOLDING), Shift.cancelled_at.is_(None))).all())


def _explain(match: Match, skills: list[str], categories: list[str], near: Area | None,
             areas: dict[int, Area]) -> None:
    shift, project = match.shift, match.project
    asked = [s for s in skills if s in (shift.required_skills or "")]
    if asked:
        match.score += SKILL
        match.reasons.append(_l("It asks for %(skills)s, which you listed among your skills.",
                                skills="、".join(asked)))
    elif not shift.required_skills:
        match.reasons.append(_l("No special skill is needed."))
    if project.category in categories:
        match.score += CATEGORY
        match.reasons.append(_l("%(category)s is a kind of service you chose.",
                                category=project.category))
    area = areas.get(project.area_id) if project.area_id else None
    if near is not None and area is not None:
        if area.path.startswith(near.path):
            match.score += COMMUNITY
            match.reasons.append(_l("It is near you, in %(area)s.", area=area.name))
        else:
            match.score += STREET
            match.reasons.append(_l("It serves all of %(area)s, where you live.", area=area.name))
    elif area is None:
        match.reasons.append(_l("It is open to volunteers from anywhere in the district."))


def for_volunteer(tenant: Tenant, user: User, now: datetime, limit: int = SHOWN) -> list[Match]:
    """The open shifts for ``user``, best match first, then soonest."""
    from app.volunteers.services import profile_for

    profile = profile_for(user, tenant)
    home = db.session.get(Area, profile.area_id) if profile and profile.area_id else None
    near = agenda.neighbourhood(home) if home else None  # as the workbench reads it
    skills = agenda.skills_of(profile.skills) if profile else []
    categories = list(profile.service_categories or []) if profile else []
    _, rows = agenda.shifts_for(tenant.id, user.id, near, skills, now, limit=limit * 4)
    busy = _clashes(tenant.id, user.id)
    area_ids = {p.area_id for _, p in rows if p.area_id}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    matches = []
    for shift, project in rows:
        if any(shift.starts_at < end and start < shift.ends_at for start, end in busy):
            continue
        match = Match(shift, project)
        _explain(match, skills, categories, near, areas)
        matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.shift.starts_at, m.shift.id))
    return matches[:limit]


# Notices of a new shift (opt-in) -------------------------------------------------------------

NOTICE_KIND = "shift.match"


def announce(shift: Shift) -> None:
    """Once the shift is committed, tell the volunteers it suits (``notify_matches``)."""
    from workers.matching import notify_shift_matches
    from workers.queue import enqueue_after_commit

    enqueue_after_commit(notify_shift_matches, shift.id)


def _suits(shift: Shift, project: Project, profile, near: Area | None,
           areas: dict[int, Area]) -> list[str] | None:
    """The skills it asks that the volunteer has ([] when it asks none), or None when the
    shift is not one ``agenda.shifts_for`` offers them: a skill they lack, another community."""
    skills = agenda.skills_of(profile.skills)
    asked = [s for s in skills if s in (shift.required_skills or "")]
    if shift.required_skills and not asked:
        return None
    area = areas.get(project.area_id) if project.area_id else None
    if near is not None and area is not None and not (
            area.path.startswith(near.path) or near.path.startswith(area.path)):
        return None
    return asked


def _sent_today(tenant: Tenant, user_ids: list[int], now: datetime) -> dict[int, int]:
    from sqlalchemy import func

    from app.audit.log import day_start
    from app.notifications.models import Notification
    from app.service.hours import local_date

    rows = db.session.execute(
        select(Notification.user_id, func.count(Notification.id))
        .where(Notification.kind == NOTICE_KIND, Notification.user_id.in_(user_ids),
               Notification.created_at >= day_start(local_date(now)))
        .group_by(Notification.user_id)).all()
    return {user_id: int(n) for user_id, n in rows}


def notify_matches(shift: Shift, now: datetime) -> int:
    """Tell each volunteer who asked for it, and whom the open shift suits, once per shift and
    at most ``shift_notices_per_day`` a day. Returns how many were told."""
    from app.notifications.models import Notification
    from app.notifications.services import notify
    from app.projects.models import ProjectStatus
    from app.templating import localtime
    from app.volunteers.models import VolunteerProfile

    project = db.session.get(Project, shift.project_id)
    tenant = db.session.get(Tenant, shift.tenant_id)
    if (project is None or project.status != ProjectStatus.PUBLISHED or shift.is_cancelled
            or shift.starts_at <= now or shift.remaining <= 0):
        return 0
    told = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == NOTICE_KIND, Notification.subject_id == shift.id)))
    profiles = [p for p in db.session.scalars(
        select(VolunteerProfile).join(User, User.id == VolunteerProfile.user_id)
        .where(VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.shift_notices.is_(True),
               User.active.is_(True), User.closed_at.is_(None))) if p.user_id not in told]
    taken = set(db.session.scalars(select(ShiftSignup.user_id).where(
        ShiftSignup.shift_id == shift.id, ShiftSignup.status.in_(agenda.HOLDING))))
    cap = int(tenant.setting("shift_notices_per_day"))
    sent = _sent_today(tenant, [p.user_id for p in profiles], now)
    area_ids = {project.area_id, *(p.area_id for p in profiles)} - {None}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    count = 0
    for profile in profiles:
        if profile.user_id in taken or sent.get(profile.user_id, 0) >= cap:
            continue
        home = areas.get(profile.area_id) if profile.area_id else None
        near = agenda.neighbourhood(home) if home else None
        if near is not None:
            areas.setdefault(near.id, near)
        asked = _suits(shift, project, profile, near, areas)
        if asked is None or any(shift.starts_at < end and start < shift.ends_at
                                for start, end in _clashes(tenant.id, profile.user_id)):
            continue
        notify(db.session.get(User, profile.user_id),
               _l("A shift that suits you: %(project)s", project=project.name),
               _l("%(when)s at %(place)s, %(n)s places left.", n=shift.remaining,
                  when=localtime(shift.starts_at, "%m-%d %H:%M"), place=shift.place),
               link=f"/t/{tenant.slug}/projects/{project.id}", tenant_id=tenant.id,
               kind=NOTICE_KIND, subject_id=shift.id)
        count += 1
    return count
