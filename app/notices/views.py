"""Community notice pages: write one (with its reach, confirmed before sending), the notices
sent (who is in charge of which area is said on the bureau's areas page, ``app.tenancy``); a
person's notification settings, stopping community notices from the inbox or by the link in
a text message, and staff recording a resident's choice for them (代办)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from app import confirm
from app.auth.models import User
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.notices import audience, services
from app.notices import tokens as stop_tokens
from app.notices.forms import ChoiceForm, NoticeForm, SettingsForm
from app.notices.models import ChoiceHow, CommunityNotice
from app.notices.services import NoticeError
from app.permissions import require
from app.residents.models import ResidentProfile
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("notices", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/notices")


@dataclass(frozen=True)
class Draft:
    """A notice not yet sent, with how many it would reach (for the confirmation)."""

    area: Area
    group: str
    title: str
    reach: audience.Reach


def _labelled(areas: list[Area]) -> list[tuple[int, str]]:
    """Choices naming each area with the one it lies in ("东湖街道 · 幸福社区（社区）")."""
    parents = {a.parent_id for a in areas} - {a.id for a in areas} - {None}
    by_id = {a.id: a for a in areas} | ({a.id: a for a in db.session.scalars(
        select(Area).where(Area.id.in_(parents)))} if parents else {})
    return [(a.id, (f"{by_id[a.parent_id].name} · " if a.parent_id in by_id else "")
             + f"{a.name}（{a.level}）") for a in areas]


@bp.route("", methods=["GET"])
@login_required
def sent():
    tenant = current_tenant()
    require("notice.write", tenant)
    return render_template("notices/sent.html",
                           notices=services.sent_notices(tenant, current_user),
                           areas=services.staff_areas(current_user, tenant.id),
                           per_day=tenant.setting("community_notices_per_area_per_day"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    tenant = current_tenant()
    require("notice.write", tenant)
    form = NoticeForm()
    form.area_id.choices = _labelled(services.targetable(current_user, tenant))
    form.target_group.choices = [("", _("Everyone"))] + [
        (g, g) for g in tenant.setting("target_groups")]
    if form.is_submitted() and isinstance(form.area_id.data, int):
        # Another district's area is not found; one of this district beyond the writer's
        # areas is refused, whatever else the form says.
        require("notice.target", get_or_404(Area, form.area_id.data))
    if form.validate_on_submit():
        area = get_or_404(Area, form.area_id.data)
        group = form.target_group.data or ""
        try:
            title, _body = services.check(tenant, current_user, area=area, group=group,
                                          title=form.title.data, body=form.body.data)
            reach = audience.count(tenant.id, area, group)
            if not reach.reached:
                raise NoticeError(_("Nobody on the roll there would receive it: choose "
                                    "another area or group."), field="target_group")
        except NoticeError as exc:
            if exc.status in (403, 404):
                abort(exc.status)
            if exc.field and exc.field in form:
                form[exc.field].errors = [str(exc)]
            flash(str(exc), "error")
        else:
            back = url_for("notices.new")
            if (page := confirm.ask("notice.send", Draft(area, group, title, reach),
                                    back)) is not None:
                return page
            try:
                notice = services.compose(tenant, current_user, area=area, group=group,
                                          title=form.title.data, body=form.body.data)
            except NoticeError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                flash(_("The notice is being sent."), "success")
                return redirect(url_for("notices.show", notice_id=notice.id))
    elif form.is_submitted():
        flash_form_errors(form)
    return render_template("notices/new.html", form=form,
                           per_day=tenant.setting("community_notices_per_area_per_day"))


@bp.route("/<int:notice_id>")
@login_required
def show(notice_id: int):
    notice = get_or_404(CommunityNotice, notice_id)
    require("notice.view", notice)
    return render_template("notices/show.html", notice=notice)


# A person's own choices ----------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    tenant = current_tenant()
    require("tenant.member", tenant)
    form = SettingsForm()
    if not form.is_submitted():
        form.sms.data = current_user.sms
        form.community.data = services.receives(tenant.id, current_user.id)
    if form.validate_on_submit():
        try:
            services.want_sms(current_user, form.sms.data and bool(current_user.phone))
            if form.community.data != services.receives(tenant.id, current_user.id):
                services.choose(tenant.id, current_user, form.community.data, ChoiceHow.SELF)
        except NoticeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Saved."), "success")
            return redirect(url_for("notices.settings"))
    return render_template("notices/settings.html", form=form)


@bp.route("/stop", methods=["POST"])
@login_required
def stop_mine():
    """One tap from a notice in the inbox."""
    tenant = current_tenant()
    require("tenant.member", tenant)
    if not FlaskForm().validate_on_submit():
        abort(400)
    services.choose(tenant.id, current_user, False, ChoiceHow.SELF)
    commit()
    flash(_("You will get no more community notices. You can turn them back on in "
            "Notification settings."), "success")
    return redirect(url_for("notifications.tenant_inbox"))


@bp.route("/stop/<stop_token>", methods=["GET", "POST"])
def stop(stop_token: str):
    """The link in a text message or email: no sign-in, the person named by the signed token."""
    tenant = current_tenant()
    user_id = stop_tokens.read(tenant.id, stop_token)
    user = db.session.get(User, user_id) if user_id else None
    if user is None or not user.roles_in(tenant.id):
        abort(404)
    form = FlaskForm()
    done = not services.receives(tenant.id, user.id)
    if not done and form.validate_on_submit():
        services.choose(tenant.id, user, False, ChoiceHow.LINK)
        commit()
        done = True
    return render_template("notices/stop.html", form=form, done=done, tenant=tenant)


@bp.app_template_global("community_notices_stopped")
def community_notices_stopped() -> bool:
    """The signed-in person stopped community notices in this district (the inbox then offers
    no stop button)."""
    tenant = current_tenant()
    return current_user.is_authenticated and not services.receives(tenant.id, current_user.id)


@bp.app_template_global("notice_choice_of")
def notice_choice_of(profile: ResidentProfile):
    """A resident's choice about community notices, for their page (代办)."""
    return services.choice_row(profile.tenant_id, profile.user_id)


@bp.app_template_global("notice_choice_form")
def notice_choice_form(choice) -> ChoiceForm:
    form = ChoiceForm()
    if not form.is_submitted():
        form.receive.data = "no" if choice is not None and not choice.receives else "yes"
    return form


@bp.route("/residents/<int:profile_id>", methods=["POST"])
@login_required
def record_for(profile_id: int):
    """Staff record a resident's choice for them (代办), with how they gave it."""
    profile = get_or_404(ResidentProfile, profile_id)
    require("resident.act_for", profile)
    form = ChoiceForm()
    back = url_for("residents.show", profile_id=profile.id)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    try:
        services.choose(profile.tenant_id, profile.user, form.receive.data == "yes",
                        ChoiceHow.STAFF, staff=current_user, consent_how=form.consent_how.data,
                        consent_given_by=form.consent_given_by.data or "")
    except NoticeError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Recorded: %(name)s receives community notices.", name=profile.user.name)
              if form.receive.data == "yes" else
              _("Recorded: %(name)s gets no community notices.", name=profile.user.name),
              "success")
    return redirect(back)
