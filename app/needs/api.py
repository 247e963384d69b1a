"""``/api/v1/t/<tenant>/needs``: post a need (for oneself or on a resident's behalf), my
needs, the organization's queue, claim (an organization, or a volunteer in person), give back,
meet, confirm and rate; the public wish wall of a community. Same rules as the pages."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required
from sqlalchemy import or_

from app import fields
from app.api import api_blueprint
from app.db import utcnow
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.needs import labels, overview, routing, services
from app.needs.models import REASON_MAX, WHAT_MAX, LinkKind, Need, Urgency
from app.needs.services import NeedError
from app.orgs.apiutil import guard
from app.orgs.models import Organization
from app.permissions import require
from app.privacy import mask_name, mask_phone
from app.service.permissions import COORDINATING
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped

blp = api_blueprint("api_needs", __name__, "/t/<tenant>/needs", "Residents' needs")


class EscalationSchema(ma.Schema):
    step = ma.fields.Integer(required=True)
    area = ma.fields.String(allow_none=True, metadata={"description": "None: the bureau"})
    at = ma.fields.DateTime(required=True)


class NeedSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    what = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    target_group = ma.fields.String(required=True)
    area_id = ma.fields.Integer(required=True)
    area = ma.fields.String(required=True)
    wanted_on = ma.fields.Date(allow_none=True)
    urgency = ma.fields.String(required=True, metadata={"description": "routine/soon/urgent"})
    due_at = ma.fields.DateTime(required=True)
    overdue = ma.fields.Boolean(required=True)
    status = ma.fields.String(required=True,
                              metadata={"description": "open/claimed/met/confirmed"})
    status_label = ma.fields.String(required=True)
    on_wall = ma.fields.Boolean(required=True)
    resident = ma.fields.String(required=True, metadata={"description": "masked name"})
    resident_phone = ma.fields.String(required=True, metadata={"description": "masked"})
    on_behalf = ma.fields.Boolean(required=True)
    claimed_org_id = ma.fields.Integer(allow_none=True)
    claimed_org = ma.fields.String(allow_none=True)
    claimed_volunteer = ma.fields.String(
        allow_none=True, metadata={"description": "the volunteer who took it on in person"})
    escalations = ma.fields.List(ma.fields.Nested(EscalationSchema), required=True)
    call_id = ma.fields.Integer(allow_none=True,
                                metadata={"description": "the call for proposals it is in"})
    met_kind = ma.fields.String(allow_none=True)
    met_note = ma.fields.String(required=True)
    rating = ma.fields.Integer(allow_none=True)


def _out(need: Need) -> dict:
    return {"id": need.id, "what": need.what, "category": need.category,
            "target_group": need.target_group, "area_id": need.area_id, "area": need.area.name,
            "wanted_on": need.wanted_on, "urgency": need.urgency, "due_at": need.due_at,
            "overdue": need.is_overdue(utcnow()), "status": need.status,
            "status_label": str(labels.STATUS[need.status]), "on_wall": need.on_wall,
            "resident": mask_name(need.resident_name),
            "resident_phone": mask_phone(need.resident_phone), "on_behalf": need.on_behalf,
            "claimed_org_id": need.claimed_org_id,
            "claimed_org": need.claimed_org.name if need.claimed_org else None,
            "claimed_volunteer": (need.claimed_volunteer.name if need.claimed_volunteer
                                  else None),
            "escalations": [{"step": e.step, "area": e.area.name if e.area else None,
                             "at": e.created_at} for e in need.escalations],
            "call_id": need.call_id,
            "met_kind": need.met_kind, "met_note": need.met_note, "rating": need.rating}


_text = ma.validate.Length(min=1, max=WHAT_MAX)


class NeedInSchema(ma.Schema):
    what = ma.fields.String(required=True, validate=_text)
    category = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    target_group = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    area_id = ma.fields.Integer(required=True, strict=True)
    wanted_on = fields.Date(load_default=None)
    urgency = ma.fields.String(load_default="routine",
                               validate=ma.validate.OneOf([u.value for u in Urgency]))
    on_wall = ma.fields.Boolean(load_default=False)
    for_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=60),
                                metadata={"description": "posting on a resident's behalf"})
    for_phone = ma.fields.String(load_default="", validate=ma.validate.Length(max=20))


class ClaimInSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True, strict=True)


class DeclineInSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=REASON_MAX))


class MeetInSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf([k.value for k in LinkKind]))
    object_id = ma.fields.Integer(load_default=None, strict=True)
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=REASON_MAX))


class ConfirmInSchema(ma.Schema):
    rating = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5))
    comment = ma.fields.String(load_default="", validate=ma.validate.Length(max=REASON_MAX))


class WishSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    what = ma.fields.String(required=True)
    who = ma.fields.String(required=True, metadata={"description": "masked name"})
    area = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    status_label = ma.fields.String(required=True)
    rating = ma.fields.Integer(allow_none=True)


def _tenant_check(action: str):
    """Checked before the request body is read: strangers to the tenant get 403, not 422."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(action, current_tenant())
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _refused(exc: NeedError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


@blp.route("")
class Needs(MethodView):
    decorators = [_tenant_check("need.post"), login_required]

    @blp.response(200, NeedSchema(many=True))
    def get(self):
        """Needs I posted or that were posted for me, newest first."""
        tenant = current_tenant()
        require("need.post", tenant)
        return [_out(n) for n in db.session.scalars(
            scoped(Need, or_(Need.resident_id == current_user.id,
                             Need.posted_by_id == current_user.id))
            .order_by(Need.id.desc()).limit(200))]

    @blp.arguments(NeedInSchema)
    @blp.response(201, NeedSchema)
    def post(self, data):
        """Post a need; with ``for_name`` or ``for_phone``, on a resident's behalf."""
        tenant = current_tenant()
        require("need.post", tenant)
        area = get_or_404(Area, data["area_id"])
        try:
            need = services.post(tenant, current_user, what=data["what"],
                                 category=data["category"], target_group=data["target_group"],
                                 area=area, urgency=data["urgency"], on_wall=data["on_wall"],
                                 wanted_on=data["wanted_on"], for_name=data["for_name"],
                                 for_phone=data["for_phone"])
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


@blp.route("/queue")
class Queue(MethodView):
    decorators = [_tenant_check("need.queue.view"), login_required]

    @blp.response(200, NeedSchema(many=True))
    def get(self):
        """Open needs routed to my organizations, then those they have taken on."""
        tenant = current_tenant()
        require("need.queue.view", tenant)
        org_ids = current_user.org_ids(tenant.id)
        rows = list(db.session.scalars(routing.open_for(tenant.id, org_ids).limit(200)))
        rows += db.session.scalars(routing.claimed_by(tenant.id, org_ids).limit(200))
        return [_out(n) for n in rows]


@blp.route("/<int:need_id>")
class NeedResource(MethodView):
    decorators = [guard(Need, "need.view"), login_required]

    @blp.response(200, NeedSchema)
    def get(self, need):
        return _out(need)


@blp.route("/<int:need_id>/claim")
class Claim(MethodView):
    decorators = [guard(Need, "need.act"), login_required]

    @blp.arguments(ClaimInSchema)
    @blp.response(200, NeedSchema)
    def post(self, data, need):
        """Take the need on for one of my organizations (one claimant; 409 if beaten)."""
        org = get_or_404(Organization, data["org_id"])
        if org.id not in current_user.org_ids(need.tenant_id, *COORDINATING):
            return json_error(403)
        try:
            services.claim(need, org, current_user)
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


@blp.route("/<int:need_id>/take")
class Take(MethodView):
    decorators = [guard(Need, "need.view"), login_required]

    @blp.response(200, NeedSchema)
    def post(self, need):
        """A volunteer takes a wish from the wish wall on in person (one claimant; 409 if
        beaten); the resident is told their name."""
        try:
            services.claim_in_person(need, current_user)
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


# Reaching each other once a wish is taken on in person: listed right after taking it on.
from app.needs import contactapi  # noqa: E402,F401  (its routes are on this blueprint)


@blp.route("/<int:need_id>/decline")
class Decline(MethodView):
    decorators = [guard(Need, "need.act"), login_required]

    @blp.arguments(DeclineInSchema)
    @blp.response(200, NeedSchema)
    def post(self, data, need):
        """Give the need back, with a reason: it is open again for every organization."""
        try:
            services.decline(need, current_user, data["reason"],
                             current_user.org_ids(need.tenant_id, *COORDINATING))
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


@blp.route("/<int:need_id>/meet")
class Meet(MethodView):
    decorators = [guard(Need, "need.act"), login_required]

    @blp.arguments(MeetInSchema)
    @blp.response(200, NeedSchema)
    def post(self, data, need):
        """Mark the need met: by a booking, shift or project of the organization, or a note."""
        try:
            services.meet(need, current_user, current_user.org_ids(need.tenant_id, *COORDINATING),
                          data["kind"], data["object_id"], data["note"])
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


@blp.route("/<int:need_id>/confirm")
class Confirm(MethodView):
    decorators = [guard(Need, "need.confirm"), login_required]

    @blp.arguments(ConfirmInSchema)
    @blp.response(200, NeedSchema)
    def post(self, data, need):
        """The resident confirms the need was met and rates it 1 to 5."""
        try:
            services.confirm(need, current_user, data["rating"], data["comment"])
        except NeedError as exc:
            return _refused(exc)
        commit()
        return _out(need)


@blp.route("/wall/<int:area_id>")
class Wall(MethodView):
    @blp.response(200, WishSchema(many=True))
    def get(self, area_id: int):
        """A community's wish wall, public, with names masked."""
        community = get_or_404(Area, area_id)
        return [{"id": w.id, "what": w.what, "who": w.who, "area": w.area, "category": w.category,
                 "status": w.status, "status_label": str(labels.STATUS[w.status]),
                 "rating": w.rating} for w in overview.wall(community)]


def blueprints():
    return [blp]
