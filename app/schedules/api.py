"""``/api/v1/t/<tenant>``: recurring schedules of a project (its organization's staff), and
signing up for every date of one (volunteers). Changing dates of a schedule is
``PATCH /shifts/<id>?scope=…`` and ``PATCH /slots/<id>?scope=…`` (``app.projects.api``)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app import fields, parsing
from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard, refused
from app.permissions import can, require
from app.projects.models import Project
from app.projects.schemas import ShiftSchema, SlotSchema
from app.projects.services import ProjectError
from app.projects.signups import SignupError
from app.schedules import rules, services
from app.schedules.models import Series
from app.schedules.signups import sign_up_all
from app.tenancy.scoping import get_or_404

blp = api_blueprint("api_schedules", __name__, "/t/<tenant>",
                    "Recurring schedules of shifts and service slots")
blp.register_error_handler(ProjectError, refused)


@blp.errorhandler(SignupError)
def _signup_refused(exc: SignupError):
    db.session.rollback()
    return json_error(409, str(exc))


class Time(ma.fields.String):
    """A time of day, ``09:30`` (Beijing time)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parsing.parse_time(value)
        except parsing.DateInputError as exc:
            raise ma.ValidationError(str(exc)) from None

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%H:%M")


class SeriesInSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["shift", "slot"]))
    starts_on = fields.Date(required=True, metadata={"description": "the first date"})
    start_time = Time(required=True, metadata={"example": "09:30"})
    duration_minutes = ma.fields.Integer(required=True)
    frequency = ma.fields.String(load_default="weekly",
                                 validate=ma.validate.OneOf(["weekly", "monthly"]))
    weekdays = ma.fields.List(ma.fields.Integer(), load_default=list,
                              metadata={"description": "weekly: 0 = Monday … 6 = Sunday"})
    interval = ma.fields.Integer(load_default=1, metadata={"description": "every n weeks or months"})
    nth = ma.fields.Integer(load_default=1, metadata={"description": "monthly: 1–4, or -1 (last)"})
    nth_weekday = ma.fields.Integer(load_default=0, metadata={"description": "monthly: 0 = Monday"})
    until = fields.Date(load_default=None, allow_none=True)
    count = ma.fields.Integer(load_default=None, allow_none=True,
                              metadata={"description": f"at most {rules.MAX_DATES}"})
    skip_holidays = ma.fields.Boolean(load_default=True)
    place = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    capacity = ma.fields.Integer(required=True)
    required_skills = ma.fields.String(load_default="", metadata={"description": "shifts only"})
    insurance_required = ma.fields.Boolean(load_default=False,
                                           metadata={"description": "shifts only"})
    target_group = ma.fields.String(load_default=None, allow_none=True,
                                    metadata={"description": "slots only"})


class PreviewSchema(ma.Schema):
    dates = ma.fields.List(ma.fields.Date(), metadata={"description": "the dates to be made"})
    past = ma.fields.List(ma.fields.Date(), metadata={"description": "already past: not made"})
    skipped = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{date, holiday}]"})
    unknown_years = ma.fields.List(ma.fields.Integer(), metadata={
        "description": "years whose official holidays are not announced yet (dates kept)"})


class SeriesSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    project_id = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    rule = ma.fields.Function(lambda s: rules.describe(s.rule))
    start_time = Time()
    duration_minutes = ma.fields.Integer()
    place = ma.fields.String()
    capacity = ma.fields.Integer()
    required_skills = ma.fields.String(metadata={"description": "shifts only"})
    insurance_required = ma.fields.Boolean(metadata={"description": "shifts only"})
    target_group = ma.fields.String(allow_none=True, metadata={"description": "slots only"})
    cancelled = ma.fields.Boolean(attribute="is_cancelled")
    cancel_reason = ma.fields.String()
    shifts = ma.fields.Function(lambda s: ShiftSchema(many=True).dump(services.dates_of(s))
                                if s.kind == "shift" else [])
    slots = ma.fields.Function(lambda s: SlotSchema(many=True).dump(services.dates_of(s))
                               if s.kind == "slot" else [])


