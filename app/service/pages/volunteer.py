"""The volunteer's own service record, and what an organization may see of a volunteer."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_login import current_user, login_required

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import require
from app.service import certificates, feedback, incentives, standing
from app.service.forms import CertificateForm
from app.service.hours import local_date
from app.service.views import bp
from app.tenancy.scoping import current_tenant, get_or_404

PER_PAGE = 30


@bp.route("/me")
@login_required
def dashboard():
    """Verified hours (total, this year, by organization and category), stars, points, all
    records with their status, requests, training and awards."""
    tenant = current_tenant()
    require("service.own.view", tenant)
    figures = standing.dashboard(tenant, current_user.id)
    records = db.paginate(standing.records_query(tenant.id, current_user.id),
                          page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                          error_out=False)
    trainings, awards = standing.trainings_and_awards(tenant.id, current_user.id)
    return render_template(
        "service/dashboard.html", figures=figures, records=records,
        requests=standing.requests_of(tenant.id, current_user.id, limit=20),
        trainings=trainings, awards=awards,
        entries=incentives.entries_for(tenant.id, current_user.id, limit=10),
        certificate_form=_certificate_form(), certificates=_certificates(tenant.id))


def _certificate_form() -> CertificateForm:
    today = local_date(utcnow())
    return CertificateForm(date_from=date(today.year, 1, 1), date_to=today, formdata=None)


def _certificates(tenant_id: int) -> list:
    return certificates.of_volunteer(tenant_id, current_user.id)


@bp.route("/org/<int:org_id>/volunteers/<int:user_id>")
@login_required
def org_volunteer(org_id: int, user_id: int):
    """An organization sees a volunteer's totals across all organizations (their history
    comes with them) but only its own records in detail."""
    org = get_or_404(Organization, org_id)
    require("service.org_records.view", org)
    tenant = current_tenant()
    volunteer = db.session.get(User, user_id)
    if volunteer is None or not standing.served_with(tenant.id, org.id, volunteer.id):
        abort(404)
    total, count, orgs = standing.org_view(tenant.id, volunteer.id)
    records = db.session.scalars(standing.records_query(tenant.id, volunteer.id, org.id)
                                 .limit(200)).all()
    trainings, awards = standing.trainings_and_awards(tenant.id, volunteer.id, org.id)
    return render_template("service/org_volunteer.html", org=org, volunteer=volunteer,
                           total=total, count=count, orgs=orgs, records=records,
                           trainings=trainings, awards=awards,
                           complaints=feedback.about_volunteer(tenant.id, org.id, volunteer.id))
