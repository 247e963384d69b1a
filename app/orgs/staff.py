"""Organization staff: invitations by mobile number or email, acceptance, removal.

A person may serve several organizations; each role is a ``RoleGrant`` with the org.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app.auth.models import ORG_ROLES, Role, RoleGrant, User
from app.auth.services import AuthError, find_user, grant_role, normalize_account
from app.db import utcnow
from app.db_unique import claim, hold
from app.extensions import db
from app.notifications.services import notify
from app.orgs.models import InvitationStatus, Organization, OrgInvitation
from app.orgs.services import OrgError
from app.tenancy.models import Tenant

ROLE_LABELS = {Role.ORG_ADMIN: _l("Admin"), Role.ORG_COORDINATOR: _l("Coordinator"),
               Role.ORG_BOOKKEEPER: _l("Bookkeeper")}


@dataclass
class StaffMember:
    user: User
    roles: list[str]


def members(org: Organization) -> list[StaffMember]:
    grants = db.session.scalars(select(RoleGrant).where(
        RoleGrant.org_id == org.id, RoleGrant.role.in_([r.value for r in ORG_ROLES]))
        .order_by(RoleGrant.user_id, RoleGrant.role)).all()
    by_user: dict[int, StaffMember] = {}
    for grant in grants:
        by_user.setdefault(grant.user_id, StaffMember(grant.user, [])).roles.append(grant.role)
    return list(by_user.values())


def pending_invitations(org: Organization) -> list[OrgInvitation]:
    return list(db.session.scalars(select(OrgInvitation).where(
        OrgInvitation.org_id == org.id, OrgInvitation.status == InvitationStatus.PENDING)
        .order_by(OrgInvitation.id)))


def invite(org: Organization, account: str, role: Role | str, by: User) -> OrgInvitation:
    """Invite a person to a staff role; they accept from their "my organizations" page."""
    try:
        role = Role(role)
    except ValueError as exc:
        raise OrgError(_l("Please choose a staff role.")) from exc
    if role not in ORG_ROLES:
        raise OrgError(_l("Please choose a staff role."))
    try:
        phone, email = normalize_account(account)
    except AuthError as exc:
        raise OrgError(str(exc)) from exc
    existing = find_user(phone or email)
    if existing is not None and existing.has_role(org.tenant_id, role, org_id=org.id):
        raise OrgError(_l("This person already has this role in the organization."))
    invitation = OrgInvitation(tenant_id=org.tenant_id, org_id=org.id, phone=phone, email=email,
                               role=role.value, invited_by_id=by.id)
    invited = OrgError(_l("This person has already been invited to this role."))
    with claim(dict.fromkeys(("uq_org_invitation_pending_phone",
                              "uq_org_invitation_pending_email"), invited)):
        db.session.add(invitation)
    if existing is not None:
        slug = db.session.get(Tenant, org.tenant_id).slug
        notify(existing, _l("%(org)s invites you to join as %(role)s", org=org.name,
                            role=ROLE_LABELS[role]),
               link=f"/t/{slug}/orgs/mine", tenant_id=org.tenant_id)
    return invitation


def invitations_for(user: User, tenant: Tenant) -> list[OrgInvitation]:
    accounts = []
    if user.phone:
        accounts.append(OrgInvitation.phone == user.phone)
    if user.email:
        accounts.append(OrgInvitation.email == user.email)
    return list(db.session.scalars(select(OrgInvitation).where(
        OrgInvitation.tenant_id == tenant.id, OrgInvitation.status == InvitationStatus.PENDING,
        or_(*accounts)).order_by(OrgInvitation.id)))


def _open(invitation: OrgInvitation, user: User) -> None:
    hold(invitation)  # answered once, whatever arrives at the same time
    if not invitation.is_for(user):
        raise OrgError(_l("This invitation is for someone else."))
    if invitation.status != InvitationStatus.PENDING:
        raise OrgError(_l("This invitation has already been answered or withdrawn."))


def accept(invitation: OrgInvitation, user: User) -> RoleGrant:
    _open(invitation, user)
    invitation.status, invitation.responded_at = InvitationStatus.ACCEPTED, utcnow()
    return grant_role(user, invitation.tenant_id, Role(invitation.role), invitation.org_id)


def decline(invitation: OrgInvitation, user: User) -> None:
    _open(invitation, user)
    invitation.status, invitation.responded_at = InvitationStatus.DECLINED, utcnow()
    db.session.flush()


def withdraw(invitation: OrgInvitation) -> None:
    hold(invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise OrgError(_l("This invitation has already been answered or withdrawn."))
    invitation.status, invitation.responded_at = InvitationStatus.WITHDRAWN, utcnow()
    db.session.flush()


def remove(org: Organization, member: User) -> None:
    """Remove every staff role ``member`` holds in ``org``; the last admin stays."""
    grants = [g for g in member.grants if g.org_id == org.id]
    if not grants:
        raise OrgError(_l("This person is not on the organization's staff."))
    if any(g.role == Role.ORG_ADMIN for g in grants):
        admins = db.session.scalars(select(RoleGrant.user_id).where(
            RoleGrant.org_id == org.id, RoleGrant.role == Role.ORG_ADMIN)).all()
        if set(admins) <= {member.id}:
            raise OrgError(_l("An organization needs at least one admin: "
                              "make someone else admin first."))
    for grant in grants:
        member.grants.remove(grant)
    db.session.flush()
