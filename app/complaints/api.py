"""``/api/v1/t/<tenant>/complaints``: file a complaint, my complaints, the queue of those I
handle, answer one, and the resident's verdict (satisfied, or handle it again with a reason).
Same rules as the pages."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.auth.models import Role
from app.complaints import labels, overview, services
from app.complaints.models import BODY_MAX, NAME_MAX, REASON_MAX, Complaint, ComplaintKind
from app.complaints.services import ComplaintError
from app.db import utcnow
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.orgs.models import Organization
from app.permissions import require
from app.projects.models import SlotBooking
from app.service.hours import local_date
from app.service.permissions import COORDINATING
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_complaints", __name__, "/t/<tenant>/complaints", "Complaints")


class ComplaintEscalationSchema(ma.Schema):
    round = ma.fields.Integer(required=True,
                              metadata={"description": "0 as filed, then once per reopening"})
    step = ma.fields.Integer(required=True)
    level = ma.fields.String(required=True,
                             metadata={"description": "the area's level (社区, 街道…) or bureau"})
    area = ma.fields.String(allow_none=True, metadata={"description": "null: the bureau"})
    at = ma.fields.DateTime(required=True)


class ComplaintSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True,
                            metadata={"description": "service/organization/volunteer/process"})
    about = ma.fields.String(required=True)
    org_id = ma.fields.Integer(allow_none=True,
                               metadata={"description": "handling organization; null: the bureau"})
    handled_by = ma.fields.String(required=True)
    area = ma.fields.String(allow_none=True)
    body = ma.fields.String(required=True)
    status = ma.fields.String(required=True,
                              metadata={"description": "open/answered/satisfied/reopened"})
    status_label = ma.fields.String(required=True)
    due_on = ma.fields.Date(required=True, metadata={"description": "last day to answer"})
    overdue = ma.fields.Boolean(required=True)
    escalated = ma.fields.Boolean(required=True,
                                  metadata={"description": "the bureau was told of it"})
    escalation_level = ma.fields.String(
        allow_none=True, metadata={"description": "where this round's escalation stands: the "
                                   "area's level (社区, 街道…) or bureau; null: not escalated"})
    escalated_to = ma.fields.String(allow_none=True)
    escalations = ma.fields.List(ma.fields.Nested(ComplaintEscalationSchema), required=True)
    handler = ma.fields.String(allow_none=True)
    answer = ma.fields.String(required=True)
    answered_at = ma.fields.DateTime(allow_none=True)
    reopen_reason = ma.fields.String(required=True)
    created_at = ma.fields.DateTime(required=True)


def _about(c: Complaint) -> str:
    if c.kind == ComplaintKind.SERVICE and c.booking is not None:
        return c.booking.slot.project.name
    if c.kind == ComplaintKind.VOLUNTEER:
        return c.volunteer.name if c.volunteer else c.volunteer_name
    if c.kind == ComplaintKind.ORGANIZATION and c.org is not None:
        return c.org.name
    return str(labels.KIND[c.kind])


def _level(step) -> str:
    return step.area.level if step.area is not None else "bureau"


def _out(c: Complaint) -> dict:
    reached = c.reached
    return {"id": c.id, "kind": c.kind, "about": _about(c), "org_id": c.org_id,
            "handled_by": c.org.name if c.org else str(labels.BUREAU),
            "area": c.area.name if c.area else None, "body": c.body, "status": c.status,
            "status_label": str(labels.STATUS[c.status]), "due_on": c.due_on,
            "overdue": c.is_overdue(local_date(utcnow())), "escalated": c.escalated,
            "escalation_level": _level(reached) if reached else None,
            "escalated_to": labels.escalated_to(reached) if reached else None,
            "escalations": [{"round": e.round, "step": e.step, "level": _level(e),
                             "area": e.area.name if e.area else None, "at": e.created_at}
                            for e in c.escalations],
            "handler": c.handler.name if c.handler else None, "answer": c.answer,
            "answered_at": c.answered_at, "reopen_reason": c.reopen_reason,
            "created_at": c.created_at}


class ComplaintInSchema(ma.Schema):
    kind = ma.fields.String(required=True,
                            validate=ma.validate.OneOf([k.value for k in ComplaintKind]))
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=BODY_MAX))
    booking_id = ma.fields.Integer(load_default=None, strict=True,
                                   metadata={"description": "about a service received"})
    org_id = ma.fields.Integer(load_default=None, strict=True)
    area_id = ma.fields.Integer(load_default=None, strict=True)
    volunteer_id = ma.fields.Integer(load_default=None, strict=True,
                                     metadata={"description": "one who served on the booking"})
    volunteer_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=NAME_MAX))


class ComplaintAnswerInSchema(ma.Schema):
    answer = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=BODY_MAX))


class ComplaintVerdictInSchema(ma.Schema):
    satisfied = ma.fields.Boolean(required=True)
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=REASON_MAX),
                              metadata={"description": "why not satisfied (required then)"})


def _tenant_check(action: str):
    """Checked before the request body is read: strangers to the tenant get 403, not 422."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(action, current_tenant())
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _refused(exc: ComplaintError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


def _named(model, ident):
    return get_or_404(model, ident) if ident is not None else None


@blp.route("")
class Complaints(MethodView):
    decorators = [_tenant_check("complaint.file"), login_required]

    @blp.response(200, ComplaintSchema(many=True))
    def get(self):
        """My complaints, newest first."""
        tenant = current_tenant()
        return [_out(c) for c in db.session.scalars(overview.mine(tenant.id, current_user.id))]

    @blp.arguments(ComplaintInSchema)
    @blp.response(201, ComplaintSchema)
    def post(self, data):
        """File a complaint about a service (``booking_id``), an organization (``org_id``),
        a volunteer (``volunteer_name``, and ``org_id`` if known) or the process."""
        tenant = current_tenant()
        try:
            complaint = services.file(
                tenant, current_user, kind=data["kind"], body=data["body"],
                booking=_named(SlotBooking, data["booking_id"]),
                org=_named(Organization, data["org_id"]), area=_named(Area, data["area_id"]),
                volunteer_id=data["volunteer_id"], volunteer_name=data["volunteer_name"])
        except ComplaintError as exc:
            return _refused(exc)
        commit()
        return _out(complaint)


@blp.route("/queue")
class Queue(MethodView):
    decorators = [_tenant_check("complaint.queue.view"), login_required]

    @blp.response(200, ComplaintSchema(many=True))
    def get(self):
        """Complaints my organizations (or, for a bureau officer, the bureau) handle that are
        not settled: waiting for an answer first, soonest due first."""
        tenant = current_tenant()
        stmt = overview.queue(tenant.id, current_user.org_ids(tenant.id, *COORDINATING),
                              current_user.has_role(tenant.id, Role.BUREAU_OFFICER))
        return [_out(c) for c in db.session.scalars(stmt)]


@blp.route("/<int:complaint_id>")
class ComplaintResource(MethodView):
    decorators = [guard(Complaint, "complaint.view"), login_required]

    @blp.response(200, ComplaintSchema)
    def get(self, complaint):
        return _out(complaint)


@blp.route("/<int:complaint_id>/answer")
class Answer(MethodView):
    decorators = [guard(Complaint, "complaint.handle"), login_required]

    @blp.arguments(ComplaintAnswerInSchema)
    @blp.response(200, ComplaintSchema)
    def post(self, data, complaint):
        """Answer the resident (once per round; the resident then gives the verdict)."""
        try:
            services.answer(complaint, current_user, data["answer"])
        except ComplaintError as exc:
            return _refused(exc)
        commit()
        return _out(complaint)


@blp.route("/<int:complaint_id>/verdict")
class Verdict(MethodView):
    decorators = [guard(Complaint, "complaint.verdict"), login_required]

    @blp.arguments(ComplaintVerdictInSchema)
    @blp.response(200, ComplaintSchema)
    def post(self, data, complaint):
        """The resident is satisfied (closed), or not: handled again with the reason and a
        new deadline, and escalated to the bureau."""
        try:
            if data["satisfied"]:
                services.satisfied(complaint, current_user)
            else:
                services.reopen(complaint, current_user, data["reason"])
        except ComplaintError as exc:
            return _refused(exc)
        commit()
        return _out(complaint)


def blueprints():
    return [blp]
