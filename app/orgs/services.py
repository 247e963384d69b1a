"""Organization onboarding: registration, verification by the bureau, re-submission.

Staff invitations live in ``app.orgs.staff``. Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from app.auth.models import Role, RoleGrant, User
from app.auth.services import PHONE_RE, grant_role
from app.db import utcnow
from app.db_unique import claim, hold
from app.extensions import db
from app.notifications.services import notify
from app.orgs import uploads
from app.orgs.models import Organization, OrgArea, OrgStatus, Standing
from app.tenancy.models import Area, Tenant


class OrgError(ValueError):
    """A refusal the user can read."""


@dataclass
class OrgData:
    name: str
    credit_code: str
    kind: str
    legal_representative: str
    contact_name: str
    contact_phone: str
    contact_email: str | None = None
    description: str = ""
    area_ids: list[int] = field(default_factory=list)
    parent_id: int | None = None
    is_incubator: bool = False
    #: ``filed``: a community group filed (备案) with the street, without a credit code.
    standing: str = Standing.REGISTERED


def check_credit_code(code: str) -> str:
    """A valid 统一社会信用代码 (GB 32100 check character), compact and upper case."""
    try:
        return uscc.validate((code or "").strip().upper())
    except ValidationError as exc:
        raise OrgError(_l("The unified social credit code is not valid: it has 18 characters "
                          "and the last one is a check character.")) from exc


def _validate(tenant: Tenant, data: OrgData, org: Organization | None = None) -> str | None:
    if not data.name.strip():
        raise OrgError(_l("Please enter the organization's registered name."))
    # A filed group (备案) has no 统一社会信用代码; a registered organization always has one.
    code = None if data.standing == Standing.FILED else check_credit_code(data.credit_code)
    if data.kind not in tenant.setting("org_kinds"):
        raise OrgError(_l("Please choose one of the organization kinds."))
    if not data.legal_representative.strip():
        raise OrgError(_l("Please enter the legal representative."))
    if not data.contact_name.strip() or not PHONE_RE.match(data.contact_phone or ""):
        raise OrgError(_l("Please give a contact person and an 11-digit mobile number."))
    if data.area_ids:
        found = set(db.session.scalars(select(Area.id).where(
            Area.tenant_id == tenant.id, Area.id.in_(data.area_ids))))
        if found != set(data.area_ids):
            raise OrgError(_l("Please choose areas of this district."))
    if data.parent_id is not None:
        parent = db.session.get(Organization, data.parent_id)
        if (parent is None or parent.tenant_id != tenant.id or not parent.is_incubator
                or (org is not None and parent.id == org.id)):
            raise OrgError(_l("The parent organization must be an incubator of this district."))
    return code


def _apply(org: Organization, data: OrgData, code: str | None) -> None:
    """Write ``data`` into ``org`` and flush: a credit code another organization of the
    tenant holds (even one registered a moment ago) is refused here, by the database."""
    with claim({"uq_organization_tenant_id_credit_code": OrgError(
            _l("An organization with this credit code is already registered here."))}):
        db.session.add(org)
        _write(org, data, code)


def _write(org: Organization, data: OrgData, code: str | None) -> None:
    org.name, org.credit_code, org.kind = data.name.strip(), code, data.kind
    org.standing = data.standing
    org.legal_representative = data.legal_representative.strip()
    org.contact_name, org.contact_phone = data.contact_name.strip(), data.contact_phone.strip()
    org.contact_email = (data.contact_email or "").strip() or None
    org.description, org.parent_id = data.description.strip(), data.parent_id
    org.is_incubator = bool(data.is_incubator)
    org.areas = [OrgArea(tenant_id=org.tenant_id, area_id=a) for a in sorted(set(data.area_ids))]


def _attach_certificate(org: Organization, certificate: uploads.Upload) -> None:
    org.certificate_file = uploads.store(certificate, org.tenant_id, f"orgs/{org.id}")
    org.certificate_mime = certificate.mime


def bureau_officers(tenant_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(RoleGrant).where(
        RoleGrant.tenant_id == tenant_id, RoleGrant.role == Role.BUREAU_OFFICER)))


def admins(org: Organization) -> list[User]:
    return list(db.session.scalars(select(User).join(RoleGrant).where(
        RoleGrant.org_id == org.id, RoleGrant.role == Role.ORG_ADMIN)))


def register(tenant: Tenant, user: User, data: OrgData,
             certificate: uploads.Upload | None, *, tell_bureau: bool = True) -> Organization:
    """Register an organization (pending verification); its registrant becomes its admin.
    A filed group brings its filing record instead of a certificate (``app.grassroots``),
    and the bureau hears of it once its sponsor has confirmed."""
    code = _validate(tenant, data)
    if certificate is None and data.standing != Standing.FILED:
        raise OrgError(_l("Please upload the registration certificate."))
    org = Organization(tenant_id=tenant.id, status=OrgStatus.PENDING, registered_by_id=user.id,
                       submitted_at=utcnow())
    _apply(org, data, code)
    if certificate is not None:
        _attach_certificate(org, certificate)
    grant_role(user, tenant.id, Role.ORG_ADMIN, org.id)
    if tell_bureau:
        _tell_bureau(org)
    db.session.flush()
    return org


def tell_bureau(org: Organization) -> None:
    """Tell the bureau's officers a registration awaits their verification."""
    _tell_bureau(org)