class SeriesReasonSchema(ma.Schema):
    reason = ma.fields.String(load_default="")


class JoinedSchema(ma.Schema):
    confirmed = ma.fields.List(ma.fields.Integer(), metadata={"description": "shift ids"})
    waitlisted = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{shift_id, position}]"})
    already = ma.fields.List(ma.fields.Integer(), metadata={"description": "shift ids"})
    refused = ma.fields.List(ma.fields.Dict(), metadata={"description": "[{shift_id, reason}]"})


def _rule_and_template(payload: dict) -> tuple[rules.Rule, services.Template]:
    rule = rules.Rule(starts_on=payload["starts_on"], frequency=payload["frequency"],
                      interval=payload["interval"], weekdays=tuple(payload["weekdays"]),
                      nth=payload["nth"], nth_weekday=payload["nth_weekday"],
                      until=payload["until"], count=payload["count"],
                      skip_holidays=payload["skip_holidays"])
    template = services.Template(
        start_time=payload["start_time"], duration_minutes=payload["duration_minutes"],
        place=payload["place"], capacity=payload["capacity"],
        required_skills=payload["required_skills"],
        insurance_required=payload["insurance_required"], target_group=payload["target_group"])
    return rule, template


@blp.route("/projects/<int:project_id>/series")
class ProjectSeries(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(SeriesInSchema)
    @blp.response(201, SeriesSchema)
    def post(self, payload, project: Project):
        """A recurring schedule and a shift or slot for each of its dates still to come (at
        most 200 dates; official holidays skipped unless ``skip_holidays`` is false)."""
        series = services.create(project, current_user, payload["kind"],
                                 *_rule_and_template(payload))
        commit()
        return series


@blp.route("/projects/<int:project_id>/series/preview")
class SeriesPreview(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(SeriesInSchema)
    @blp.response(200, PreviewSchema)
    def post(self, payload, project: Project):
        """The dates a schedule would have, without making anything."""
        plan = services.plan(project, payload["kind"], *_rule_and_template(payload))
        return {"dates": plan.ahead, "past": plan.past, "unknown_years": plan.found.unknown_years,
                "skipped": [{"date": d.isoformat(), "holiday": name}
                            for d, name in plan.found.skipped]}


@blp.route("/series/<int:series_id>", methods=["GET"])
class SeriesResource(MethodView):
    decorators = [login_required]

    @blp.response(200, SeriesSchema)
    def get(self, series_id: int):
        """A schedule with its dates still to come (its organization and oversight)."""
        series = get_or_404(Series, series_id)
        require("org.view_internal", series)
        return series


@blp.route("/series/<int:series_id>/generation")
class Generation(MethodView):
    decorators = [login_required]

    @guard(Series, "project.manage")
    @blp.response(200, SeriesSchema)
    def post(self, series: Series):
        """Make the missing dates still to come; the dates made already stay as they are."""
        services.generate(series)
        commit()
        return series


@blp.route("/series/<int:series_id>/cancellation")
class Cancellation(MethodView):
    decorators = [login_required]

    @guard(Series, "project.manage")
    @blp.arguments(SeriesReasonSchema)
    @blp.response(200, SeriesSchema)
    def post(self, payload, series: Series):
        """Cancel every date still to come; everyone signed up is told once, with the reason."""
        services.cancel(series, payload["reason"])
        commit()
        return series


@blp.route("/series/<int:series_id>/signups")
class SeriesSignups(MethodView):
    decorators = [login_required]

    @blp.response(201, JoinedSchema)
    def post(self, series_id: int):
        """Sign up for every date still to come: each date confirms or waitlists on its own
        (409 when no date could be taken)."""
        series = get_or_404(Series, series_id)
        if not can("project.view", series.project):
            abort(404)
        require("place.signup", series)
        joined = sign_up_all(current_user, series)
        commit()
        return {"confirmed": [s.id for s in joined.confirmed],
                "waitlisted": [{"shift_id": s.id, "position": n} for s, n in joined.waitlisted],
                "already": [s.id for s in joined.already],
                "refused": [{"shift_id": s.id, "reason": why} for s, why in joined.refused]}


def blueprints():
    return [blp]
