"""Requesting and downloading one's proof of service; the public verification page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import storage
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.permissions import require
from app.privacy import mask_name
from app.service import certificates
from app.service.forms import CertificateForm
from app.service.models import Certificate
from app.service.services import ServiceError
from app.service.views import bp
from app.tenancy.scoping import current_tenant, get_or_404
from workers.queue import enqueue_after_commit


@bp.route("/me/certificates", methods=["POST"])
@login_required
def request_certificate():
    tenant = current_tenant()
    require("service.own.view", tenant)
    form = CertificateForm()
    if not form.validate_on_submit():
        flash(_("Please give the first and last day of the period."), "error")
        flash_form_errors(form)
        return redirect(url_for("service.dashboard"))
    try:
        certificate = certificates.issue(tenant, current_user, current_user, form.date_from.data,
                                         form.date_to.data, base_url=request.host_url)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("service.dashboard"))
    if certificate.record_count > certificates.LARGE:
        from workers.service import render_certificate

        enqueue_after_commit(render_certificate, certificate.id, queue="exports", retry=2)
        commit()
        flash(_("Your proof of service %(number)s is being prepared. You will get a message "
                "when it is ready.", number=certificate.number), "success")
        return redirect(url_for("service.dashboard"))
    certificates.store_pdf(certificate)
    commit()
    flash(_("Your proof of service %(number)s is ready.", number=certificate.number), "success")
    return redirect(url_for("service.dashboard"))


@bp.route("/certificates/<int:certificate_id>.pdf")
@login_required
def certificate_pdf(certificate_id: int):
    certificate = get_or_404(Certificate, certificate_id)
    require("certificate.download", certificate)
    try:
        key = certificates.pdf_key(certificate)
    except FileNotFoundError:
        abort(404)
    if not certificates.has_pdf(certificate):
        if certificate.record_count > certificates.LARGE:
            flash(_("This certificate is still being prepared. Please try again in a minute."),
                  "info")
            return redirect(url_for("service.dashboard"))
        try:
            certificates.store_pdf(certificate)
        except FileNotFoundError:  # its place leads through a link the app never made
            abort(404)
        commit()
    return storage.send(storage.EXPORTS, key, certificates.FOLDER, "application/pdf",
                        f"{certificate.number}.pdf", as_attachment=True)


@bp.route("/verify")
def verify_form():
    number = (request.args.get("number") or "").strip()
    if number:
        return redirect(url_for("service.verify", number=number))
    return render_template("service/verify.html", result=None, number="")


@bp.route("/verify/<number>")
def verify(number: str):
    """Public: whether a certificate is genuine and unchanged. Unknown numbers answer 404."""
    if len(number) > 40:
        abort(404)
    result = certificates.verify(current_tenant().id, number, request.args.get("c"))
    name = result.certificate.content.get("volunteer", {}).get("name", "") if (
        result.certificate) else ""
    return render_template("service/verify.html", result=result, number=number,
                           masked_name=mask_name(name)), (
        404 if result.status == "unknown" else 200)
