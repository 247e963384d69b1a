"""Ask for an export, watch its progress, download the file."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app import storage
from app.db_commit import commit
from app.exports import services
from app.exports.models import Export
from app.exports.registry import MIMETYPES, ExportError, kinds, rule_for
from app.extensions import db
from app.permissions import can, require
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("exports", __name__, template_folder="templates", url_prefix="/t/<tenant>/exports")


class RequestForm(FlaskForm):
    """The CSRF token; kind, format and parameters come as plain fields."""


@bp.route("", methods=["GET", "POST"])
@login_required
def index():
    tenant = current_tenant()
    if request.method == "POST":
        require("export.read", tenant)
        if not RequestForm().validate_on_submit():
            flash(_("This form has expired. Please try again."), "error")
            return redirect(url_for("exports.index"))
        params = {k[2:]: v for k, v in request.form.items() if k.startswith("p_")}
        try:
            export = services.request_export(tenant, current_user, request.form.get("kind", ""),
                                             request.form.get("fmt", ""), params)
        except ExportError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(request.referrer or url_for("exports.index"))
        require(rule_for(export.kind), export)
        commit()
        return redirect(url_for("exports.show", export_id=export.id))
    require("export.read", tenant)
    # Files with personal data are listed only to those who may download them.
    hidden = [k for k, spec in kinds().items() if spec.rule != "export.read"
              and not can(spec.rule, tenant)]
    page = db.paginate(scoped(Export).where(Export.kind.not_in(hidden))
                       .order_by(Export.id.desc()), per_page=30)
    return render_template("exports/index.html", page=page, kinds=kinds())


@bp.route("/<int:export_id>")
@login_required
def show(export_id: int):
    export = get_or_404(Export, export_id)
    require(rule_for(export.kind), export)
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"id": export.id, "status": export.status, "progress": export.progress,
                        "download": url_for("exports.download", export_id=export.id)
                        if export.is_ready else None})
    back, back_label = (url_for("exports.index") if can("export.read", export) else None,
                        _("Exports"))
    if export.kind.startswith("national_"):  # asked for on the national system's page
        back, back_label = url_for("national.index"), _("National volunteer system")
    return render_template("exports/show.html", export=export, spec=kinds().get(export.kind),
                           back=back, back_label=back_label)


@bp.route("/<int:export_id>/download")
@login_required
def download(export_id: int):
    export = get_or_404(Export, export_id)
    require(rule_for(export.kind), export)
    if not export.is_ready or not export.file_name:
        abort(404)
    if rule_for(export.kind) != "export.read":  # personal data: who took a copy is recorded
        export.downloads += 1
        commit()
    return storage.send(storage.EXPORTS, export.file_name, services.under(export),
                        MIMETYPES.get(export.fmt, "application/octet-stream"),
                        export.download_name, as_attachment=True)


@bp.app_context_processor
def _labels():
    from flask_babel import lazy_gettext as _l

    return {"export_status": {"queued": _l("Waiting"), "running": _l("Being built"),
                              "ready": _l("Ready"), "failed": _l("Failed")}}
