"""Shifts for me (适合我的岗位): the open shifts a volunteer may take, best match first, each
with the reasons it suits them in plain words.

The shifts offered are the ones the workbench offers (``agenda.shifts_for``: places left in the
next 30 days, no skill asked or one of theirs, a project serving their neighbourhood, not
already theirs); here they are also kept clear of the volunteer's own shifts (a sign-up would
be refused) and ordered by how well they match: a skill asked that they have, the kind of
service they chose, a project placed in their own community, a time they marked as free
(``app.volunteers.availability``; nothing marked reads as free whenever, and adds nothing).

The notices of new shifts that suit them are in ``app.marketplace.match_notices``.
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
SKILL, FREE, CATEGORY, COMMUNITY, STREET = 3, 3, 2, 2, 1


@dataclass
class Match:
    shift: Shift
    project: Project
    score: int = 0
    reasons: list = field(default_factory=list)


def clashes(tenant_id: int, user_id: int) -> list[tuple[datetime, datetime]]:
    return list(db.session.execute(
        select(Shift.starts_at, Shift.ends_at).join(ShiftSignup, ShiftSignup.shift_id == Shift.id)
        .where(ShiftSignup.tenant_id == tenant_id, ShiftSignup.user_id == user_id,
               ShiftSignup.status.in_(agenda.HOLDING), Shift.cancelled_at.is_(None))).all())


def _explain(match: Match, skills: list[str], categories: list[str], near: Area | None,
             areas: dict[int, Area], free_times: int) -> None:
    from app.volunteers.availability import is_free, when_words

    shift, project = match.shift, match.project
    if free_times and is_free(free_times, shift.starts_at):
        match.score += FREE
        match.reasons.append(_l("You are usually free on %(when)s.",
                                when=when_words(shift.starts_at)))
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
    busy = clashes(tenant.id, user.id)
    area_ids = {p.area_id for _, p in rows if p.area_id}
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(area_ids)))}
    matches = []
    for shift, project in rows:
        if any(shift.starts_at < end and start < shift.ends_at for start, end in busy):
            continue
        match = Match(shift, project)
        _explain(match, skills, categories, near, areas, profile.free_times if profile else 0)
        matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.shift.starts_at, m.shift.id))
    return matches[:limit]