def _tell_bureau(org: Organization) -> None:
    for officer in bureau_officers(org.tenant_id):
        notify(officer, _l("Organization awaiting verification: %(name)s", name=org.name),
               link=f"/t/{_slug(org)}/orgs/{org.id}/review", tenant_id=org.tenant_id,
               kind="org.review", subject_id=org.id)


def _slug(org: Organization) -> str:
    return db.session.get(Tenant, org.tenant_id).slug


def update(org: Organization, tenant: Tenant, data: OrgData,
           certificate: uploads.Upload | None = None) -> Organization:
    """Edit an organization. Once verified, its identity (name, code, kind, legal
    representative, certificate) is fixed: changing it would bypass verification."""
    hold(org)  # edits of one organization, its areas above all, go one after the other
    return _update(org, tenant, data, certificate)


def patch(org: Organization, tenant: Tenant, changes: dict) -> Organization:
    """Edit some fields (the API's PATCH); the others keep the values read under the lock."""
    hold(org)
    current = {f.name: getattr(org, f.name) for f in fields(OrgData)}
    current["credit_code"] = current["credit_code"] or ""
    return _update(org, tenant, OrgData(**{**current, **changes}))


def _update(org: Organization, tenant: Tenant, data: OrgData,
            certificate: uploads.Upload | None = None) -> Organization:
    data.standing = org.standing  # registered or filed changes only on 出壳 (app.grassroots)
    if org.is_filed:  # a filed group's sponsor changes on its filing page, and is confirmed
        data.parent_id = org.parent_id
    if org.is_filed and certificate is not None:
        raise OrgError(_l("A filed group has no registration certificate; its filing record "
                          "is kept on its filing page."))
    if org.is_verified:
        fixed = (org.name, org.credit_code or "", org.kind, org.legal_representative)
        data.name, data.credit_code, data.kind, data.legal_representative = fixed
        if certificate is not None:
            raise OrgError(_l("A verified organization's certificate cannot be replaced; "
                              "please contact the bureau."))
    code = _validate(tenant, data, org)
    _apply(org, data, code)
    if certificate is not None:
        _attach_certificate(org, certificate)
    db.session.flush()
    return org


def resubmit(org: Organization) -> Organization:
    """After a rejection, send the corrected registration back to the queue."""
    if org.status != OrgStatus.REJECTED:
        raise OrgError(_l("Only a rejected registration can be submitted again."))
    if not org.certificate_file and not org.is_filed:
        raise OrgError(_l("Please upload the registration certificate."))
    org.status, org.submitted_at = OrgStatus.PENDING, utcnow()
    _tell_bureau(org)
    db.session.flush()
    return org


def approve(org: Organization, officer: User) -> Organization:
    if org.status != OrgStatus.PENDING:
        raise OrgError(_l("This registration is not waiting for verification."))
    if org.is_filed:
        from app.grassroots.filing import sponsor_confirmed

        if not sponsor_confirmed(org):
            raise OrgError(_l("The sponsoring organization has not confirmed its sponsorship "
                              "of this group yet."))
    org.status, org.reviewed_at, org.reviewed_by_id = OrgStatus.VERIFIED, utcnow(), officer.id
    org.rejection_reason = ""
    for admin in admins(org):
        notify(admin, _l("%(name)s has been verified", name=org.name),
               _l("Your organization can now publish projects."),
               link=f"/t/{_slug(org)}/orgs/{org.id}/edit", tenant_id=org.tenant_id)
    db.session.flush()
    return org


def reject(org: Organization, officer: User, reason: str) -> Organization:
    reason = (reason or "").strip()
    if not reason:
        raise OrgError(_l("Please give the reason for the rejection; the organization will see it."))
    if org.status != OrgStatus.PENDING:
        raise OrgError(_l("This registration is not waiting for verification."))
    org.status, org.reviewed_at, org.reviewed_by_id = OrgStatus.REJECTED, utcnow(), officer.id
    org.rejection_reason = reason[:2000]
    for admin in admins(org):
        notify(admin, _l("%(name)s: registration not approved", name=org.name),
               _l("Reason: %(reason)s. Please correct it and submit again.", reason=reason),
               link=f"/t/{_slug(org)}/orgs/{org.id}/edit", tenant_id=org.tenant_id)
    db.session.flush()
    return org


def verification_queue(tenant: Tenant) -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.status == OrgStatus.PENDING)
        .order_by(Organization.submitted_at, Organization.id)))


def verified(tenant: Tenant) -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.status == OrgStatus.VERIFIED)
        .order_by(Organization.name)))


def incubators(tenant: Tenant) -> list[Organization]:
    return [o for o in verified(tenant) if o.is_incubator]


def orgs_of(user: User, tenant: Tenant) -> list[Organization]:
    ids = user.org_ids(tenant.id)
    if not ids:
        return []
    return list(db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.id.in_(ids)).order_by(Organization.name)))


def area_names(org: Organization) -> list[str]:
    if not org.areas:
        return []
    return list(db.session.scalars(select(Area.name).where(Area.id.in_(org.area_ids))
                                   .order_by(Area.path)))
