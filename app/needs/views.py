"""Needs pages: post one (for oneself or for a resident), my needs (and the wishes a volunteer
took on), a need with what can be done to it, an organization's queue, the bureau's overview,
and the public wish walls. Starting a call from needs is in ``callviews``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import or_, select

from app import confirm
from app.auth.models import Role
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.needs import arranging, contact, escalation, labels, overview, routing, services
from app.needs.forms import ClaimForm, ConfirmForm, DeclineForm, MeetForm, NeedForm
from app.needs.models import UNMET, Need, NeedStatus
from app.needs.services import NeedError
from app.orgs.models import Organization
from app.permissions import can, require
from app.service.permissions import COORDINATING
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("needs", __name__, template_folder="templates", url_prefix="/t/<tenant>/needs")


def _area_choices() -> list[tuple[int, str]]:
    rows = db.session.scalars(scoped(Area).order_by(Area.path))
    by_id = {}
    choices = []
    for area in rows:
        by_id[area.id] = area
        parent = by_id.get(area.parent_id)
        label = f"{parent.name} · {area.name}" if parent else area.name
        choices.append((area.id, f"{label}（{area.level}）"))
    return choices


def _need_form(tenant) -> NeedForm:
    form = NeedForm()
    form.category.choices = [(c, c) for c in tenant.setting("service_categories")]
    form.target_group.choices = [(g, g) for g in tenant.setting("target_groups")]
    form.area_id.choices = _area_choices()
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    tenant = current_tenant()
    require("need.post", tenant)
    form = _need_form(tenant)
    for_others = can("need.post_for_others", tenant)
    if form.validate_on_submit():
        area = get_or_404(Area, form.area_id.data)
        try:
            need = services.post(
                tenant, current_user, what=form.what.data, category=form.category.data,
                target_group=form.target_group.data, area=area, urgency=form.urgency.data,
                on_wall=form.on_wall.data, wanted_on=form.wanted_on.data,
                for_name=form.for_name.data if for_others else "",
                for_phone=form.for_phone.data if for_others else "")
        except NeedError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Your need is posted. The organizations serving the area have been told."),
                  "success")
            return redirect(url_for("needs.show", need_id=need.id))
    elif form.is_submitted():
        flash_form_errors(form)
    return render_template("needs/new.html", form=form, for_others=for_others,
                           days={u: services.deadline_days(tenant, u) for u in labels.URGENCY})


@bp.route("/mine")
@login_required
def mine():
    tenant = current_tenant()
    require("need.post", tenant)
    needs = db.session.scalars(scoped(Need, or_(Need.resident_id == current_user.id,
                                                Need.posted_by_id == current_user.id))
                               .order_by(Need.id.desc()).limit(200)).all()
    taken = db.session.scalars(scoped(Need, Need.claimed_volunteer_id == current_user.id)
                               .order_by(Need.due_at.desc()).limit(200)).all()
    return render_template("needs/mine.html", needs=needs, taken=taken, now=utcnow(),
                           labels=labels)


def _my_orgs(tenant, need: Need) -> list[Organization]:
    mine = current_user.org_ids(tenant.id, *COORDINATING) & routing.routed_org_ids(need)
    return list(db.session.scalars(scoped(Organization, Organization.id.in_(mine))
                                   .order_by(Organization.name))) if mine else []


def _arranged(need: Need) -> tuple[str, str | None] | None:
    """The service linked to the need, by name (and time, for a shift or a slot), and where
    its organization manages it or, once published, where others see it."""
    from app.projects import signups
    from app.projects.models import Project, ServiceSlot, Shift, SlotBooking

    if need.met_kind in (None, "note") or need.met_object_id is None:
        return None
    when = ""
    if need.met_kind == "project":
        project = db.session.get(Project, need.met_object_id)
    elif need.met_kind in ("shift", "slot"):
        place = db.session.get(Shift if need.met_kind == "shift" else ServiceSlot,
                               need.met_object_id)
        project = place.project if place else None
        when = f" {signups.local_when(place)}" if place else ""
    else:
        booking = db.session.get(SlotBooking, need.met_object_id)
        slot = db.session.get(ServiceSlot, booking.slot_id) if booking else None
        project = slot.project if slot else None
    if project is None or project.tenant_id != need.tenant_id:
        return None
    if can("project.manage", project):
        url = url_for("projects.manage", project_id=project.id)
    elif project.status == "published":  # the resident books a slot set up for them there
        url = url_for("marketplace.project", project_id=project.id)
    else:
        url = None
    return f"{labels.LINK[need.met_kind]}：{project.name}{when}", url


def _link_choices(need: Need) -> list[tuple[str, str]]:
    from app.projects.models import Project, ServiceSlot, Shift, SlotBooking

    choices = [("note", str(labels.LINK["note"]))]
    if need.claimed_org_id is None:
        return choices
    org_id = need.claimed_org_id
    projects = db.session.scalars(scoped(Project, Project.org_id == org_id)
                                  .order_by(Project.id.desc()).limit(30)).all()
    choices += [(f"project:{p.id}", f"{labels.LINK['project']}：{p.name}") for p in projects]
    shifts = db.session.execute(
        scoped(Shift).add_columns(Project.name).join(Project, Project.id == Shift.project_id)
        .where(Shift.org_id == org_id, Shift.starts_at >= utcnow())
        .order_by(Shift.starts_at).limit(30)).all()
    choices += [(f"shift:{s.id}", f"{labels.LINK['shift']}：{name} "
                 f"{s.starts_at:%m-%d}") for s, name in shifts]
    if need.resident_id:
        bookings = db.session.execute(
            select(SlotBooking, Project.name).join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
            .join(Project, Project.id == ServiceSlot.project_id)
            .where(SlotBooking.tenant_id == need.tenant_id, ServiceSlot.org_id == org_id,
                   SlotBooking.user_id == need.resident_id).limit(30)).all()
        choices += [(f"booking:{b.id}", f"{labels.LINK['booking']}：{name}")
                    for b, name in bookings]
    return choices


@bp.route("/<int:need_id>")
@login_required
def show(need_id: int):
    tenant = current_tenant()
    need = get_or_404(Need, need_id)
    require("need.view", need)
    meet_form = MeetForm()
    meet_form.link.choices = _link_choices(need)
    if need.met_kind and need.met_object_id and need.status == "claimed":
        meet_form.link.data = f"{need.met_kind}:{need.met_object_id}"
    return render_template("needs/show.html", need=need, now=utcnow(), labels=labels,
                           orgs=_my_orgs(tenant, need), decline_form=DeclineForm(),
                           meet_form=meet_form, confirm_form=ConfirmForm(),
                           may_confirm=services.may_confirm(need, current_user),
                           arranged=_arranged(need), reached=escalation.reached(need),
                           projects=arranging.projects_for(need) if can("need.handle", need)
                           else [], side=contact.side(need, current_user),
                           contact=contact, step=labels.escalation_step)


def _done(need: Need, message: str):
    commit()
    flash(message, "success")
    return redirect(url_for("needs.show", need_id=need.id))


def _refused(need: Need, exc: NeedError):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(url_for("needs.show", need_id=need.id))


@bp.route("/<int:need_id>/claim", methods=["POST"])
@login_required
def claim(need_id: int):
    tenant = current_tenant()
    need = get_or_404(Need, need_id)
    require("need.claim", need)
    form = ClaimForm()
    if not form.validate_on_submit():
        abort(400)
    org = get_or_404(Organization, form.org_id.data)
    if org.id not in current_user.org_ids(tenant.id, *COORDINATING):
        abort(403)
    if (page := confirm.ask("need.claim", need, url_for("needs.show", need_id=need.id))) is not None:
        return page
    try:
        services.claim(need, org, current_user)
    except NeedError as exc:
        return _refused(need, exc)
    return _done(need, _("%(org)s has taken this need on.", org=org.name))


@bp.route("/<int:need_id>/take", methods=["POST"])
@login_required
def take(need_id: int):
    """A volunteer takes a wish on in person (微心愿), after saying yes."""
    need = get_or_404(Need, need_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not can("need.claim_in_person", need):
        if need.status != NeedStatus.OPEN and can("need.view", need):
            # someone was quicker: say so on the need's page
            return _refused(need, NeedError(_("Someone has already taken this need on."), 409))
        abort(403)
    if (page := confirm.ask("need.claim_in_person", need,
                            url_for("needs.show", need_id=need.id))) is not None:
        return page
    try:
        services.claim_in_person(need, current_user)
    except NeedError as exc:
        return _refused(need, exc)
    return _done(need, _("You have taken this wish on. The resident is told your name."))


@bp.route("/<int:need_id>/decline", methods=["POST"])
@login_required
def decline(need_id: int):
    tenant = current_tenant()
    need = get_or_404(Need, need_id)
    require("need.handle", need)
    form = DeclineForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("needs.show", need_id=need.id))
    if (page := confirm.ask("need.decline", need, url_for("needs.show", need_id=need.id))) is not None:
        return page
    try:
        services.decline(need, current_user, form.reason.data,
                         current_user.org_ids(tenant.id, *COORDINATING))
    except NeedError as exc:
        return _refused(need, exc)
    return _done(need, _("The need is open again for other organizations."))


@bp.route("/<int:need_id>/meet", methods=["POST"])
@login_required
def meet(need_id: int):
    tenant = current_tenant()
    need = get_or_404(Need, need_id)
    require("need.handle", need)
    form = MeetForm()
    form.link.choices = _link_choices(need)
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("needs.show", need_id=need.id))
    kind, _sep, ident = form.link.data.partition(":")
    try:
        services.meet(need, current_user, current_user.org_ids(tenant.id, *COORDINATING), kind,
                      int(ident) if ident else None, form.note.data)
    except NeedError as exc:
        return _refused(need, exc)
    return _done(need, _("Marked as met. The resident is asked to confirm it."))


@bp.route("/<int:need_id>/confirm", methods=["POST"])
@login_required
def confirm_met(need_id: int):
    need = get_or_404(Need, need_id)
    require("need.confirm", need)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("needs.show", need_id=need.id))
    try:
        services.confirm(need, current_user, form.rating.data, form.comment.data)
    except NeedError as exc:
        return _refused(need, exc)
    return _done(need, _("Thank you. Your rating is recorded."))


@bp.route("/queue")
@login_required
def queue():
    """The organization's needs to take on and in hand; for the bureau, every unmet need
    (filtered by area, category and target group from the overview)."""
    tenant = current_tenant()
    require("need.queue.view", tenant)
    oversee = can("need.overview.view", tenant)
    org_ids = current_user.org_ids(tenant.id)
    if oversee:
        stmt = scoped(Need, Need.status.in_([str(s) for s in UNMET]))
        if (area_id := request.args.get("area_id", type=int)) is not None:
            stmt = stmt.where(Need.area_id == area_id)
        if category := request.args.get("category"):
            stmt = stmt.where(Need.category == category)
        if group := request.args.get("group"):
            stmt = stmt.where(Need.target_group == group)
        waiting = db.session.scalars(stmt.order_by(Need.due_at, Need.id).limit(300)).all()
        mine = []
    else:
        waiting = db.session.scalars(routing.open_for(tenant.id, org_ids).limit(300)).all()
        mine = db.session.scalars(routing.claimed_by(tenant.id, org_ids).limit(300)).all()
    return render_template("needs/queue.html", waiting=waiting, mine=mine, now=utcnow(),
                           labels=labels, oversee=oversee)


@bp.route("/overview")
@login_required
def overview_page():
    tenant = current_tenant()
    require("need.overview.view", tenant)
    return render_template("needs/overview.html", groups=overview.unmet(tenant),
                           may_start=can("need.start_call", tenant))


@bp.route("/wall")
def walls():
    tenant = current_tenant()
    return render_template("needs/walls.html", communities=overview.communities(tenant))


@bp.route("/wall/<int:area_id>")
def wall(area_id: int):
    community = get_or_404(Area, area_id)
    volunteer = current_user.is_authenticated and current_user.has_role(
        community.tenant_id, Role.VOLUNTEER)
    return render_template("needs/wall.html", community=community, volunteer=volunteer,
                           wishes=overview.wall(community), labels=labels)


from app.needs import callviews, contactviews  # noqa: E402,F401  (their pages are on this blueprint)
