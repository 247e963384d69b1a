"""API shapes for organizations, staff and invitations. Phone numbers leave masked."""

from __future__ import annotations

import marshmallow as ma

from app.auth.models import ORG_ROLES


class OrgSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    credit_code = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "统一社会信用代码; null for a community group filed (备案) with the street"})
    standing = ma.fields.String(metadata={"description": "registered / filed"})
    kind = ma.fields.String(required=True)
    status = ma.fields.String(required=True, metadata={"description": "pending / verified / rejected"})
    description = ma.fields.String()
    legal_representative = ma.fields.String()
    contact_name = ma.fields.String()
    contact_phone = ma.fields.String(attribute="masked_contact_phone", metadata={"description": "masked"})
    area_ids = ma.fields.List(ma.fields.Integer())
    parent_id = ma.fields.Integer(allow_none=True)
    is_incubator = ma.fields.Boolean()
    rejection_reason = ma.fields.String(metadata={"description": "why the bureau did not approve"})


class OrgInSchema(ma.Schema):
    """Registration and edits. On registration, send ``multipart/form-data`` with the
    certificate file; edits are JSON."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    credit_code = ma.fields.String(required=True, validate=ma.validate.Length(max=30))
    kind = ma.fields.String(required=True)
    legal_representative = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    contact_phone = ma.fields.String(required=True, validate=ma.validate.Length(max=20))
    contact_email = ma.fields.Email(load_default=None, allow_none=True)
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))
    area_ids = ma.fields.List(ma.fields.Integer(), load_default=list)
    parent_id = ma.fields.Integer(load_default=None, allow_none=True)
    is_incubator = ma.fields.Boolean(load_default=False)


class OrgCertificateSchema(ma.Schema):
    certificate = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


class OrgVerificationSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["approve", "reject"]))
    reason = ma.fields.String(load_default="")


class InviteSchema(ma.Schema):
    account = ma.fields.String(required=True, metadata={"description": "mobile number or email"})
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(sorted(r.value for r in ORG_ROLES)))


class InvitationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    org_id = ma.fields.Integer(required=True)
    role = ma.fields.String(required=True)
    status = ma.fields.String(required=True)


class StaffSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    phone = ma.fields.String(allow_none=True, metadata={"description": "masked"})
    roles = ma.fields.List(ma.fields.String())
