"""``/api/v1/t/<tenant>``: search and read projects (public), sign up for shifts and book
service slots (signed in), my sign-ups."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required
from sqlalchemy import select

from app import fields
from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.marketplace import cache, services
from app.orgs.apiutil import guard
from app.permissions import can, require
from app.projects import signups
from app.projects.models import Project, ServiceSlot, Shift, ShiftSignup, SlotBooking
from app.projects.schemas import ProjectSchema, SignupSchema
from app.projects.signups import SignupError
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_market", __name__, "/t/<tenant>",
                    "The marketplace: search projects, sign up for shifts, book service slots")


@blp.errorhandler(SignupError)
def _refused(exc: SignupError):
    db.session.rollback()
    return json_error(409, str(exc))


class SearchArgs(ma.Schema):
    q = ma.fields.String(load_default="", metadata={"description": "words, each matched as a substring"})
    category = ma.fields.String(load_default="")
    area = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=2**31 - 1),
                             metadata={"description": "an area and all areas in it"})
    group = ma.fields.String(load_default="", metadata={"description": "target group"})
    org = ma.fields.Integer(load_default=None, validate=ma.validate.Range(min=1, max=2**31 - 1))
    from_ = fields.Date(load_default=None, data_key="from")
    to = fields.Date(load_default=None)
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))


class CardSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    theme = ma.fields.String()
    category = ma.fields.String()
    org_id = ma.fields.Integer()
    org_name = ma.fields.String()
    area_name = ma.fields.String(allow_none=True)
    target_groups = ma.fields.List(ma.fields.String())
    next_start = ma.fields.AwareDateTime(allow_none=True)
    shift_places = ma.fields.Integer(metadata={"description": "volunteer places left"})
    slot_places = ma.fields.Integer(metadata={"description": "service places left"})


class ResultsSchema(ma.Schema):
    total = ma.fields.Integer(metadata={"description": "at most 1000; see capped"})
    capped = ma.fields.Boolean()
    page = ma.fields.Integer()
    pages = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(CardSchema), attribute="cards")


class BookingArgs(ma.Schema):
    declared_group = ma.fields.String(load_default=None, allow_none=True,
                                      metadata={"description": "for a slot reserved to a group"})


class MySignupsSchema(ma.Schema):
    shifts = ma.fields.List(ma.fields.Nested(SignupSchema))
    slots = ma.fields.List(ma.fields.Nested(SignupSchema))


def _fields(row) -> dict:
    return {"id": row.id, "status": row.status, "queued_at": row.queued_at,
            "shift_id": getattr(row, "shift_id", None), "slot_id": getattr(row, "slot_id", None)}


def _out(row) -> dict:
    return {**_fields(row), "position": signups.waitlist_position(row)}


def _committed(row) -> dict:
    """Describe a new sign-up and commit it. Its place in line was counted as it was
    written, while the place's row was locked: everyone ahead was already written."""
    out = {**_fields(row), "position": row.queue_position}
    commit()
    return out


@blp.route("/projects")
class Search(MethodView):
    @blp.arguments(SearchArgs, location="query")
    @blp.response(200, ResultsSchema)
    def get(self, args):
        """Published projects matching the words and filters, newest first, 20 a page."""
        tenant = current_tenant()
        f = services.Filters(q=args["q"][:100], category=args["category"], area_id=args["area"],
                             group=args["group"], org_id=args["org"], date_from=args["from_"],
                             date_to=args["to"], page=args["page"])
        return cache.cached(("results", tenant.id, f), lambda: services.search(tenant, f))


@blp.route("/projects/<int:project_id>", methods=["GET"])
class ProjectPublic(MethodView):
    @blp.response(200, ProjectSchema)
    def get(self, project_id: int):
        """A project with its shifts and slots (drafts only to their organization and oversight)."""
        project = get_or_404(Project, project_id)
        if not can("project.view", project):
            abort(404)
        return project


def _mine(model, fk, place_id: int):
    row = db.session.scalar(select(model).where(fk == place_id, model.user_id == current_user.id))
    if row is None:
        abort(404)
    require("signup.withdraw", row)
    return row


@blp.route("/shifts/<int:shift_id>/signup")
class ShiftSignupResource(MethodView):
    decorators = [login_required]

    @blp.response(201, SignupSchema)
    def post(self, shift_id: int):
        """Take a place, or join the waitlist when the shift is full (409 with the reason if refused)."""
        shift = services.place_or_404(Shift, shift_id)
        require("place.signup", shift)
        return _committed(signups.sign_up(current_user, shift))

    @blp.response(200, SignupSchema)
    def delete(self, shift_id: int):
        """Give up the place (until the project's deadline) or leave the waitlist."""
        shift = services.place_or_404(Shift, shift_id)
        row = signups.withdraw(_mine(ShiftSignup, ShiftSignup.shift_id, shift.id))
        commit()
        return _out(row)


@blp.route("/slots/<int:slot_id>/booking")
class SlotBookingResource(MethodView):
    decorators = [login_required]

    @guard(ServiceSlot, "place.signup", "slot_id")
    @blp.arguments(BookingArgs)
    @blp.response(201, SignupSchema)
    def post(self, args, slot: ServiceSlot):
        return _committed(signups.book(current_user, slot, args["declared_group"]))

    @blp.response(200, SignupSchema)
    def delete(self, slot_id: int):
        slot = services.place_or_404(ServiceSlot, slot_id)
        row = signups.withdraw(_mine(SlotBooking, SlotBooking.slot_id, slot.id))
        commit()
        return _out(row)


@blp.route("/my/signups")
class MySignups(MethodView):
    decorators = [login_required]

    @blp.response(200, MySignupsSchema)
    def get(self):
        """My shifts and my bookings here, soonest first (cancelled ones left out)."""
        tenant = current_tenant()
        return {"shifts": [_out(r) for r in signups.mine(current_user, tenant, ShiftSignup)],
                "slots": [_out(r) for r in signups.mine(current_user, tenant, SlotBooking)]}


class MatchSchema(ma.Schema):
    shift_id = ma.fields.Integer(required=True)
    project_id = ma.fields.Integer(required=True)
    project = ma.fields.String(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    place = ma.fields.String(required=True)
    places_left = ma.fields.Integer(required=True)
    score = ma.fields.Integer(required=True, metadata={"description": "higher: a better match"})
    reasons = ma.fields.List(ma.fields.String(), required=True,
                             metadata={"description": "why it suits you, in plain words"})


@blp.route("/my/shifts-for-me")
class ShiftsForMe(MethodView):
    decorators = [login_required]

    @blp.response(200, MatchSchema(many=True))
    def get(self):
        """Open shifts that suit me (skills, kinds of service, area, my free times), best match
        first."""
        from app.db import utcnow
        from app.marketplace.matching import for_volunteer

        return [{"shift_id": m.shift.id, "project_id": m.project.id, "project": m.project.name,
                 "starts_at": m.shift.starts_at, "ends_at": m.shift.ends_at,
                 "place": m.shift.place, "places_left": m.shift.remaining, "score": m.score,
                 "reasons": [str(r) for r in m.reasons]}
                for m in for_volunteer(current_tenant(), current_user, utcnow())]


def blueprints():
    return [blp]
