"""``/api/v1/t/<tenant>/organizations``: registration, verification, staff, invitations.
The same permission rules and services as the pages."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.orgs import services, staff, uploads
from app.orgs.apiutil import guard, refused
from app.orgs.models import Organization, OrgInvitation
from app.orgs.schemas import (
    InvitationSchema,
    InviteSchema,
    OrgCertificateSchema,
    OrgInSchema,
    OrgSchema,
    OrgVerificationSchema,
    StaffSchema,
)
from app.orgs.services import OrgError
from app.permissions import can, require
from app.privacy import mask_phone
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_orgs", __name__, "/t/<tenant>",
                    "Social organizations: registration, verification by the bureau, staff")


blp.register_error_handler(OrgError, refused)
blp.register_error_handler(uploads.UploadError, refused)


def _data(payload: dict) -> services.OrgData:
    return services.OrgData(**payload)


@blp.route("/organizations")
class Organizations(MethodView):
    @blp.response(200, OrgSchema(many=True))
    def get(self):
        """Verified organizations (public)."""
        return services.verified(current_tenant())

    @login_required
    @blp.arguments(OrgInSchema, location="form")
    @blp.arguments(OrgCertificateSchema, location="files")
    @blp.response(201, OrgSchema)
    def post(self, payload, files):
        """Register an organization (multipart form with ``certificate``); you become its admin."""
        tenant = current_tenant()
        require("org.register", tenant)
        upload = files.get("certificate")
        certificate = uploads.check(upload.stream, upload.filename) if upload else None
        org = services.register(tenant, current_user, _data(payload), certificate)
        commit()
        return org


@blp.route("/organizations/pending")
class PendingOrganizations(MethodView):
    decorators = [login_required]

    @blp.response(200, OrgSchema(many=True))
    def get(self):
        """The bureau's verification queue."""
        tenant = current_tenant()
        require("org.verify", tenant)
        return services.verification_queue(tenant)


@blp.route("/organizations/<int:org_id>", methods=["GET"])
class OrganizationPublic(MethodView):
    @blp.response(200, OrgSchema)
    def get(self, org_id: int):
        """One organization: public once verified; before, to its staff and the bureau."""
        org = get_or_404(Organization, org_id)
        if not can("org.view", org):
            abort(404)
        return org


@blp.route("/organizations/<int:org_id>", methods=["PATCH"])
class OrganizationEdit(MethodView):
    decorators = [login_required]

    @guard(Organization, "org.manage", "org_id")
    @blp.arguments(OrgInSchema(partial=True))
    @blp.response(200, OrgSchema)
    def patch(self, payload, org: Organization):
        """Edit the registration (identity is fixed once verified)."""
        services.patch(org, current_tenant(), payload)
        commit()
        return org


@blp.route("/organizations/<int:org_id>/resubmission")
class Resubmission(MethodView):
    decorators = [login_required]

    @blp.response(200, OrgSchema)
    def post(self, org_id: int):
        """Submit a rejected registration again."""
        org = get_or_404(Organization, org_id)
        require("org.manage", org)
        services.resubmit(org)
        commit()
        return org


@blp.route("/organizations/<int:org_id>/verification")
class Verification(MethodView):
    decorators = [login_required]

    @guard(Organization, "org.verify", "org_id")
    @blp.arguments(OrgVerificationSchema)
    @blp.response(200, OrgSchema)
    def post(self, payload, org: Organization):
        """The bureau approves, or rejects with a reason the organization sees."""
        if payload["decision"] == "approve":
            services.approve(org, current_user)
        else:
            services.reject(org, current_user, payload["reason"])
        commit()
        return org


@blp.route("/organizations/<int:org_id>/staff")
class Staff(MethodView):
    decorators = [login_required]

    @blp.response(200, StaffSchema(many=True))
    def get(self, org_id: int):
        org = get_or_404(Organization, org_id)
        require("org.view_internal", org)
        return [{"id": m.user.id, "name": m.user.name, "phone": mask_phone(m.user.phone) or None,
                 "roles": m.roles} for m in staff.members(org)]

    @guard(Organization, "org.manage", "org_id")
    @blp.arguments(InviteSchema)
    @blp.response(201, InvitationSchema)
    def post(self, payload, org: Organization):
        """Invite a person by mobile number or email to a staff role."""
        invitation = staff.invite(org, payload["account"], payload["role"], current_user)
        commit()
        return invitation


@blp.route("/organizations/<int:org_id>/staff/<int:staff_id>")
class StaffMember(MethodView):
    decorators = [login_required]

    @blp.response(204)
    def delete(self, org_id: int, staff_id: int):
        """Remove a person's staff roles (never the last admin)."""
        org = get_or_404(Organization, org_id)
        require("org.manage", org)
        member = next((m.user for m in staff.members(org) if m.user.id == staff_id), None)
        if member is None:
            abort(404)
        staff.remove(org, member)
        commit()


@blp.route("/invitations")
class MyInvitations(MethodView):
    decorators = [login_required]

    @blp.response(200, InvitationSchema(many=True))
    def get(self):
        """Invitations waiting for the signed-in person here."""
        return staff.invitations_for(current_user, current_tenant())


@blp.route("/invitations/<int:invitation_id>/acceptance")
class Acceptance(MethodView):
    decorators = [login_required]

    @blp.response(200, InvitationSchema)
    def post(self, invitation_id: int):
        invitation = get_or_404(OrgInvitation, invitation_id)
        require("org.invitation.respond", invitation)
        staff.accept(invitation, current_user)
        commit()
        return invitation


def blueprints():
    return [blp]
