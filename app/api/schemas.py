"""Schemas shared by every API module."""

from __future__ import annotations

import marshmallow as ma


class ErrorSchema(ma.Schema):
    code = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    message = ma.fields.String()
    errors = ma.fields.Dict()


class GrantSchema(ma.Schema):
    tenant = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    org_id = ma.fields.Integer(allow_none=True)


class MeSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    phone = ma.fields.String(allow_none=True, metadata={"description": "masked"})
    email = ma.fields.String(allow_none=True, metadata={"description": "masked"})
    roles = ma.fields.List(ma.fields.Nested(GrantSchema), required=True)


class AreaSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    parent_id = ma.fields.Integer(allow_none=True)
    name = ma.fields.String(required=True)
    level = ma.fields.String(required=True)


class VolunteerProfileSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    real_name = ma.fields.String(required=True)
    gender = ma.fields.String(required=True)
    birth_date = ma.fields.Date(required=True)
    id_number = ma.fields.String(required=True, attribute="masked_id_number")
    phone = ma.fields.String(required=True, attribute="masked_phone")
    area_id = ma.fields.Integer(allow_none=True)
    skills = ma.fields.String()
    service_categories = ma.fields.List(ma.fields.String())
    insured_until = ma.fields.Date(allow_none=True, attribute="insurance_expires")
