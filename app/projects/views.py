"""Organization staff manage projects: drafts, publishing, shifts and slots, rosters,
closing reports and cancellation. The public side is in ``app.marketplace``."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.db_commit import commit
from app.extensions import db
from app.money import to_yuan
from app.orgs import uploads
from app.orgs.models import Organization
from app.orgs.uploads import UploadError
from app.permissions import require
from app.projects import covers, fromneed, places, services, signups
from app.projects.forms import CancelForm, CloseForm, ProjectForm
from app.projects.models import Project, ProjectEvidence, ServiceSlot, Shift
from app.projects.services import ProjectError
from app.schedules import services as schedules
from app.tenancy.scoping import current_tenant, get_or_404
from app.tenancy.services import area_choices

bp = Blueprint("projects", __name__, template_folder="templates", url_prefix="/t/<tenant>")


def _prepare(form: ProjectForm, tenant, project: Project | None = None) -> None:
    if project is None or not project.cover_key:
        del form.remove_cover
    form.category.choices = [(c, c) for c in tenant.setting("service_categories")]
    form.area_id.choices = [(0, "—")] + area_choices(tenant)
    form.target_groups.choices = [(g, g) for g in tenant.setting("target_groups")]


def _data(form: ProjectForm) -> services.ProjectData | None:
    lines = form.budget_lines()
    if form.budget.errors:
        return None
    fields = ("name", "category", "theme", "highlights", "content", "schedule",
              "expected_outcomes", "team_roles", "safety_plan")
    return services.ProjectData(
        **{f: getattr(form, f).data or "" for f in fields}, budget_lines=lines,
        target_groups=form.target_groups.data or [], area_id=form.area_id.data or None,
        cancel_deadline_hours=form.cancel_deadline_hours.data)


def _cover(form: ProjectForm, project: Project) -> None:
    """The cover photo the form brought, or its removal."""
    photo = form.cover.data
    if getattr(photo, "filename", ""):
        covers.set_cover(project, uploads.check(photo.stream, photo.filename, uploads.IMAGES))
    elif "remove_cover" in form and form.remove_cover.data:
        covers.remove_cover(project)


def _budget_text(project: Project) -> str:
    return "\n".join(f"{b['line']} {to_yuan(b['amount_fen'])}" for b in project.budget_lines)


def _done(message: str, project: Project):
    commit()
    flash(message, "success")
    return redirect(url_for("projects.manage", project_id=project.id))


@bp.route("/orgs/<int:org_id>/projects")
@login_required
def org_projects(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.view_internal", org)
    return render_template("projects/org_projects.html", org=org,
                           projects=services.org_projects(org))


@bp.route("/orgs/<int:org_id>/projects/new", methods=["GET", "POST"])
@login_required
def new_project(org_id: int):
    tenant = current_tenant()
    org = get_or_404(Organization, org_id)
    require("project.create", org)
    form = ProjectForm()
    _prepare(form, tenant)
    need = fromneed.need_for(org.id)
    if need is not None and request.method == "GET":
        _from_need(form, need)
    if form.validate_on_submit() and (data := _data(form)) is not None:
        try:
            project = services.create(org, tenant, current_user, data)
            _cover(form, project)
            if need is not None:
                from app.needs import services as needs

                needs.arrange(need, current_user, {org.id}, "project", project.id)
        except (ProjectError, UploadError, covers.CoverError, ValueError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if need is not None:
                return _done(_("Draft saved and linked to the resident's need. Add service "
                               "slots or shifts, then publish."), project)
            return _done(_("Draft saved. Add shifts or service slots, then publish."), project)
    return render_template("projects/form.html", form=form, org=org, project=None, need=need)


def _from_need(form: ProjectForm, need) -> None:
    """Fill the new project in from the need: its words, category, area and group."""
    form.name.data = need.what if len(need.what) <= 40 else need.what[:40] + "…"
    form.category.data, form.area_id.data = need.category, need.area_id
    form.target_groups.data = [need.target_group]
    form.content.data = need.what


@bp.route("/projects/<int:project_id>/manage")
@login_required
def manage(project_id: int):
    project = get_or_404(Project, project_id)
    require("org.view_internal", project)
    return render_template("projects/manage.html", project=project, cancel_form=CancelForm(),
                           rosters=signups.rosters([*project.shifts, *project.slots]))


@bp.route("/projects/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit(project_id: int):
    tenant = current_tenant()
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    form = ProjectForm(obj=project)
    _prepare(form, tenant, project)
    if request.method == "GET":
        form.area_id.data, form.budget.data = project.area_id or 0, _budget_text(project)
    if form.validate_on_submit() and (data := _data(form)) is not None:
        try:
            services.update(project, tenant, data)
            _cover(form, project)
        except (ProjectError, UploadError, covers.CoverError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            return _done(_("Saved."), project)
    return render_template("projects/form.html", form=form, org=project.org, project=project)


def _act(project_id: int, asked: str, action, message: str, *args):
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    back = url_for("projects.manage", project_id=project.id)
    if (page := confirm.ask(asked, project, back)) is not None:
        return page
    try:
        action(project, *args)
    except ProjectError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    return _done(message, project)


@bp.route("/projects/<int:project_id>/publish", methods=["POST"])
@login_required
def publish(project_id: int):
    return _act(project_id, "project.publish", services.publish, _("Published: the project is now in the marketplace."))


@bp.route("/projects/<int:project_id>/cancel", methods=["POST"])
@login_required
def cancel(project_id: int):
    form = CancelForm()
    return _act(project_id, "project.cancel", services.cancel,
                _("The project is cancelled; everyone signed up has been told."),
                form.reason.data or "")


@bp.route("/projects/<int:project_id>/close", methods=["GET", "POST"])
@login_required
def close(project_id: int):
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            photos = [uploads.check(f.stream, f.filename, uploads.IMAGES)
                      for f in (form.photos.data or []) if getattr(f, "filename", "")]
            services.close(project, form.report.data, photos)
        except (ProjectError, UploadError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            return _done(_("The project is closed and its report recorded."), project)
    return render_template("projects/close.html", project=project, form=form)


@bp.route("/projects/<int:project_id>/evidence/<int:evidence_id>")
@login_required
def evidence(project_id: int, evidence_id: int):
    project = get_or_404(Project, project_id)
    require("org.view_internal", project)
    photo = get_or_404(ProjectEvidence, evidence_id, org_id=project.org_id)
    if photo.project_id != project.id:
        abort(404)
    return uploads.send(photo.file_key, photo.mime, f"evidence-{photo.id}.{photo.file_key[-3:]}",
                        uploads.folder_of(photo.tenant_id, f"projects/{project.id}"))


def _place_data(form, kind: str) -> places.PlaceData:
    return places.PlaceData(
        starts_at=form.starts_at(), ends_at=form.ends_at(), place=form.place.data or "",
        capacity=form.capacity.data,
        required_skills=(form.required_skills.data or "") if kind == "shift" else "",
        insurance_required=kind == "shift" and form.insurance_required.data,
        target_group=(form.target_group.data or None) if kind == "slot" else None)


def _place_form(kind: str, project: Project, place=None):
    need = fromneed.need_for(project.org_id) if place is None else None
    form = fromneed.place_form(kind, need, project)
    if place is None or place.series_id is None:
        del form.scope
    if kind == "slot":
        form.target_group.choices = [("", _("Anyone"))] + [(g, g) for g in project.target_groups]
    if place is not None and request.method == "GET":
        form.fill(place)
        if kind == "shift":
            form.required_skills.data = place.required_skills
            form.insurance_required.data = place.insurance_required
        else:
            form.target_group.data = place.target_group or ""
    if need is not None and request.method == "GET":
        fromneed.fill_place(form, kind, need, project)
    if form.validate_on_submit():
        try:
            if place is None:
                add = places.add_shift if kind == "shift" else places.add_slot
                added = add(project, _place_data(form, kind))
                if need is not None:
                    linked = fromneed.link_place(need, kind, added, project, current_user, form)
            elif "scope" in form:
                schedules.change(place, _place_data(form, kind), form.scope.data)
            else:
                places.change(place, _place_data(form, kind))
        except (ProjectError, fromneed.LinkError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            if need is not None:
                return _linked(need, linked)
            return _done(_("Saved."), project)
    return render_template("projects/place_form.html", form=form, project=project, kind=kind,
                           place=place, need=need)


def _linked(need, linked: str):
    """Back to the need, which now shows the place set up for it."""
    commit()
    flash({"shift": _("The volunteer shift is saved and linked to the resident's need."),
           "booking": _("The slot is saved, the resident is booked onto it, and it is linked "
                        "to their need."),
           "slot": _("The service slot is saved and linked to the resident's need.")}[linked],
          "success")
    return redirect(url_for("needs.show", need_id=need.id))


@bp.route("/projects/<int:project_id>/shifts/new", methods=["GET", "POST"])
@login_required
def new_shift(project_id: int):
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    return _place_form("shift", project)


@bp.route("/projects/<int:project_id>/slots/new", methods=["GET", "POST"])
@login_required
def new_slot(project_id: int):
    project = get_or_404(Project, project_id)
    require("project.manage", project)
    return _place_form("slot", project)


@bp.route("/shifts/<int:shift_id>/edit", methods=["GET", "POST"])
@login_required
def edit_shift(shift_id: int):
    shift = get_or_404(Shift, shift_id)
    require("project.manage", shift)
    return _place_form("shift", shift.project, shift)


@bp.route("/slots/<int:slot_id>/edit", methods=["GET", "POST"])
@login_required
def edit_slot(slot_id: int):
    slot = get_or_404(ServiceSlot, slot_id)
    require("project.manage", slot)
    return _place_form("slot", slot.project, slot)


def _cancel_place(place):
    require("project.manage", place)
    back = url_for("projects.manage", project_id=place.project_id)
    if (page := confirm.ask("place.cancel", place, back)) is not None:
        return page
    form = CancelForm()
    try:
        places.cancel_place(place, form.reason.data or "")
    except ProjectError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    return _done(_("Cancelled; everyone signed up has been told."), place.project)


@bp.route("/shifts/<int:shift_id>/cancel", methods=["POST"])
@login_required
def cancel_shift(shift_id: int):
    return _cancel_place(get_or_404(Shift, shift_id))


@bp.route("/slots/<int:slot_id>/cancel", methods=["POST"])
@login_required
def cancel_slot(slot_id: int):
    return _cancel_place(get_or_404(ServiceSlot, slot_id))
