"""Recurring schedules on a project's pages: staff make one (with a preview of its dates
first), add its missing dates, cancel it; a volunteer signs up for every date at once.
Changing dates of a schedule is on the shift and slot forms (``app.projects.views``)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from app import confirm, intents
from app.db_commit import commit
from app.extensions import db
from app.permissions import can, require
from app.projects.forms import CancelForm
from app.projects.models import Project
from app.projects.services import ProjectError
from app.projects.signups import SignupError
from app.schedules import rules, services
from app.schedules.forms import SeriesForm
from app.schedules.models import Series, SeriesKind
from app.schedules.signups import sign_up_all
from app.templating import colon, localtime
from app.tenancy.scoping import get_or_404

bp = Blueprint("schedules", __name__, template_folder="templates", url_prefix="/t/<tenant>")


@bp.app_template_global("project_series")
def project_series(project: Project, kind: str | None = None,
                   cancelled: bool = False) -> list[tuple[Series, int]]:
    """A project's schedules (cancelled ones too if asked), each with its number of dates
    still to come."""
    stmt = select(Series).where(Series.project_id == project.id,
                                Series.tenant_id == project.tenant_id)
    if kind is not None:
        stmt = stmt.where(Series.kind == kind)
    if not cancelled:
        stmt = stmt.where(Series.cancelled_at.is_(None))
    return [(s, len(services.dates_of(s))) for s in db.session.scalars(stmt.order_by(Series.id))]


@bp.app_template_global("describe_rule")
def describe_rule(series: Series) -> str:
    end = localtime(services.template_of(series).on(series.starts_on).ends_at, "%H:%M")
    return f"{rules.describe(series.rule)} · {series.start_time:%H:%M}–{end} · {series.place}"


@bp.route("/projects/<int:project_id>/series/new", methods=["GET", "POST"])
@login_required
def new_series(project_id: int):
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    form = SeriesForm()
    form.target_group.choices = [("", _("Anyone"))] + [(g, g) for g in project.target_groups]
    if request.method == "GET" and request.args.get("kind") in set(SeriesKind):
        form.kind.data = request.args["kind"]
    preview = None
    if form.validate_on_submit():
        creating = confirm.given() and form.previewed.data == form.fingerprint()
        try:
            if creating:
                series = services.create(project, current_user, form.kind.data, form.rule(),
                                         form.template())
            else:
                preview = services.plan(project, form.kind.data, form.rule(), form.template())
        except ProjectError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if creating:
                made = len(services.dates_of(series))
                commit()
                flash(ngettext("The recurring schedule is made: %(num)s date.",
                               "The recurring schedule is made: %(num)s dates.", made), "success")
                return redirect(url_for("projects.manage", project_id=project.id))
            form.previewed.data = form.fingerprint()
    return render_template("schedules/form.html", form=form, project=project, preview=preview,
                           weekday_names=rules.WEEKDAY_NAMES)


def _series(series_id: int, action: str) -> Series:
    series = get_or_404(Series, series_id)
    require(action, series)
    return series


def _back(series: Series):
    return redirect(url_for("projects.manage", project_id=series.project_id))


@bp.route("/series/<int:series_id>/generate", methods=["POST"])
@login_required
def generate(series_id: int):
    series = _series(series_id, "project.manage")
    try:
        made = services.generate(series)
    except ProjectError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return _back(series)
    commit()
    flash(ngettext("%(num)s missing date was added.", "%(num)s missing dates were added.",
                   len(made)) if made else _("No date was missing."), "success")
    return _back(series)


@bp.route("/series/<int:series_id>/cancel", methods=["POST"])
@login_required
def cancel(series_id: int):
    series = _series(series_id, "project.manage")
    back = url_for("projects.manage", project_id=series.project_id)
    if (page := confirm.ask("series.cancel", series, back)) is not None:
        return page
    try:
        services.cancel(series, CancelForm().reason.data or "")
    except ProjectError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    commit()
    flash(_("The recurring schedule is cancelled; everyone signed up has been told."), "success")
    return redirect(back)


def _joined_message(joined) -> str:
    parts = []
    if joined.confirmed:
        parts.append(ngettext("You are signed up for %(num)s date.",
                              "You are signed up for %(num)s dates.", len(joined.confirmed)))
    for shift, position in joined.waitlisted:
        parts.append(_("%(when)s is full: you are number %(n)s on its waitlist.",
                       when=localtime(shift.starts_at, "%m-%d %H:%M"), n=position))
    if joined.already:
        parts.append(ngettext("You were already signed up for %(num)s date.",
                              "You were already signed up for %(num)s dates.", len(joined.already)))
    for shift, why in joined.refused:
        parts.append(f"{localtime(shift.starts_at, '%m-%d %H:%M')}{colon()}{why}")
    return " ".join(parts)


@bp.route("/series/<int:series_id>/signup", methods=["GET", "POST"])
@login_required
def sign_up(series_id: int):
    """Sign up for every date of a schedule of shifts (opened as a page: the project's)."""
    series = get_or_404(Series, series_id)
    if not can("project.view", series.project):
        abort(404)
    page = url_for("marketplace.project", project_id=series.project_id)
    if request.method == "GET":
        return redirect(intents.with_intent(page, f"series-{series.id}"))
    require("place.signup", series)
    try:
        joined = sign_up_all(current_user, series)
    except SignupError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_joined_message(joined), "info" if joined.waitlisted or joined.refused
              else "success")
    return redirect(page)
