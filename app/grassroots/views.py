"""Community group pages, made for a phone: a filed group joins; the sponsor answers; a
group's page (filing record, stage, milestones, leaders' training) for the group, its
incubator and the bureau; the incubator's list of its groups."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import confirm
from app.db_commit import commit
from app.extensions import db
from app.grassroots import filing, labels, services
from app.grassroots.filing import FilingData, GroupError
from app.grassroots.forms import (
    DoneForm,
    FilingForm,
    GroupForm,
    MilestoneForm,
    MoveForm,
    SponsorForm,
    TrainingForm,
)
from app.grassroots.models import Milestone
from app.orgs import services as orgs
from app.orgs import uploads
from app.orgs.models import Organization
from app.orgs.services import OrgError
from app.orgs.uploads import UploadError
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404
from app.tenancy.services import area_choices

bp = Blueprint("grassroots", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/grassroots")
REFUSALS = (GroupError, OrgError, UploadError)


@bp.context_processor
def _labels() -> dict:
    return {"stage_words": labels.STAGE, "sponsor_words": labels.SPONSOR_STATUS}


@bp.app_template_global("group_filing")
def group_filing(org: Organization):
    """A filed group's filing record (for the bureau's review page)."""
    return filing.filing_of(org)


@bp.app_template_global("sponsor_answer")
def sponsor_answer(record) -> str:
    return str(labels.SPONSOR_STATUS[record.sponsor_status]) if record is not None else ""


def _document(form) -> uploads.Upload | None:
    upload = form.document.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return uploads.check(upload.stream, upload.filename)


def _filing_choices(form: FilingForm, tenant) -> None:
    form.filed_with_id.choices = [(0, "—")] + [(a.id, a.name)
                                               for a in filing.filing_areas(tenant)]
    form.sponsor_id.choices = [(0, "—")] + [(o.id, o.name) for o in filing.sponsors(tenant)]


def _filing_data(form: FilingForm) -> FilingData:
    return FilingData(number=form.number.data or "", filed_with_id=form.filed_with_id.data or None,
                      filed_on=form.filed_on.data, sponsor_id=form.sponsor_id.data or None)


def _refused(exc: Exception, back: str):
    db.session.rollback()
    flash(str(exc), "error")
    return redirect(back)


@bp.route("/")
@login_required
def home():
    """The incubators the person works for (the bureau and auditors: all of them), and the
    groups they work for."""
    tenant = current_tenant()
    mine = orgs.orgs_of(current_user, tenant)
    incubators = (orgs.incubators(tenant) if can("tenant.oversee", tenant)
                  else [o for o in mine if o.is_incubator])
    groups = [(o, services.incubation_of(o)) for o in mine if not o.is_incubator
              and (o.is_filed or services.incubation_of(o) is not None)]
    return render_template("grassroots/home.html", incubators=incubators, groups=groups,
                           may_register=can("org.register", tenant))


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register():
    tenant = current_tenant()
    require("org.register", tenant)
    form = GroupForm()
    form.kind.choices = [(k, k) for k in tenant.setting("org_kinds")]
    form.area_ids.choices = area_choices(tenant)
    _filing_choices(form, tenant)
    if form.validate_on_submit():
        data = orgs.OrgData(
            name=form.name.data or "", credit_code="", kind=form.kind.data,
            legal_representative=form.legal_representative.data or "",
            contact_name=form.contact_name.data or "",
            contact_phone=(form.contact_phone.data or "").strip(),
            contact_email=form.contact_email.data, description=form.description.data or "",
            area_ids=list(form.area_ids.data or []))
        try:
            group = filing.register_group(tenant, current_user, data, _filing_data(form),
                                          _document(form))
        except REFUSALS as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Registration submitted. Your sponsor is asked to confirm; then the bureau "
                    "verifies the group."), "success")
            return redirect(url_for("grassroots.group", org_id=group.id))
    return render_template("grassroots/register.html", form=form)


@bp.route("/incubators/<int:org_id>")
@login_required
def incubator(org_id: int):
    org = get_or_404(Organization, org_id)
    require("grassroots.incubator.view", org)
    if not org.is_incubator:
        abort(404)
    return render_template("grassroots/incubator.html", org=org,
                           rows=services.groups_of(org), waiting=filing.awaiting_sponsor(org))


def _group(org_id: int, action: str) -> Organization:
    group = get_or_404(Organization, org_id)
    require(action, group)
    return group


@bp.route("/groups/<int:org_id>")
@login_required
def group(org_id: int):
    group = _group(org_id, "grassroots.view")
    incubation = services.incubation_of(group)
    record = filing.filing_of(group)
    if incubation is None and record is None:
        abort(404)
    move = MoveForm()
    from app.parsing import local_today

    move.moved_on.data = move.moved_on.data or local_today()
    return render_template(
        "grassroots/group.html", group=group, incubation=incubation, filing=record,
        sponsor=db.session.get(Organization, group.parent_id) if group.parent_id else None,
        incubator_org=(db.session.get(Organization, incubation.incubator_id)
                       if incubation else None),
        next_stage=services.next_stage(incubation) if incubation else None,
        trainings=services.trainings_of(group), grants=grants_through_sponsor(group),
        may_incubate=can("grassroots.incubate", group),
        may_sponsor=(record is not None and record.sponsor_status == "pending"
                     and can("grassroots.sponsor", group)),
        may_edit=(record is not None and not group.is_verified and can("org.manage", group)),
        move_form=move, milestone_form=MilestoneForm(), done_form=DoneForm(),
        training_form=TrainingForm(), sponsor_form=SponsorForm(), today=local_today())


@bp.route("/groups/<int:org_id>/sponsorship", methods=["POST"])
@login_required
def sponsorship(org_id: int):
    group = _group(org_id, "grassroots.sponsor")
    back = url_for("grassroots.group", org_id=group.id)
    accept = request.form.get("decision") == "confirm"
    form = SponsorForm()
    if not form.validate_on_submit():
        flash(_("Please check the note."), "error")
        return redirect(back)
    if (page := confirm.ask("group.sponsor" if accept else "group.sponsor_decline", group,
                            back)) is not None:
        return page
    try:
        filing.answer_sponsorship(group, current_user, accept=accept, note=form.note.data or "")
    except REFUSALS as exc:
        return _refused(exc, back)
    commit()
    flash(_("You now sponsor %(group)s; the bureau verifies it next.", group=group.name)
          if accept else _("You declined; %(group)s has been told why.", group=group.name),
          "success")
    return redirect(back)


@bp.route("/groups/<int:org_id>/move", methods=["POST"])
@login_required
def move(org_id: int):
    group = _group(org_id, "grassroots.incubate")
    incubation = services.incubation_of(group)
    if incubation is None:
        abort(404)
    back = url_for("grassroots.group", org_id=group.id)
    form = MoveForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(back)
    if (page := confirm.ask("group.move", incubation, back)) is not None:
        return page
    try:
        row = services.move(incubation, current_user, day=form.moved_on.data,
                            note=form.note.data or "", credit_code=form.credit_code.data or "")
    except REFUSALS as exc:
        return _refused(exc, back)
    commit()
    flash(_("%(group)s is now at the stage: %(stage)s.", group=group.name,
            stage=labels.STAGE[row.to_stage]), "success")
    return redirect(back)


@bp.route("/groups/<int:org_id>/milestones", methods=["POST"])
@login_required
def add_milestone(org_id: int):
    group = _group(org_id, "grassroots.incubate")
    incubation = services.incubation_of(group)
    if incubation is None:
        abort(404)
    back = url_for("grassroots.group", org_id=group.id)
    form = MilestoneForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(back)
    try:
        row = services.add_milestone(incubation, current_user, title=form.title.data or "",
                                     due_on=form.due_on.data)
    except REFUSALS as exc:
        return _refused(exc, back)
    commit()
    flash(_("Milestone added: %(title)s.", title=row.title), "success")
    return redirect(back)


@bp.route("/milestones/<int:milestone_id>/done", methods=["POST"])
@login_required
def milestone_done(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id)
    require("grassroots.milestone.done", milestone)
    back = url_for("grassroots.group", org_id=milestone.org_id)
    form = DoneForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(back)
    try:
        services.complete_milestone(milestone, current_user, day=form.done_on.data,
                                    evidence=form.evidence.data or "", document=_document(form))
    except REFUSALS as exc:
        return _refused(exc, back)
    commit()
    flash(_("Milestone done: %(title)s.", title=milestone.title), "success")
    return redirect(back)


@bp.route("/milestones/<int:milestone_id>/evidence")
@login_required
def milestone_evidence(milestone_id: int):
    milestone = get_or_404(Milestone, milestone_id)
    require("grassroots.view", milestone)
    if not milestone.evidence_file:
        abort(404)
    ext = milestone.evidence_file.rsplit(".", 1)[-1]
    return uploads.send(milestone.evidence_file, milestone.evidence_mime,
                        f"milestone-{milestone.id}.{ext}",
                        uploads.folder_of(milestone.tenant_id, f"orgs/{milestone.org_id}"))


@bp.route("/groups/<int:org_id>/trainings", methods=["POST"])
@login_required
def add_training(org_id: int):
    group = _group(org_id, "grassroots.incubate")
    back = url_for("grassroots.group", org_id=group.id)
    form = TrainingForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(back)
    hours = form.hours.data if isinstance(form.hours.data, Decimal) else None
    try:
        services.add_training(group, current_user, person=form.person.data or "",
                              course=form.course.data or "",
                              minutes=int(hours * 60) if hours is not None else None,
                              day=form.trained_on.data)
    except REFUSALS as exc:
        return _refused(exc, back)
    commit()
    flash(_("Training recorded."), "success")
    return redirect(back)


@bp.route("/groups/<int:org_id>/filing", methods=["GET", "POST"])
@login_required
def edit_filing(org_id: int):
    group = _group(org_id, "org.manage")
    record = filing.filing_of(group)
    if record is None:
        abort(404)
    tenant = current_tenant()
    form = FilingForm(obj=record)
    _filing_choices(form, tenant)
    if request.method == "GET":
        form.sponsor_id.data = group.parent_id or 0
    if form.validate_on_submit():
        try:
            filing.update_filing(group, _filing_data(form), _document(form))
        except REFUSALS as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Saved."), "success")
            return redirect(url_for("grassroots.group", org_id=group.id))
    return render_template("grassroots/filing.html", group=group, form=form, filing=record)


@bp.route("/groups/<int:org_id>/filing/document")
@login_required
def filing_document(org_id: int):
    group = _group(org_id, "grassroots.view")
    record = filing.filing_of(group)
    if record is None or not record.document_file:
        abort(404)
    ext = record.document_file.rsplit(".", 1)[-1]
    return uploads.send(record.document_file, record.document_mime, f"filing-{group.id}.{ext}",
                        uploads.folder_of(group.tenant_id, f"orgs/{group.id}"))


def grants_through_sponsor(group: Organization) -> list[tuple]:
    """A filed group's small grants, each paid through its sponsor: (award, its contract or
    None, whether the viewer may open the contract)."""
    from app.funding.models import Award, Contract

    if not group.is_filed:
        return []
    awards = list(db.session.scalars(select(Award).where(Award.org_id == group.id)
                                     .order_by(Award.id.desc())))
    contracts = {c.award_id: c for c in db.session.scalars(select(Contract).where(
        Contract.award_id.in_([a.id for a in awards])))} if awards else {}
    return [(a, contracts.get(a.id), a.id in contracts
             and can("org.view_internal", contracts[a.id])) for a in awards]
