"""Recurring schedules (重复安排): made from a rule (``app.schedules.rules``), each date a
shift or slot of its own (``app.projects.places``).

Making the dates again adds only the missing ones still to come. A change to one date, to
it and the dates after it, or to every date still to come, and cancelling the schedule,
each tell every person signed up once, however many of their dates it touches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.services import notify
from app.parsing import local_today
from app.projects import places
from app.projects.models import Project, ProjectStatus
from app.projects.places import Place, PlaceData
from app.projects.services import ProjectError
from app.schedules import rules
from app.schedules.models import Series, SeriesKind
from app.templating import SHANGHAI

THIS, FOLLOWING, ALL = "this", "following", "all"
SCOPES = (THIS, FOLLOWING, ALL)


@dataclass(frozen=True)
class Template:
    """What each date of a schedule gets."""

    start_time: time
    duration_minutes: int
    place: str
    capacity: int
    required_skills: str = ""
    insurance_required: bool = False
    target_group: str | None = None

    def on(self, day: date) -> PlaceData:
        starts = datetime.combine(day, self.start_time, SHANGHAI)
        return PlaceData(starts_at=starts, ends_at=starts + timedelta(minutes=self.duration_minutes),
                         place=self.place, capacity=self.capacity,
                         required_skills=self.required_skills,
                         insurance_required=self.insurance_required,
                         target_group=self.target_group)


@dataclass
class Plan:
    """What a rule gives (``rules.Dates``), split into the days still to come (each gets a
    shift or slot) and those already past (none)."""

    found: rules.Dates
    ahead: list[date]
    past: list[date]


def template_of(series: Series) -> Template:
    return Template(series.start_time, series.duration_minutes, series.place, series.capacity,
                    series.required_skills, series.insurance_required, series.target_group)


def _days(rule: rules.Rule) -> rules.Dates:
    try:
        return rules.dates(rule)
    except rules.RuleError as exc:
        raise ProjectError(str(exc)) from None


def plan(project: Project, kind: str, rule: rules.Rule, template: Template,
         now: datetime | None = None) -> Plan:
    """What creating this schedule would make (the preview), or a refusal."""
    if project.status not in (ProjectStatus.DRAFT, ProjectStatus.PUBLISHED):
        raise ProjectError(_l("A closed or cancelled project can no longer be changed."))
    if kind not in set(SeriesKind):
        raise ProjectError(_l("Choose volunteer shifts or service slots."))
    if not 1 <= template.duration_minutes <= 24 * 60:
        raise ProjectError(_l("Each date lasts between 1 minute and 24 hours."))
    if rule.starts_on < local_today():
        raise ProjectError(_l("The first date must not be in the past."))
    found = _days(rule)
    now = now or utcnow()
    ahead = [d for d in found.days if template.on(d).starts_at > now]
    if not ahead:
        raise ProjectError(_l("This rule gives no date still to come."))
    places.validate(project, template.on(ahead[0]), new=True)
    return Plan(found, ahead, [d for d in found.days if d not in set(ahead)])


def create(project: Project, user: User, kind: str, rule: rules.Rule,
           template: Template) -> Series:
    """A schedule and a shift or slot for each of its dates still to come."""
    made = plan(project, kind, rule, template)
    weekly = rule.frequency == rules.Frequency.WEEKLY
    series = Series(
        tenant_id=project.tenant_id, org_id=project.org_id, project_id=project.id, kind=kind,
        frequency=rule.frequency, starts_on=rule.starts_on, interval_n=rule.interval,
        weekdays=sorted(set(rule.weekdays)) if weekly else [],
        nth=rule.nth if not weekly else 1, nth_weekday=rule.nth_weekday if not weekly else 0,
        until=rule.until, count=rule.count, skip_holidays=rule.skip_holidays,
        start_time=template.start_time, duration_minutes=template.duration_minutes,
        place=template.place.strip(), capacity=template.capacity,
        required_skills=(template.required_skills or "").strip()[:200] if kind == "shift" else "",
        insurance_required=kind == "shift" and bool(template.insurance_required),
        target_group=(template.target_group or None) if kind == "slot" else None,
        created_by_id=user.id)
    db.session.add(series)
    db.session.flush()
    _announce(series, _make(series, made.ahead))
    return series


def _make(series: Series, days: list[date]) -> list[Place]:
    template = template_of(series)
    made = [places.new(series.project, series.place_model, template.on(day),
                       series_id=series.id, occurs_on=day) for day in days]
    db.session.flush()
    return made


def _locked(series: Series) -> Series:
    """The schedule's row, locked: changes to one schedule happen one after another."""
    return db.session.scalars(select(Series).where(Series.id == series.id).with_for_update()
                              .execution_options(populate_existing=True)).one()


def _open(series: Series) -> Series:
    series = _locked(series)
    if series.is_cancelled:
        raise ProjectError(_l("This recurring schedule has been cancelled."))
    return series


