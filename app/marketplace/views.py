"""Public pages: search and browse projects, a page per project; and for signed-in people:
sign up, withdraw, calendar files, my shifts and my sign-ups."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import confirm, intents
from app.db import utcnow
from app.db_commit import commit
from app.extensions import db, select_locale
from app.intents import safe_next
from app.marketplace import cache, calendar, cards, services
from app.marketplace.choices import filter_choices, selected
from app.orgs import uploads
from app.parsing import query_dates
from app.permissions import can, require
from app.projects import covers, signups
from app.projects.models import Project, ServiceSlot, Shift, ShiftSignup, SignupStatus, SlotBooking
from app.projects.signups import SignupError
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("marketplace", __name__, template_folder="templates", url_prefix="/t/<tenant>")
bp.add_app_template_filter(selected, "selected")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def filters(args) -> tuple[services.Filters, list[str]]:
    """Filters from the query string: a malformed number is ignored; a refused date is not
    applied, and its message is returned for the page."""
    days, refused = query_dates(args, "from", "to")
    return services.Filters(
        q=(args.get("q") or "").strip()[:100], category=(args.get("category") or "")[:40],
        area_id=_int(args.get("area")), group=(args.get("group") or "")[:40],
        org_id=_int(args.get("org")), date_from=days["from"], date_to=days["to"],
        page=_int(args.get("page")) or 1), refused


@bp.route("/projects")
def search():
    tenant = current_tenant()
    # Anonymous visitors without pending messages all see the same page for the same URL.
    page_key = None
    if not current_user.is_authenticated and "_flashes" not in session and cache.seconds() > 0:
        # The language as the locale selector picks it.
        page_key = ("page", tenant.id, select_locale(), request.query_string)
        page = cache.store().get(page_key)
        if page is not cache.MISSING:
            return page
    f, refused = filters(request.args)
    results = cache.cached(("results", tenant.id, f), lambda: services.search(tenant, f))
    choices = filter_choices(tenant)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    page = render_template("marketplace/search.html", f=f, results=results, args=args,
                           cards=cards.render(results.cards), choices=choices, refused=refused)
    if refused:
        return page, 400
    if page_key is not None:
        cache.store().put(page_key, page, cache.seconds())
    return page


@bp.route("/projects/<int:project_id>")
def project(project_id: int):
    item = get_or_404(Project, project_id)
    if not can("project.view", item):
        abort(404)
    mine = signups.held_in(item, current_user) if current_user.is_authenticated else {}
    return render_template("marketplace/project.html", project=item, mine=mine,
                           position=signups.waitlist_position, deadline=signups.cancel_deadline,
                           now=utcnow())


@bp.route("/projects/<int:project_id>/cover")
def cover(project_id: int):
    """A project's cover photo, to whoever may see the project. The address carries the
    photo's version, so a published project's photo may be kept by browsers and caches."""
    item = get_or_404(Project, project_id)
    if not can("project.view", item) or not item.cover_key:
        abort(404)
    response = uploads.send(item.cover_key, item.cover_mime, f"cover-{item.id}.jpg",
                            uploads.folder_of(item.tenant_id, covers.folder(item)))
    if item.is_published and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=604800, immutable"
    return response


def _back(place):
    return redirect(url_for("marketplace.project", project_id=place.project_id))


def _joined(row) -> None:
    if row.status == SignupStatus.CONFIRMED:
        flash(_("You are signed up: your place is confirmed.") if isinstance(row, ShiftSignup)
              else _("Your booking is made: your place is confirmed."), "success")
    else:
        flash(_("It is full: you are number %(n)s on the waitlist. We will tell you if a place "
                "becomes free.", n=row.queue_position), "info")


def _offer(kind: str, place):
    """A sign-up address opened as a page (an old link, a bookmark): the project page,
    offering that sign-up."""
    return redirect(intents.with_intent(
        url_for("marketplace.project", project_id=place.project_id), f"{kind}-{place.id}"))


@bp.route("/shifts/<int:shift_id>/signup", methods=["GET", "POST"])
@login_required
def sign_up(shift_id: int):
    shift = services.place_or_404(Shift, shift_id)
    if request.method == "GET":
        return _offer("shift", shift)
    require("place.signup", shift)
    try:
        row = signups.sign_up(current_user, shift)
    except SignupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        _joined(row)
    return _back(shift)


@bp.route("/slots/<int:slot_id>/book", methods=["GET", "POST"])
@login_required
def book(slot_id: int):
    slot = services.place_or_404(ServiceSlot, slot_id)
    if request.method == "GET":
        return _offer("slot", slot)
    require("place.signup", slot)
    try:
        row = signups.book(current_user, slot, request.form.get("declared_group") or None)
    except SignupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        _joined(row)
    return _back(slot)


def _own(model, fk, place_id: int):
    row = db.session.scalar(select(model).where(fk == place_id, model.user_id == current_user.id,
                                                model.tenant_id == current_tenant().id))
    if row is None:
        abort(404)
    require("signup.withdraw", row)
    return row


def _withdraw(row, place):
    back = safe_next(request.form.get("next"),
                     url_for("marketplace.project", project_id=place.project_id))
    asked = "signup.withdraw" if isinstance(place, Shift) else "booking.cancel"
    if (page := confirm.ask(asked, place, back)) is not None:
        return page
    try:
        signups.withdraw(row)
    except SignupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Your sign-up is cancelled.") if isinstance(place, Shift)
              else _("Your booking is cancelled."), "success")
    return redirect(back)


@bp.route("/shifts/<int:shift_id>/withdraw", methods=["POST"])
@login_required
def withdraw_shift(shift_id: int):
    shift = services.place_or_404(Shift, shift_id)
    return _withdraw(_own(ShiftSignup, ShiftSignup.shift_id, shift.id), shift)


@bp.route("/slots/<int:slot_id>/withdraw", methods=["POST"])
@login_required
def withdraw_slot(slot_id: int):
    slot = services.place_or_404(ServiceSlot, slot_id)
    return _withdraw(_own(SlotBooking, SlotBooking.slot_id, slot.id), slot)


def _ics(row, place) -> Response:
    if row.status != SignupStatus.CONFIRMED:
        abort(404)
    project = place.project
    body = calendar.event(
        uid=f"{type(row).__name__.lower()}-{row.id}@{request.host}",
        starts_at=place.starts_at, ends_at=place.ends_at, summary=project.name,
        location=place.place, description=f"{project.org.name}\n{project.theme}".strip(),
        url=url_for("marketplace.project", project_id=project.id, _external=True))
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f"attachment; filename={type(place).__name__.lower()}-{place.id}.ics"
    return response


@bp.route("/shifts/<int:shift_id>/calendar.ics")
@login_required
def shift_ics(shift_id: int):
    shift = services.place_or_404(Shift, shift_id)
    return _ics(_own(ShiftSignup, ShiftSignup.shift_id, shift.id), shift)


@bp.route("/slots/<int:slot_id>/calendar.ics")
@login_required
def slot_ics(slot_id: int):
    slot = services.place_or_404(ServiceSlot, slot_id)
    return _ics(_own(SlotBooking, SlotBooking.slot_id, slot.id), slot)


@bp.route("/my/shifts")
@login_required
def my_shifts():
    rows = signups.mine(current_user, current_tenant(), ShiftSignup)
    return render_template("marketplace/mine.html", rows=rows, kind="shift",
                           position=signups.waitlist_position, deadline=signups.cancel_deadline,
                           now=utcnow())


@bp.route("/my/shifts/for-me")
@login_required
def shifts_for_me():
    """Open shifts that suit the volunteer, best match first, with the reasons."""
    from app.marketplace.matching import for_volunteer
    from app.volunteers import availability
    from app.volunteers.forms import NoticeForm
    from app.volunteers.services import profile_for

    tenant = current_tenant()
    record = profile_for(current_user, tenant)
    notices = NoticeForm(prefix="notices", data={"on": bool(record and record.shift_notices)})
    free = availability.words_of(record.free_times) if record else []
    return render_template("marketplace/for_me.html", now=utcnow(), free=free,
                           cell_of=availability.cell_name,
                           matches=for_volunteer(tenant, current_user, utcnow()), record=record,
                           notices=notices, per_day=tenant.setting("shift_notices_per_day"),
                           next=request.path)


@bp.route("/my/signups")
@login_required
def my_bookings():
    from app.attendance import services as attendance

    rows = signups.mine(current_user, current_tenant(), SlotBooking)
    return render_template("marketplace/mine.html", rows=rows, kind="slot",
                           position=signups.waitlist_position, deadline=signups.cancel_deadline,
                           now=utcnow(), attended=attendance.of_bookings([r.id for r in rows]),
                           may_confirm=attendance.may_confirm)
