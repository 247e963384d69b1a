"""API shapes for projects, shifts, slots and sign-ups. Money leaves as yuan strings
("300.00"), times as ISO 8601 with their offset; naive input times are Asia/Shanghai."""

from __future__ import annotations

import marshmallow as ma

from app import fields
from app.money import to_yuan


class BudgetLineSchema(ma.Schema):
    line = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    amount = fields.Yuan(required=True, allow_zero=True, metadata={
        "description": "yuan, decimal string, at least zero, at most two decimals",
        "example": "300.00"})


class PlaceSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    project_id = ma.fields.Integer(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    place = ma.fields.String(required=True)
    capacity = ma.fields.Integer(required=True)
    confirmed_count = ma.fields.Integer(required=True)
    remaining = ma.fields.Integer(required=True)
    cancelled = ma.fields.Boolean(attribute="is_cancelled")


class ShiftSchema(PlaceSchema):
    required_skills = ma.fields.String()
    insurance_required = ma.fields.Boolean()


class SlotSchema(PlaceSchema):
    target_group = ma.fields.String(allow_none=True)


class ProjectSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    org_name = ma.fields.Function(lambda p: p.org.name)
    status = ma.fields.String(required=True, metadata={"description": "draft / published / closed / cancelled"})
    name = ma.fields.String(required=True)
    category = ma.fields.String(required=True)
    area_id = ma.fields.Integer(allow_none=True)
    target_groups = ma.fields.List(ma.fields.String())
    theme = ma.fields.String()
    highlights = ma.fields.String()
    content = ma.fields.String()
    schedule = ma.fields.String()
    expected_outcomes = ma.fields.String()
    team_roles = ma.fields.String()
    budget_lines = ma.fields.Function(lambda p: [
        {"line": b["line"], "amount": str(to_yuan(b["amount_fen"]))} for b in p.budget_lines])
    safety_plan = ma.fields.String()
    cancel_deadline_hours = ma.fields.Integer()
    published_at = ma.fields.AwareDateTime(allow_none=True)
    closing_report = ma.fields.String()
    cancel_reason = ma.fields.String()
    shifts = ma.fields.List(ma.fields.Nested(ShiftSchema))
    slots = ma.fields.List(ma.fields.Nested(SlotSchema))


class ProjectInSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    category = ma.fields.String(required=True)
    area_id = ma.fields.Integer(load_default=None, allow_none=True)
    target_groups = ma.fields.List(ma.fields.String(), load_default=list)
    theme = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    highlights = ma.fields.String(load_default="")
    content = ma.fields.String(load_default="")
    schedule = ma.fields.String(load_default="")
    expected_outcomes = ma.fields.String(load_default="")
    team_roles = ma.fields.String(load_default="")
    budget_lines = ma.fields.List(ma.fields.Nested(BudgetLineSchema), load_default=list)
    safety_plan = ma.fields.String(load_default="")
    cancel_deadline_hours = ma.fields.Integer(load_default=24)


class PlaceInSchema(ma.Schema):
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    place = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    capacity = ma.fields.Integer(required=True)
    required_skills = ma.fields.String(load_default="", metadata={"description": "shifts only"})
    insurance_required = ma.fields.Boolean(load_default=False, metadata={"description": "shifts only"})
    target_group = ma.fields.String(load_default=None, allow_none=True,
                                    metadata={"description": "slots only"})


class ScopeArgs(ma.Schema):
    scope = ma.fields.String(load_default="this", validate=ma.validate.OneOf(
        ["this", "following", "all"]), metadata={
        "description": "a date of a recurring schedule: this one, it and the ones after it, "
                       "or every date still to come"})


class ReasonSchema(ma.Schema):
    reason = ma.fields.String(required=True)


class ClosingSchema(ma.Schema):
    report = ma.fields.String(required=True)


class PhotosSchema(ma.Schema):
    photos = ma.fields.List(ma.fields.Raw(metadata={"type": "string", "format": "binary"}),
                            load_default=list)


class SignupSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"description": "confirmed / waitlisted / cancelled"})
    position = ma.fields.Integer(allow_none=True, metadata={"description": "place on the waitlist"})
    queued_at = ma.fields.AwareDateTime()
    shift_id = ma.fields.Integer(allow_none=True)
    slot_id = ma.fields.Integer(allow_none=True)


class RosterEntrySchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    phone = ma.fields.String(allow_none=True, metadata={"description": "masked"})
    status = ma.fields.String(required=True)
