"""``/api/v1/t/<tenant>/service``: the volunteer's records, dashboard figures, correction
requests and certificates, and public certificate verification. Same rules as the pages."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.permissions import require
from app.privacy import mask_name
from app.projects.models import Shift
from app.service import certificates, corrections, standing
from app.service.models import ServiceRecord
from app.service.schemas import (
    CertificateInSchema,
    CertificateSchema,
    CorrectionInSchema,
    DashboardSchema,
    HoursRequestSchema,
    PageArgs,
    RecordPageSchema,
    VerificationSchema,
)
from app.service.services import ServiceError
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_service", __name__, "/t/<tenant>/service",
                    "Service records, hours, corrections and certificates")


def _member():
    tenant = current_tenant()
    require("service.own.view", tenant)
    return tenant


def member_required(view):
    """Checked before the request body is read: strangers to the tenant get 403, not 422."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        _member()
        return view(*args, **kwargs)

    return wrapper


#: Runs login first, then membership, then the method (and its argument parsing).
MEMBER = [member_required, login_required]


@blp.route("/records")
class Records(MethodView):
    decorators = MEMBER

    @blp.arguments(PageArgs, location="query")
    @blp.response(200, RecordPageSchema)
    def get(self, args):
        """My service records, newest first."""
        tenant = _member()
        page = db.paginate(standing.records_query(tenant.id, current_user.id),
                           page=args["page"], per_page=args["per_page"], error_out=False)
        return {"total": page.total, "page": page.page, "per_page": page.per_page,
                "items": page.items}


@blp.route("/dashboard")
class Dashboard(MethodView):
    decorators = MEMBER

    @blp.response(200, DashboardSchema)
    def get(self):
        """My verified hours (total, this year, by organization and category), stars, points."""
        tenant = _member()
        f = standing.dashboard(tenant, current_user.id)
        return {
            "total_minutes": f.total_minutes, "year_minutes": f.year_minutes,
            "record_count": f.record_count, "stars": f.stars,
            "minutes_to_next_star": f.to_next_star, "star_thresholds_hours": f.thresholds,
            "points": f.points, "open_records": f.open_records,
            "pending_requests": f.pending_requests,
            "by_organization": [{"name": n, "minutes": m, "records": c} for n, m, c in f.by_org],
            "by_category": [{"category": c, "minutes": m} for c, m in f.by_category],
        }


@blp.route("/corrections")
class Corrections(MethodView):
    decorators = MEMBER

    @blp.response(200, HoursRequestSchema(many=True))
    def get(self):
        """My requests to add or correct hours, with their decisions."""
        tenant = _member()
        return standing.requests_of(tenant.id, current_user.id, limit=200)

    @blp.arguments(CorrectionInSchema)
    @blp.response(201, HoursRequestSchema)
    def post(self, data):
        """Ask for a correction of my record, or for hours on a shift I served unrecorded."""
        _member()
        if data["record_id"]:
            record = get_or_404(ServiceRecord, data["record_id"])
            require("service.request_correction", record)
            shift = record.shift
            if shift is None:
                return json_error(422, _("This record was imported from another system; please "
                                         "ask the organization that recorded it to correct it."))
        elif data["shift_id"]:
            shift = get_or_404(Shift, data["shift_id"])
        else:
            return json_error(422, errors={"record_id": ["record_id or shift_id is required"]})
        try:
            request = corrections.propose(
                shift, current_user, current_user, starts_at=data["starts_at"],
                ends_at=data["ends_at"], no_service=data["no_service"], reason=data["reason"])
        except ServiceError as exc:
            db.session.rollback()
            return json_error(exc.status, str(exc))
        commit()
        return request


@blp.route("/certificates")
class Certificates(MethodView):
    decorators = MEMBER

    @blp.response(200, CertificateSchema(many=True))
    def get(self):
        """My certificates."""
        tenant = _member()
        return certificates.of_volunteer(tenant.id, current_user.id, limit=100)

    @blp.arguments(CertificateInSchema)
    @blp.response(201, CertificateSchema)
    def post(self, data):
        """Issue a proof of my own service for a period (free). The PDF follows."""
        from flask import request

        from workers.queue import enqueue_after_commit
        from workers.service import render_certificate

        tenant = _member()
        if data["user_id"] not in (None, current_user.id):
            return json_error(403, _("You can only request proof of your own service."))
        try:
            certificate = certificates.issue(tenant, current_user, current_user, data["date_from"],
                                             data["date_to"], base_url=request.host_url)
        except ServiceError as exc:
            db.session.rollback()
            return json_error(exc.status, str(exc))
        enqueue_after_commit(render_certificate, certificate.id, queue="exports", retry=2)
        commit()
        return certificate


@blp.route("/certificates/<number>/verification")
class Verification(MethodView):
    @blp.response(200, VerificationSchema)
    def get(self, number: str):
        """Public: is this certificate genuine and unchanged? Unknown numbers answer 404."""
        from flask import request

        result = certificates.verify(current_tenant().id, number[:40], request.args.get("c"))
        if result.certificate is None:
            abort(404)
        c = result.certificate.content
        return {
            "number": result.certificate.number, "status": result.status,
            "code_matches": result.code_matches, "issued_on": c.get("issued_on"),
            "volunteer": mask_name(c.get("volunteer", {}).get("name", "")),
            "id_number": c.get("volunteer", {}).get("id_number", ""),
            "period_from": c.get("period", {}).get("from"),
            "period_to": c.get("period", {}).get("to"),
            "total_minutes": c.get("total_minutes"), "record_count": c.get("record_count"),
            "organizations": c.get("organizations", []),
        }


def blueprints():
    return [blp]