def generate(series: Series, now: datetime | None = None) -> list[Place]:
    """Make the schedule's missing dates still to come. The dates made already, moved or
    cancelled ones too, stay as they are: running it twice makes nothing the second time."""
    series = _open(series)
    if series.project.status not in (ProjectStatus.DRAFT, ProjectStatus.PUBLISHED):
        raise ProjectError(_l("A closed or cancelled project can no longer be changed."))
    model, template, now = series.place_model, template_of(series), now or utcnow()
    have = set(db.session.scalars(select(model.occurs_on).where(model.series_id == series.id)))
    made = _make(series, [day for day in _days(series.rule).days
                          if day not in have and template.on(day).starts_at > now])
    _announce(series, made)
    return made


def _announce(series: Series, made: list[Place]) -> None:
    """Volunteers who asked are told of the new dates of a published project's shifts."""
    if made and series.kind == SeriesKind.SHIFT and series.project.status == ProjectStatus.PUBLISHED:
        from app.marketplace.match_notices import announce_many

        announce_many(made)


def dates_of(series: Series, ahead_only: bool = True) -> list[Place]:
    """The schedule's shifts or slots (not cancelled), soonest first; by default only those
    still to come."""
    model = series.place_model
    stmt = select(model).where(model.series_id == series.id, model.cancelled_at.is_(None))
    if ahead_only:
        stmt = stmt.where(model.starts_at > utcnow())
    return list(db.session.scalars(stmt.order_by(model.starts_at, model.id)))


def _when(place: Place) -> str:
    return place.starts_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


class _Lines:
    """Lines of a message, each translated when the message is written in its reader's
    language (``notify`` renders it there)."""

    def __init__(self, *lines) -> None:
        self.lines = lines

    def __str__(self) -> str:
        return "\n".join(str(line) for line in self.lines if line)


class _Told:
    """Who is on which of the dates touched, to tell each person once."""

    def __init__(self) -> None:
        self.people: dict[int, tuple[User, list[Place]]] = {}

    def note(self, place: Place) -> None:
        for user in places.people_on(place):
            self.people.setdefault(user.id, (user, []))[1].append(place)

    def tell(self, title, body, reason: str = "") -> None:
        from app.projects.signups import place_link

        for user, touched in self.people.values():
            text = _Lines(body(n=len(touched), when=_when(touched[0])),
                          _l("Reason: %(reason)s", reason=reason) if reason else "")
            notify(user, title, text, link=place_link(touched[0]), tenant_id=touched[0].tenant_id)


def change(place: Place, data: PlaceData, scope: str = THIS) -> list[Place]:
    """Change one date, or it and the dates after it, or every date still to come. For
    several dates the new time of day, length, place and capacity apply to each on its own
    day (moved by as many days as this one was), and future dates the schedule makes get
    them too."""
    if scope not in SCOPES:
        raise ProjectError(_l("Choose which dates to change."))
    if scope == THIS or place.series_id is None:
        return [places.change(place, data)]
    series = _open(db.session.get(Series, place.series_id))
    targets = dates_of(series)
    if scope == FOLLOWING:
        targets = [t for t in targets if t.occurs_on >= place.occurs_on]
    if not targets:
        raise ProjectError(_l("No date of this schedule is still to come."))
    local = data.starts_at.astimezone(SHANGHAI)
    moved_by = local.date() - place.starts_at.astimezone(SHANGHAI).date()
    length, told = data.ends_at - data.starts_at, _Told()
    for target in targets:
        starts = datetime.combine(target.starts_at.astimezone(SHANGHAI).date() + moved_by,
                                  local.time(), SHANGHAI)
        new = replace(data, starts_at=starts, ends_at=starts + length)
        if (new.starts_at, new.ends_at, new.place.strip()) != (
                target.starts_at, target.ends_at, target.place):
            told.note(target)
        try:
            places.change(target, new, tell=False)
        except ProjectError as exc:
            raise ProjectError(f"{_when(target)}: {exc}") from None
    series.start_time, series.duration_minutes = local.time(), int(length.total_seconds() // 60)
    series.place, series.capacity = data.place.strip(), data.capacity
    series.required_skills = (data.required_skills or "").strip()[:200]
    series.insurance_required, series.target_group = data.insurance_required, data.target_group
    db.session.flush()
    project = series.project.name
    told.tell(_l("Changed: %(project)s", project=project),
              lambda n, when: _l("The time or place of %(n)s of your dates has changed (the "
                                 "first: %(when)s). Please check the details.", n=n, when=when))
    return targets


def cancel(series: Series, reason: str) -> Series:
    """Cancel the schedule: every date still to come is cancelled, and everyone signed up
    for any of them is told once, with the reason."""
    series = _open(series)
    reason, told = (reason or "").strip()[:2000], _Told()
    for place in dates_of(series):
        told.note(place)
        places.cancel_place(place, reason, tell=False)
    series.cancelled_at, series.cancel_reason = utcnow(), reason
    db.session.flush()
    told.tell(_l("Cancelled: %(project)s", project=series.project.name),
              lambda n, when: _l("The recurring schedule is cancelled: %(n)s of your dates (the "
                                 "first: %(when)s) will not take place.", n=n, when=when),
              reason)
    return series
