"""The resident's and the volunteer's sections: bookings, services near home to book and to
rate; the next shift with its check-in, hours and stars, shifts that suit them."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.marketplace import agenda
from app.navigation import path_for
from app.projects.models import SignupStatus
from app.service import feedback, hours, standing
from app.service.services import CHECKIN_OPENS_BEFORE
from app.templating import SHANGHAI, category_icon
from app.tenancy.models import Area, Tenant
from app.volunteers.models import VolunteerProfile
from app.workbench.services import SHOWN, Item, Section, Urgency, day, when


def _same_day(moment: datetime, now: datetime) -> bool:
    return moment.astimezone(SHANGHAI).date() == now.astimezone(SHANGHAI).date()


def _places(left: int) -> str:
    return _("%(n)s places left", n=left)


def resident(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    hat, slug = _("Resident"), tenant.slug
    count, rows = agenda.next_bookings(tenant.id, user.id, now, SHOWN)
    bookings = Section(
        "resident.bookings", _("My next bookings"), hat, Urgency.PLANNED, count,
        [Item(project.name, path_for("marketplace.project", tenant=slug, project_id=project.id),
              when=when(slot.starts_at, now), note=slot.place
              if booking.status == SignupStatus.CONFIRMED else _("On the waitlist"),
              urgent=_same_day(slot.starts_at, now), icon=category_icon(project.category))
         for booking, slot, project in rows],
        more=path_for("marketplace.my_bookings", tenant=slug), more_label=_("All my bookings"),
        empty=_("No bookings yet. Book a service below, or find one that suits you."))
    count, rows = feedback.unrated(tenant.id, user.id, now, SHOWN)
    to_rate = Section(
        "resident.rate", _("Services to rate"), hat, Urgency.WAITING, count,
        [Item(project.name, path_for("service.received", tenant=slug), when=day(slot.starts_at),
              action=_("Rate it"), icon=category_icon(project.category))
         for _booking, slot, project in rows],
        more=path_for("service.received", tenant=slug), more_label=_("Services I received"))
    area = agenda.home_area(tenant.id, user.id)
    home = agenda.neighbourhood(area) if area is not None else None
    count, rows = agenda.slots_near(tenant.id, user.id, home, now, SHOWN)
    nearby = Section(
        "resident.nearby",
        _("Services near %(area)s to book", area=home.name) if home else _("Services to book"),
        hat, Urgency.SUGGESTED, count,
        [Item(project.name, path_for("marketplace.project", tenant=slug, project_id=project.id),
              when=when(slot.starts_at, now), note=f"{slot.place} · {_places(slot.remaining)}",
              icon=category_icon(project.category)) for slot, project in rows],
        more=path_for("marketplace.search", tenant=slug, **({"area": home.id} if home else {})),
        more_label=_("Find more services"),
        empty=_("Nothing to book in the next 30 days. Have a look again soon."))
    return [bookings, to_rate, nearby]


def volunteer(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    hat, slug = _("Volunteer"), tenant.slug
    count, rows = agenda.next_shifts(tenant.id, user.id, now, SHOWN)
    items = []
    for signup, shift, project in rows:
        item = Item(project.name, path_for("marketplace.project", tenant=slug,
                                           project_id=project.id),
                    when=when(shift.starts_at, now), note=shift.place,
                    icon=category_icon(project.category))
        if signup.status != SignupStatus.CONFIRMED:
            item.note = _("On the waitlist")
        elif shift.starts_at - CHECKIN_OPENS_BEFORE <= now:  # check-in is open
            item.href = path_for("service.check", tenant=slug, shift_id=shift.id)
            item.action, item.urgent = _("Check in"), True
        items.append(item)
    today = bool(rows) and _same_day(rows[0][1].starts_at, now)
    shifts = Section(
        "volunteer.shifts", _("My next volunteer shifts"), hat,
        Urgency.DEADLINE if today else Urgency.PLANNED, count, items,
        more=path_for("marketplace.my_shifts", tenant=slug), more_label=_("All my shifts"),
        empty=_("No shift ahead. Choose one below."))
    return [shifts, _progress(user, tenant), _open_shifts(user, tenant, now)]


def _progress(user: User, tenant: Tenant) -> Section:
    """Verified hours, stars and the way to the next star."""
    from app.service.incentives import balance

    minutes = standing.verified_minutes(tenant.id, user.id)
    thresholds = list(tenant.setting("star_thresholds"))
    stars = hours.star_level(minutes, thresholds)
    to_next = hours.minutes_to_next_star(minutes, thresholds)
    section = Section(
        "volunteer.progress", _("My hours and stars"), _("Volunteer"), Urgency.SUGGESTED,
        figures=[(_("Verified hours"), hours.format_minutes(minutes)),
                 (_("Stars"), "★" * stars + "☆" * (len(thresholds) - stars) or "—"),
                 (_("Points"), str(balance(tenant.id, user.id)))],
        more=path_for("service.dashboard", tenant=tenant.slug),
        more_label=_("My records and proofs of service"))
    if to_next is not None:
        goal = thresholds[stars] * 60
        section.progress = (minutes, goal, _("%(hours)s hours to the next star",
                                             hours=hours.format_minutes(to_next)))
    return section


def _open_shifts(user: User, tenant: Tenant, now: datetime) -> Section:
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.user_id == user.id))
    area = (db.session.get(Area, profile.area_id)
            if profile is not None and profile.area_id else None)
    skills = agenda.skills_of(profile.skills if profile is not None else "")
    home = agenda.neighbourhood(area) if area is not None else None
    count, rows = agenda.shifts_for(tenant.id, user.id, home, skills, now, SHOWN)
    return Section(
        "volunteer.open", _("Shifts that suit you"), _("Volunteer"), Urgency.SUGGESTED, count,
        [Item(project.name, path_for("marketplace.project", tenant=tenant.slug,
                                     project_id=project.id),
              when=when(shift.starts_at, now),
              note=f"{shift.place} · {_places(shift.remaining)}",
              icon=category_icon(project.category)) for shift, project in rows],
        more=path_for("marketplace.search", tenant=tenant.slug), more_label=_("Find more shifts"),
        empty=_("No open shift in the next 30 days matches your skills and area."))
