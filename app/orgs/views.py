"""Organization pages: registration, the bureau's verification queue, the public page,
editing and re-submission, the certificate, staff and invitations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.db_commit import commit
from app.extensions import db
from app.orgs import services, staff, uploads
from app.orgs.forms import InviteForm, OrgForm, ReviewForm
from app.orgs.models import Organization, OrgInvitation
from app.orgs.services import OrgError
from app.orgs.uploads import UploadError
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404
from app.tenancy.services import area_choices

bp = Blueprint("orgs", __name__, template_folder="templates", url_prefix="/t/<tenant>/orgs")


def _prepare(form: OrgForm, tenant, org: Organization | None = None) -> None:
    form.kind.choices = [(k, k) for k in tenant.setting("org_kinds")]
    form.area_ids.choices = area_choices(tenant)
    form.parent_id.choices = [(0, "—")] + [(o.id, o.name) for o in services.incubators(tenant)
                                           if org is None or o.id != org.id]


def _data(form: OrgForm) -> services.OrgData:
    return services.OrgData(
        name=form.name.data or "",
        credit_code=(form.credit_code.data or "") if "credit_code" in form else "",
        kind=form.kind.data, legal_representative=form.legal_representative.data or "",
        contact_name=form.contact_name.data or "", contact_phone=(form.contact_phone.data or "").strip(),
        contact_email=form.contact_email.data, description=form.description.data or "",
        area_ids=list(form.area_ids.data or []),
        parent_id=(form.parent_id.data or None) if "parent_id" in form else None,
        is_incubator=form.is_incubator.data)


def _certificate(form: OrgForm) -> uploads.Upload | None:
    upload = form.certificate.data if "certificate" in form else None
    if not upload or not getattr(upload, "filename", ""):
        return None
    return uploads.check(upload.stream, upload.filename)


@bp.route("")
def directory():
    return render_template("orgs/directory.html", orgs=services.verified(current_tenant()))


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register():
    tenant = current_tenant()
    require("org.register", tenant)
    form = OrgForm()
    _prepare(form, tenant)
    if form.validate_on_submit():
        try:
            org = services.register(tenant, current_user, _data(form), _certificate(form))
        except (OrgError, UploadError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Registration submitted. The bureau will verify it; you will be notified."),
                  "success")
            return redirect(url_for("orgs.edit", org_id=org.id))
    return render_template("orgs/register.html", form=form)


@bp.route("/mine")
@login_required
def mine():
    tenant = current_tenant()
    return render_template("orgs/mine.html", orgs=services.orgs_of(current_user, tenant),
                           invitations=staff.invitations_for(current_user, tenant),
                           role_labels=staff.ROLE_LABELS)


@bp.route("/invitations/<int:invitation_id>/accept", methods=["POST"])
@login_required
def accept_invitation(invitation_id: int):
    return _answer(invitation_id, accept=True)


@bp.route("/invitations/<int:invitation_id>/decline", methods=["POST"])
@login_required
def decline_invitation(invitation_id: int):
    return _answer(invitation_id, accept=False)


def _answer(invitation_id: int, accept: bool):
    invitation = get_or_404(OrgInvitation, invitation_id)
    require("org.invitation.respond", invitation)
    try:
        if accept:
            staff.accept(invitation, current_user)
        else:
            staff.decline(invitation, current_user)
    except OrgError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("You have joined %(org)s.", org=invitation.org.name) if accept
              else _("Invitation declined."), "success")
    return redirect(url_for("orgs.mine"))


@bp.route("/review")
@login_required
def queue():
    tenant = current_tenant()
    require("org.verify", tenant)
    return render_template("orgs/queue.html", orgs=services.verification_queue(tenant))


@bp.route("/<int:org_id>/review", methods=["GET", "POST"])
@login_required
def review(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.verify", org)
    form = ReviewForm()
    if form.validate_on_submit():
        approve = request.form.get("decision") == "approve"
        if (page := confirm.ask("org.approve" if approve else "org.reject", org,
                                url_for("orgs.review", org_id=org.id))) is not None:
            return page
        try:
            if approve:
                services.approve(org, current_user)
                message = _("%(name)s is verified.", name=org.name)
            else:
                services.reject(org, current_user, form.reason.data)
                message = _("%(name)s was rejected; the organization has been told why.",
                            name=org.name)
        except OrgError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(message, "success")
            return redirect(url_for("orgs.queue"))
    return render_template("orgs/review.html", org=org, form=form)


@bp.route("/<int:org_id>")
def page(org_id: int):
    org = get_or_404(Organization, org_id)
    if not can("org.view", org):
        abort(404)
    from app.marketplace.services import projects_of
    from app.reputation.services import for_org

    return render_template("orgs/page.html", org=org, projects=projects_of(org),
                           org_areas=services.area_names(org), reputation=for_org(org))


@bp.route("/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    tenant = current_tenant()
    org = get_or_404(Organization, org_id)
    require("org.manage", org)
    form = OrgForm(obj=org)
    _prepare(form, tenant, org)
    if org.is_verified:  # verified identity stays as the bureau saw it (see services.update)
        for name in ("name", "credit_code", "legal_representative"):
            if name in form:
                form[name].render_kw = {**(form[name].render_kw or {}), "readonly": True}
        form.kind.render_kw = {"disabled": True}
        form.kind.validators, form.kind.validate_choice = [], False
        if "certificate" in form:
            del form.certificate
    if org.is_filed:  # no credit code or certificate: its filing page keeps its record
        del form.credit_code, form.certificate, form.parent_id
    if request.method == "GET":
        form.area_ids.data = org.area_ids
        if "parent_id" in form:
            form.parent_id.data = org.parent_id or 0
    if form.validate_on_submit():
        try:
            services.update(org, tenant, _data(form), _certificate(form))
            if request.form.get("resubmit"):
                services.resubmit(org)
        except (OrgError, UploadError) as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Submitted again for verification.") if request.form.get("resubmit")
                  else _("Saved."), "success")
            return redirect(url_for("orgs.edit", org_id=org.id))
    return render_template("orgs/edit.html", org=org, form=form)


@bp.route("/<int:org_id>/certificate")
@login_required
def certificate(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.view_internal", org)
    if not org.certificate_file:
        abort(404)
    ext = org.certificate_file.rsplit(".", 1)[-1]
    return uploads.send(org.certificate_file, org.certificate_mime, f"certificate-{org.id}.{ext}",
                        uploads.folder_of(org.tenant_id, f"orgs/{org.id}"))


@bp.route("/<int:org_id>/staff")
@login_required
def staff_page(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.view_internal", org)
    return render_template("orgs/staff.html", org=org, members=staff.members(org),
                           invitations=staff.pending_invitations(org), form=InviteForm(),
                           role_labels=staff.ROLE_LABELS)


@bp.route("/<int:org_id>/staff/invite", methods=["POST"])
@login_required
def invite(org_id: int):
    org = get_or_404(Organization, org_id)
    require("org.manage", org)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Please enter a mobile number or email and choose a role."), "error")
        return redirect(url_for("orgs.staff_page", org_id=org.id))
    try:
        staff.invite(org, form.account.data, form.role.data, current_user)
    except OrgError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Invitation sent. The person accepts it after signing in."), "success")
    return redirect(url_for("orgs.staff_page", org_id=org.id))


@bp.route("/<int:org_id>/staff/<int:staff_id>/remove", methods=["POST"])
@login_required
def remove_staff(org_id: int, staff_id: int):
    org = get_or_404(Organization, org_id)
    require("org.manage", org)
    member = next((m.user for m in staff.members(org) if m.user.id == staff_id), None)
    if member is None:
        abort(404)
    back = url_for("orgs.staff_page", org_id=org.id)
    if (page := confirm.ask("staff.remove", (org, member), back)) is not None:
        return page
    try:
        staff.remove(org, member)
    except OrgError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("%(name)s no longer works for the organization here.", name=member.name), "success")
    return redirect(url_for("orgs.staff_page", org_id=org.id))


@bp.route("/<int:org_id>/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@login_required
def withdraw_invitation(org_id: int, invitation_id: int):
    org = get_or_404(Organization, org_id)
    require("org.manage", org)
    invitation = get_or_404(OrgInvitation, invitation_id, org_id=org.id)
    back = url_for("orgs.staff_page", org_id=org.id)
    if (page := confirm.ask("invitation.withdraw", invitation, back)) is not None:
        return page
    try:
        staff.withdraw(invitation)
    except OrgError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("orgs.staff_page", org_id=org.id))

