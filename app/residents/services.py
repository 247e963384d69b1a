"""Acting for a resident who is not online (代办): community or organization staff register
them with their consent, book services for them and pass on their confirmation that they
received a service. Each act names the staff member on the row it writes (and so in the
audit log beside the resident)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.attendance import services as attendance
from app.attendance.models import SlotAttendance
from app.auth.models import Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.imports.cells import CellError
from app.imports.cells import id_number as checked_id_number
from app.inbound import text_problem
from app.notifications.services import notify
from app.orgs.models import Organization
from app.projects import signups
from app.projects.models import ServiceSlot, SlotBooking
from app.residents.models import ConsentHow, ResidentProfile
from app.service.permissions import COORDINATING
from app.tenancy.models import Area, Tenant

NAME_MAX = 40
#: Stored instead of a password hash: it matches no password, and the account has no login.
NO_PASSWORD = "!offline"


class ResidentError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.field = field


def keeping_orgs(staff: User, tenant: Tenant) -> list[Organization]:
    """The organizations for which ``staff`` may register residents (admin or coordinator)."""
    ids = staff.org_ids(tenant.id, *COORDINATING)
    return list(db.session.scalars(select(Organization).where(
        Organization.tenant_id == tenant.id, Organization.id.in_(ids)).order_by(Organization.name)))


def _mobile(value: str) -> str | None:
    value = "".join((value or "").split())
    if not value:
        return None
    if not (value.isdigit() and len(value) == 11 and value.startswith("1")):
        raise ResidentError(_("Enter an 11-digit mobile number, or leave it empty."),
                            field="contact_phone")
    return value


def register(tenant: Tenant, staff: User, *, name: str, id_number: str, area: Area,
             target_group: str, consent_how: str, consent_given_by: str = "",
             contact_phone: str = "", org: Organization | None = None,
             now: datetime | None = None) -> ResidentProfile:
    """A resident who is not online, registered by ``staff`` (for ``org``, or as community
    staff when None) with the consent they gave: an account that cannot sign in, the
    resident role, and their record in the district."""
    now = now or utcnow()
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX or text_problem(name):
        raise ResidentError(_("Enter the resident's name (at most %(n)s characters).",
                              n=NAME_MAX), field="name")
    try:
        number = checked_id_number(id_number)
    except CellError as exc:
        raise ResidentError(str(exc), field="id_number") from exc
    if area.tenant_id != tenant.id:
        raise ResidentError(_("Choose an area of this district."), 404, field="area_id")
    if target_group and target_group not in tenant.setting("target_groups"):
        raise ResidentError(_("Choose one of the target groups."), field="target_group")
    if consent_how not in set(ConsentHow):
        raise ResidentError(_("Say how the resident gave their consent."), field="consent_how")
    given_by = " ".join((consent_given_by or "").split())
    if len(given_by) > 60 or (given_by and text_problem(given_by)):
        raise ResidentError(_("Please keep it to %(n)s characters.", n=60),
                            field="consent_given_by")
    phone = _mobile(contact_phone)
    if org is not None and org.id not in staff.org_ids(tenant.id, *COORDINATING):
        raise ResidentError(_("Choose one of your organizations."), 403, field="org_id")
    if db.session.scalar(select(ResidentProfile.id).where(
            ResidentProfile.tenant_id == tenant.id, ResidentProfile.id_number == number)):
        raise ResidentError(_("A resident with this ID number is already registered here."),
                            409, field="id_number")
    user = User(name=name, password_hash=NO_PASSWORD, offline=True, active=True,
                locale="zh_CN", created_at=now)
    db.session.add(user)
    db.session.flush()
    db.session.add(RoleGrant(user_id=user.id, tenant_id=tenant.id, role=Role.RESIDENT.value))
    profile = ResidentProfile(
        tenant_id=tenant.id, user_id=user.id, area_id=area.id, target_group=target_group or "",
        id_number=number, contact_phone=phone, registered_by_id=staff.id,
        kept_by_org_id=org.id if org else None, consent_at=now, consent_how=consent_how,
        consent_given_by=given_by, consent_recorded_by_id=staff.id, created_at=now)
    db.session.add(profile)
    db.session.flush()
    return profile


def kept_by(staff: User, tenant: Tenant) -> list[ResidentProfile]:
    """The residents not online that ``staff`` may act for: all of the district's for the
    bureau's staff, their organizations' for organization staff; by name."""
    query = (select(ResidentProfile).join(User, User.id == ResidentProfile.user_id)
             .where(ResidentProfile.tenant_id == tenant.id, User.offline.is_(True)))
    if not staff.has_role(tenant.id, Role.BUREAU_OFFICER):
        query = query.where(ResidentProfile.kept_by_org_id.in_(
            staff.org_ids(tenant.id, *COORDINATING)))
    return list(db.session.scalars(query.order_by(User.name, ResidentProfile.id)))


def book_for(profile: ResidentProfile, slot: ServiceSlot, staff: User) -> SlotBooking:
    """Book ``slot`` for the resident, as ``staff`` on their behalf. A slot reserved for a
    group is booked only for a resident recorded in that group."""
    if slot.target_group and profile.target_group != slot.target_group:
        raise ResidentError(_("This slot is reserved for %(group)s, and this resident is not "
                              "recorded in that group.", group=slot.target_group))
    try:
        booking = signups.book(profile.user, slot, slot.target_group, proxy=staff)
    except signups.SignupError as exc:
        raise ResidentError(str(exc), 409) from exc
    notify(profile.user, _l("Booked for you: %(project)s", project=slot.project.name),
           _l("%(staff)s booked it for you: %(when)s, %(place)s.", staff=staff.name,
              when=signups.local_when(slot), place=slot.place), tenant_id=slot.tenant_id)
    return booking


def bookings_of(profile: ResidentProfile) -> list[tuple[SlotBooking, ServiceSlot,
                                                       SlotAttendance | None, User | None]]:
    """The resident's bookings, newest slot first, each with its attendance and the staff
    member who booked it for them (None: the resident did)."""
    rows = db.session.execute(
        select(SlotBooking, ServiceSlot).join(ServiceSlot, ServiceSlot.id == SlotBooking.slot_id)
        .where(SlotBooking.tenant_id == profile.tenant_id,
               SlotBooking.user_id == profile.user_id)
        .order_by(ServiceSlot.starts_at.desc())).all()
    marks = attendance.of_bookings([b.id for b, _ in rows])
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(
        {b.proxy_id for b, _ in rows if b.proxy_id})))}
    return [(b, s, marks.get(b.id), people.get(b.proxy_id)) for b, s in rows]


def confirm_for(profile: ResidentProfile, booking: SlotBooking, staff: User,
                now: datetime | None = None) -> SlotAttendance:
    """Pass on the resident's word that they received the service. The organization that
    gave it marks its own roster instead: it cannot also speak for the resident."""
    if booking.user_id != profile.user_id or booking.tenant_id != profile.tenant_id:
        raise ResidentError(_("Choose a booking of this resident."), 404)
    if staff.has_role(booking.tenant_id, *COORDINATING, org_id=booking.slot.org_id):
        raise ResidentError(_("Your organization gives this service: mark the attendance on "
                              "its roster instead. Another staff member who keeps this "
                              "resident can confirm for them."), 403)
    try:
        return attendance.confirm(booking, profile.user, now, proxy=staff)
    except attendance.AttendanceError as exc:
        raise ResidentError(str(exc), exc.status) from exc


def profile_of(user: User, tenant_id: int) -> ResidentProfile | None:
    return db.session.scalar(select(ResidentProfile).where(
        ResidentProfile.tenant_id == tenant_id, ResidentProfile.user_id == user.id))

