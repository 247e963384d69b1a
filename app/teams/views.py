"""Team pages, made for a phone: my teams and invitations, founding a team, a team's roster
(invite by mobile number, add a person by name, link, remove), signing the team up for a
shift (choose who comes), cancelling, and the coordinator's page recording each person's
hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import confirm
from app.db import utcnow
from app.db_commit import commit
from app.extensions import db
from app.permissions import can, require
from app.projects.models import Shift
from app.projects.signups import SignupError, cancel_deadline
from app.teams import hours, labels, services, signups
from app.teams.hours import Served
from app.teams.models import MemberStatus, Team, TeamMember, TeamSignup
from app.teams.services import TeamError
from app.templating import SHANGHAI
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("teams", __name__, template_folder="templates", url_prefix="/t/<tenant>/teams")


@bp.context_processor
def _labels() -> dict:
    return {"member_status": labels.MEMBER_STATUS, "team_signup_status": labels.SIGNUP_STATUS}


@bp.app_template_global("teams_led")
def teams_led(tenant_id: int) -> list[Team]:
    """The teams the signed-in person leads (for "sign up my team" on a project's page)."""
    if not getattr(current_user, "is_authenticated", False):
        return []
    return services.led_by(tenant_id, current_user)


@bp.app_template_global("team_signups_on")
def team_signups_on(shift: Shift) -> list[TeamSignup]:
    return signups.on_shift(shift)


def _team(team_id: int, action: str) -> Team:
    team = get_or_404(Team, team_id)
    require(action, team)
    return team


def _member(team: Team, member_id: int) -> TeamMember:
    member = get_or_404(TeamMember, member_id)
    if member.team_id != team.id:
        abort(404)
    return member


def _refused(exc: Exception, back: str):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(back)


@bp.route("/", methods=["GET", "POST"])
@login_required
def home():
    """My teams, invitations waiting for my answer, and founding a team."""
    tenant = current_tenant()
    require("tenant.member", tenant)
    if request.method == "POST":
        require("teams.found", tenant)
        try:
            team = services.create(tenant, current_user, request.form.get("name", ""),
                                   request.form.get("description", ""))
        except TeamError as exc:
            return _refused(exc, url_for("teams.home"))
        commit()
        flash(_("The team %(team)s is founded. Add its members now.", team=team.name), "success")
        return redirect(url_for("teams.team", team_id=team.id))
    return render_template("teams/home.html", rows=services.teams_of(tenant, current_user),
                           may_found=can("teams.found", tenant))


@bp.route("/<int:team_id>")
@login_required
def team(team_id: int):
    team = _team(team_id, "teams.view")
    leads = can("teams.manage", team)
    shown = (MemberStatus.ACTIVE, MemberStatus.INVITED)
    return render_template("teams/team.html", team=team, leads=leads,
                           members=services.members(team, *shown),
                           mine=services.membership_of(team, current_user),
                           team_signups=signups.of_team(team) if leads else [],
                           now=utcnow(), deadline=cancel_deadline)


@bp.route("/<int:team_id>/members", methods=["POST"])
@login_required
def add(team_id: int):
    """Invite a registered volunteer by mobile number, or add a named person."""
    team = _team(team_id, "teams.manage")
    back = url_for("teams.team", team_id=team.id)
    try:
        if request.form.get("kind") == "named":
            row = services.add_named(team, current_user, request.form.get("name", ""),
                                     request.form.get("phone", ""))
            message = _("%(name)s is on the team.", name=row.display_name)
        else:
            row = services.invite(team, current_user, request.form.get("phone", ""))
            message = _("%(name)s is invited and will be on the team once they accept.",
                        name=row.display_name)
    except TeamError as exc:
        return _refused(exc, back)
    commit()
    flash(message, "success")
    return redirect(back)


@bp.route("/<int:team_id>/members/<int:member_id>/link", methods=["POST"])
@login_required
def link(team_id: int, member_id: int):
    team = _team(team_id, "teams.manage")
    back = url_for("teams.team", team_id=team.id)
    try:
        row = services.link(_member(team, member_id), current_user, request.form.get("phone", ""))
    except TeamError as exc:
        return _refused(exc, back)
    commit()
    flash(_("%(name)s is asked to confirm; their recorded hours become theirs once they accept.",
            name=row.display_name), "success")
    return redirect(back)


@bp.route("/<int:team_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def remove(team_id: int, member_id: int):
    team = get_or_404(Team, team_id)
    member = _member(team, member_id)
    if member.user_id != current_user.id:  # leaving oneself needs no leader
        require("teams.manage", team)
    back = url_for("teams.team", team_id=team.id)
    if (page := confirm.ask("teams.remove", member, back)) is not None:
        return page
    try:
        services.remove(member, current_user)
    except TeamError as exc:
        return _refused(exc, back)
    commit()
    flash(_("%(name)s is no longer on the team.", name=member.display_name), "success")
    return redirect(back if can("teams.view", team) else url_for("teams.home"))


@bp.route("/<int:team_id>/members/<int:member_id>/answer", methods=["POST"])
@login_required
def answer(team_id: int, member_id: int):
    """The invited volunteer accepts or declines."""
    team = get_or_404(Team, team_id)
    member = _member(team, member_id)
    if member.user_id != current_user.id:
        abort(403)
    accept = request.form.get("accept") == "yes"
    try:
        services.answer(member, current_user, accept)
    except TeamError as exc:
        return _refused(exc, url_for("teams.home"))
    commit()
    flash(_("Welcome to %(team)s.", team=team.name) if accept
          else _("You declined the invitation."), "success")
    return redirect(url_for("teams.team", team_id=team.id) if accept else url_for("teams.home"))


@bp.route("/<int:team_id>/shifts/<int:shift_id>", methods=["GET", "POST"])
@login_required
def sign_up(team_id: int, shift_id: int):
    """The leader chooses who comes and signs them up together."""
    team = _team(team_id, "teams.sign_up")
    shift = get_or_404(Shift, shift_id)
    roster = services.members(team)
    if request.method == "POST":
        chosen = [int(v) for v in request.form.getlist("member_id") if v.isdigit()]
        try:
            row = signups.sign_up(team, current_user, shift, chosen)
        except SignupError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("The team is signed up: %(n)s places confirmed.", n=len(row.places)), "success")
            return redirect(url_for("teams.team", team_id=team.id))
    return render_template("teams/sign_up.html", team=team, shift=shift, roster=roster,
                           current=signups.current(team, shift))


def _signup(signup_id: int, action: str) -> TeamSignup:
    row = get_or_404(TeamSignup, signup_id)
    require(action, row)
    return row


@bp.route("/signups/<int:signup_id>/cancel", methods=["POST"])
@login_required
def cancel(signup_id: int):
    row = _signup(signup_id, "teams.signup.cancel")
    back = url_for("teams.team", team_id=row.team_id)
    if (page := confirm.ask("teams.cancel", row, back)) is not None:
        return page
    try:
        signups.cancel(row, current_user)
    except SignupError as exc:
        return _refused(exc, back)
    commit()
    flash(_("The team's sign-up is cancelled; its places are free for others."), "success")
    return redirect(back)


def _clock(shift: Shift, value: str | None) -> datetime | None:
    """``HH:MM`` (Shanghai) on the day of the shift it falls in, or None when empty;
    ValueError if unreadable. A shift past midnight (22:00 to 00:30) spans two days: 23:15 is
    on the first, 00:15 on the second; a time outside the shift takes the nearer day."""
    value = (value or "").strip()
    if not value:
        return None
    moment = datetime.strptime(value, "%H:%M").time()
    start, end = shift.starts_at.astimezone(SHANGHAI), shift.ends_at.astimezone(SHANGHAI)
    readings = [datetime.combine(day, moment, SHANGHAI) for day in sorted({start.date(), end.date()})]
    return min(readings, key=lambda at: max(start - at, at - end, timedelta(0)))


@bp.route("/signups/<int:signup_id>/hours", methods=["GET", "POST"])
@login_required
def record_hours(signup_id: int):
    """A team's people on a shift with their hours; the coordinator records them."""
    row = _signup(signup_id, "teams.signup.view")
    may_record = can("teams.hours.record", row)
    now = utcnow()
    if request.method == "POST":
        require("teams.hours.record", row)
        back = url_for("teams.record_hours", signup_id=row.id)
        entries = []
        try:
            for place in signups.holding(row):
                if place.recorded_at is not None or f"came-{place.id}" not in request.form:
                    continue
                came = request.form.get(f"came-{place.id}")
                entries.append(Served(place.id, _clock(row.shift, request.form.get(f"in-{place.id}")),
                                      _clock(row.shift, request.form.get(f"out-{place.id}")),
                                      served=came != "no"))
        except ValueError:
            return _refused(TeamError(_("Please give times as hours and minutes, such as 09:30.")),
                            back)
        if not entries:
            return _refused(TeamError(_("Choose, for at least one person, whether they came.")),
                            back)
        try:
            done = hours.record(row, current_user, entries, now)
        except TeamError as exc:
            return _refused(exc, back)
        commit()
        given = sum(1 for place in done if place.minutes)
        if len(done) > given:
            said = _("Hours recorded for %(given)s of %(n)s; %(absent)s marked as not serving.",
                     given=given, n=len(done), absent=len(done) - given)
        else:
            said = ngettext("Hours recorded for %(num)s person.",
                            "Hours recorded for %(num)s people.", given)
        flash(said, "success")
        return redirect(back)
    return render_template("teams/hours.html", row=row, shift=row.shift,
                           places=signups.holding(row), may_record=may_record,
                           open_now=hours.open_for_recording(row, now))
