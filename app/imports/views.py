"""Import pages: the templates and the upload form, a batch with its progress (the page polls
a small JSON status) and its errors, the annotated file, confirm and cancel."""

from __future__ import annotations

import io
from types import SimpleNamespace

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.auth.models import Role
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.imports import labels, services, workbook
from app.imports.checks import Areas
from app.imports.columns import kinds, spec
from app.imports.forms import UploadForm
from app.imports.models import ORG_KINDS, ImportBatch, ImportKind
from app.imports.services import ImportRefused
from app.orgs import uploads
from app.orgs.models import Organization
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("imports", __name__, template_folder="templates", url_prefix="/t/<tenant>/imports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds(tenant) -> list[str]:
    if current_user.has_role(tenant.id, Role.BUREAU_OFFICER):
        return kinds()
    return [str(k) for k in ORG_KINDS]


def _orgs(tenant) -> list[Organization]:
    mine = current_user.org_ids(tenant.id, Role.ORG_ADMIN)
    return list(db.session.scalars(scoped(Organization, Organization.id.in_(mine))
                                   .order_by(Organization.name))) if mine else []


def _form(tenant) -> UploadForm:
    form = UploadForm()
    form.kind.choices = [(k, str(spec(k).label)) for k in _kinds(tenant)]
    owners = [(o.id, o.name) for o in _orgs(tenant)]
    if current_user.has_role(tenant.id, Role.BUREAU_OFFICER):
        owners.insert(0, (0, _("The district (bureau)")))
    form.org_id.choices = owners
    form.kind.validate_choice = form.org_id.validate_choice = False  # checked as permissions
    return form


def _visible(tenant):
    stmt = scoped(ImportBatch)
    if not current_user.has_role(tenant.id, Role.BUREAU_OFFICER):
        stmt = stmt.where(ImportBatch.org_id.in_(current_user.org_ids(tenant.id, Role.ORG_ADMIN)))
    return stmt.order_by(ImportBatch.id.desc()).limit(50)


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    tenant = current_tenant()
    require("import.use", tenant)
    form = _form(tenant)
    if request.method == "GET" and request.args.get("kind") in _kinds(tenant):
        form.kind.data = request.args["kind"]
    if request.method == "POST":
        org_id = form.org_id.data or None
        if org_id is not None:
            get_or_404(Organization, org_id)
        require("import.start", SimpleNamespace(tenant_id=tenant.id, kind=form.kind.data,
                                                org_id=org_id))
        if form.validate_on_submit():
            upload = form.file.data
            try:
                batch = services.upload(tenant, current_user, form.kind.data, org_id,
                                        upload.stream, upload.filename)
            except ImportRefused as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                commit()
                return redirect(url_for("imports.show", import_id=batch.id))
        else:
            flash_form_errors(form)
    batches = db.session.scalars(_visible(tenant)).all()
    return render_template("imports/index.html", form=form, batches=batches,
                           specs={k: spec(k) for k in kinds()},
                           kinds=_kinds(tenant))


@bp.route("/template")
@login_required
def template():
    tenant = current_tenant()
    require("import.use", tenant)
    kind = request.args.get("kind", "")
    if kind not in kinds():
        abort(404)
    if kind == ImportKind.NATIONAL:  # the national system's own layout, empty
        from app.national import layout, mapping

        out = io.BytesIO()
        layout.write(out, mapping.current().records, [])
        data = out.getvalue()
    else:
        lists = workbook.choice_lists(tenant, Areas(tenant.id).labels)
        data = workbook.template(spec(kind), lists)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, max_age=0,
                     download_name=f"{spec(kind).sheet}导入模板.xlsx")


def _batch(import_id: int, action: str = "import.view") -> ImportBatch:
    batch = get_or_404(ImportBatch, import_id)
    require(action, batch)
    return batch


@bp.route("/<int:import_id>")
@login_required
def show(import_id: int):
    batch = _batch(import_id)
    org = db.session.get(Organization, batch.org_id) if batch.org_id else None
    return render_template("imports/show.html", batch=batch, spec=spec(batch.kind), org=org,
                           may_decide=can("import.decide", batch),
                           may_retry=services.may_retry(batch))


@bp.route("/<int:import_id>/status")
@login_required
def status(import_id: int):
    batch = _batch(import_id)
    response = jsonify({"status": batch.status, "progress": batch.progress,
                        "pending": batch.is_pending, "total": batch.total_rows,
                        "valid": batch.valid_rows, "existing": batch.existing_rows,
                        "errors": batch.error_rows, "imported": batch.imported_rows})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:import_id>/errors.xlsx")
@login_required
def annotated(import_id: int):
    batch = _batch(import_id)
    if not batch.annotated_key:
        abort(404)
    return uploads.send(batch.annotated_key, XLSX, f"{spec(batch.kind).sheet}-错误说明.xlsx",
                        uploads.folder_of(batch.tenant_id, services.FOLDER))


def _decided(batch: ImportBatch, act, message):
    try:
        act(batch)
    except ImportRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()  # with jobs run inline, the work is done by now
        flash(message(batch), "success")
    return redirect(url_for("imports.show", import_id=batch.id))


def _written(batch: ImportBatch) -> str:
    if batch.status == "done":
        return _("%(n)s rows imported.", n=batch.imported_rows)
    return _("The rows are being written; this page follows the progress.")


@bp.route("/<int:import_id>/confirm", methods=["POST"])
@login_required
def confirm_import(import_id: int):
    batch = _batch(import_id, "import.decide")
    back = url_for("imports.show", import_id=batch.id)
    if (page := confirm.ask("import.confirm", batch, back)) is not None:
        return page
    return _decided(batch, lambda b: services.confirm(b, current_user), _written)


@bp.route("/<int:import_id>/cancel", methods=["POST"])
@login_required
def cancel(import_id: int):
    batch = _batch(import_id, "import.decide")
    back = url_for("imports.show", import_id=batch.id)
    if (page := confirm.ask("import.cancel", batch, back)) is not None:
        return page
    return _decided(batch, services.cancel,
                    lambda b: _("The import is cancelled; nothing was written."))


@bp.app_context_processor
def _labels():
    return {"import_status": labels.STATUS}
