"""The national volunteer system page: export the volunteers and service records in its
template's layout (the district's, or one organization's), and import the records it
exported (through the imports' check-then-confirm steps)."""

from __future__ import annotations

from types import SimpleNamespace

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.auth.models import Role
from app.db_commit import commit
from app.exports import services as exports
from app.exports.models import Export
from app.exports.registry import ExportError, kinds
from app.extensions import db
from app.imports.models import ImportBatch, ImportKind
from app.national import mapping
from app.orgs.models import Organization
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("national", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/national")
KINDS = ("national_volunteers", "national_records")


class ExportForm(FlaskForm):
    """The CSRF token; the kind and the organization come as plain fields."""


def _owners(tenant) -> list[tuple[int, str]]:
    """(0, the district) for the bureau, then the organizations the person administers."""
    mine = current_user.org_ids(tenant.id, Role.ORG_ADMIN)
    orgs = db.session.execute(scoped(Organization).with_only_columns(
        Organization.id, Organization.name).where(Organization.id.in_(mine))
        .order_by(Organization.name)).all() if mine else []
    owners = [(o.id, o.name) for o in orgs]
    if current_user.has_role(tenant.id, Role.BUREAU_OFFICER):
        owners.insert(0, (0, _("The district (bureau)")))
    return owners


def _exports() -> list[Export]:
    recent = db.session.scalars(scoped(Export).where(Export.kind.in_(KINDS))
                                .order_by(Export.id.desc()).limit(100)).all()
    return [e for e in recent if can("national.export", e)][:20]


def _imports(tenant) -> list[ImportBatch]:
    stmt = scoped(ImportBatch).where(ImportBatch.kind == ImportKind.NATIONAL)
    if not current_user.has_role(tenant.id, Role.BUREAU_OFFICER):
        stmt = stmt.where(ImportBatch.org_id.in_(current_user.org_ids(tenant.id, Role.ORG_ADMIN)))
    return list(db.session.scalars(stmt.order_by(ImportBatch.id.desc()).limit(20)))


@bp.route("")
@login_required
def index():
    tenant = current_tenant()
    require("national.use", tenant)
    owners = _owners(tenant)
    names = dict(owners)
    return render_template("national/index.html", template=mapping.current(), owners=owners,
                           names=names, exports=_exports(), batches=_imports(tenant),
                           kinds=kinds(), form=ExportForm())


@bp.route("/export", methods=["POST"])
@login_required
def export():
    tenant = current_tenant()
    require("national.use", tenant)
    if not ExportForm().validate_on_submit():
        flash(_("This form has expired. Please try again."), "error")
        return redirect(url_for("national.index"))
    try:
        org_id = int(request.form.get("org_id") or 0) or None
    except ValueError:
        org_id = None
    if org_id is not None:
        get_or_404(Organization, org_id)
    require("national.export", SimpleNamespace(tenant_id=tenant.id, org_id=org_id))
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        flash(_("This kind of export does not exist."), "error")
        return redirect(url_for("national.index"))
    try:
        job = exports.request_export(tenant, current_user, kind, "xlsx", {"org_id": org_id})
    except ExportError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("national.index"))
    commit()
    return redirect(url_for("exports.show", export_id=job.id))
