"""API schemas of the service domain. Times are ISO 8601 with offset; naive input is read as
Beijing time. Personal data stays masked."""

from __future__ import annotations

import marshmallow as ma

from app import fields


class RecordSchema(ma.Schema):
    id = ma.fields.Integer()
    shift_id = ma.fields.Integer()
    org_id = ma.fields.Integer()
    activity_name = ma.fields.String()
    activity_date = ma.fields.Date()
    place = ma.fields.String()
    content = ma.fields.String()
    category = ma.fields.String()
    organizing_unit = ma.fields.String()
    leader_name = ma.fields.String()
    scheduled_minutes = ma.fields.Integer()
    minutes = ma.fields.Integer(metadata={"description": "verified minutes (quarter hours)"})
    checked_in_at = ma.fields.AwareDateTime(allow_none=True)
    checked_out_at = ma.fields.AwareDateTime(allow_none=True)
    method = ma.fields.String(metadata={"description": "qr / coordinator / manual / correction"})
    status = ma.fields.String(metadata={"description": "open / verified / void"})
    is_late = ma.fields.Boolean()
    points = ma.fields.Integer()


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=200))


class RecordPageSchema(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(RecordSchema))


class OrgHoursSchema(ma.Schema):
    name = ma.fields.String()
    minutes = ma.fields.Integer()
    records = ma.fields.Integer()


class CategoryHoursSchema(ma.Schema):
    category = ma.fields.String()
    minutes = ma.fields.Integer()


class DashboardSchema(ma.Schema):
    total_minutes = ma.fields.Integer()
    year_minutes = ma.fields.Integer()
    record_count = ma.fields.Integer()
    stars = ma.fields.Integer()
    minutes_to_next_star = ma.fields.Integer(allow_none=True)
    star_thresholds_hours = ma.fields.List(ma.fields.Integer())
    points = ma.fields.Integer()
    open_records = ma.fields.Integer()
    pending_requests = ma.fields.Integer()
    by_organization = ma.fields.List(ma.fields.Nested(OrgHoursSchema))
    by_category = ma.fields.List(ma.fields.Nested(CategoryHoursSchema))


class HoursRequestSchema(ma.Schema):
    id = ma.fields.Integer()
    shift_id = ma.fields.Integer()
    record_id = ma.fields.Integer(allow_none=True)
    kind = ma.fields.String(metadata={"description": "manual / correction"})
    starts_at = ma.fields.AwareDateTime(allow_none=True)
    ends_at = ma.fields.AwareDateTime(allow_none=True)
    minutes = ma.fields.Integer()
    previous_minutes = ma.fields.Integer(allow_none=True)
    reason = ma.fields.String()
    status = ma.fields.String(metadata={"description": "pending / approved / rejected"})
    is_late = ma.fields.Boolean()
    decision_reason = ma.fields.String()
    created_at = ma.fields.AwareDateTime()


class CorrectionInSchema(ma.Schema):
    """A correction of one's record (``record_id``) or hours on a shift with no record."""

    record_id = ma.fields.Integer(load_default=None)
    shift_id = ma.fields.Integer(load_default=None)
    starts_at = fields.AwareDateTime(load_default=None)
    ends_at = fields.AwareDateTime(load_default=None)
    no_service = ma.fields.Boolean(load_default=False)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=1000))


class CertificateInSchema(ma.Schema):
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    user_id = ma.fields.Integer(load_default=None,
                                metadata={"description": "only your own id is accepted"})


class CertificateSchema(ma.Schema):
    id = ma.fields.Integer()
    number = ma.fields.String()
    date_from = ma.fields.Date()
    date_to = ma.fields.Date()
    total_minutes = ma.fields.Integer()
    record_count = ma.fields.Integer()
    digest = ma.fields.String()
    pdf_status = ma.fields.String()


class VerificationSchema(ma.Schema):
    number = ma.fields.String()
    status = ma.fields.String(metadata={"description": "genuine / altered"})
    code_matches = ma.fields.Boolean(allow_none=True)
    issued_on = ma.fields.String()
    volunteer = ma.fields.String(metadata={"description": "masked name"})
    id_number = ma.fields.String(metadata={"description": "masked"})
    period_from = ma.fields.String()
    period_to = ma.fields.String()
    total_minutes = ma.fields.Integer()
    record_count = ma.fields.Integer()
    organizations = ma.fields.List(ma.fields.Nested(OrgHoursSchema))
