"""Registering and correcting volunteer records; ID numbers checked with python-stdnum."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from app.auth.models import Role, User
from app.auth.services import PHONE_RE, grant_role
from app.db import utcnow
from app.db_unique import claim
from app.extensions import db
from app.tenancy.models import Area, Tenant
from app.volunteers.models import CONSENT_VERSION, VolunteerProfile


class VolunteerError(ValueError):
    pass


@dataclass
class VolunteerData:
    real_name: str
    gender: str
    birth_date: date
    id_number: str
    phone: str
    area_id: int | None = None
    skills: str = ""
    service_categories: list[str] = field(default_factory=list)
    insurance_policy: str | None = None
    insurance_expires: date | None = None


def check_identity(id_number: str, gender: str, birth_date: date) -> str:
    """Validate a 居民身份证号码 and its agreement with gender and date of birth."""
    try:
        number = ric.validate(id_number)
    except ValidationError as exc:
        raise VolunteerError(_l("The ID number is not valid (check the digits and the last character).")) from exc
    if len(number) != 18:
        raise VolunteerError(_l("Please use the 18-character ID number."))
    if ric.get_birth_date(number) != birth_date:
        raise VolunteerError(_l("The date of birth does not match the ID number."))
    expected = "M" if int(number[16]) % 2 else "F"
    if gender != expected:
        raise VolunteerError(_l("The gender does not match the ID number."))
    return number


def _validate(tenant: Tenant, data: VolunteerData) -> str:
    if not data.real_name.strip():
        raise VolunteerError(_l("Please enter your real name."))
    if not PHONE_RE.match(data.phone or ""):
        raise VolunteerError(_l("Enter an 11-digit mainland mobile number."))
    number = check_identity(data.id_number.strip().upper(), data.gender, data.birth_date)
    if data.area_id is not None and not db.session.scalar(
            select(Area.id).where(Area.id == data.area_id, Area.tenant_id == tenant.id)):
        raise VolunteerError(_l("Please choose an area of this district."))
    allowed = set(tenant.setting("service_categories"))
    if not set(data.service_categories) <= allowed:
        raise VolunteerError(_l("Unknown service category."))
    return number


def register(user: User, tenant: Tenant, data: VolunteerData, consent: bool) -> VolunteerProfile:
    """Create the volunteer record and grant the volunteer role; consent is required."""
    if not consent:
        raise VolunteerError(_l("Registration needs your consent to the use of your personal information."))
    registered = VolunteerError(_l("You are already registered as a volunteer here."))
    if profile_for(user, tenant) is not None:
        raise registered
    number = _validate(tenant, data)
    profile = VolunteerProfile(
        tenant_id=tenant.id, user_id=user.id, real_name=data.real_name.strip(), gender=data.gender,
        birth_date=data.birth_date, id_number=number, phone=data.phone, area_id=data.area_id,
        skills=data.skills, service_categories=list(data.service_categories),
        insurance_policy=data.insurance_policy or None, insurance_expires=data.insurance_expires,
        consent_at=utcnow(), consent_version=CONSENT_VERSION)
    try:
        with _unique_id_number({"uq_volunteer_profile_tenant_id_user_id": registered}):
            db.session.add(profile)
    except VolunteerError:
        # A double submission breaks both constraints, and the database names either one.
        if profile_for(user, tenant) is not None:
            raise registered from None
        raise
    grant_role(user, tenant.id, Role.VOLUNTEER)
    db.session.flush()
    return profile


def update(profile: VolunteerProfile, tenant: Tenant, data: VolunteerData) -> VolunteerProfile:
    """The person corrects their own record (个人信息保护法: the right to correct)."""
    number = _validate(tenant, data)
    with _unique_id_number():
        profile.real_name, profile.gender, profile.birth_date = data.real_name.strip(), data.gender, data.birth_date
        profile.id_number, profile.phone, profile.area_id = number, data.phone, data.area_id
        profile.skills, profile.service_categories = data.skills, list(data.service_categories)
        profile.insurance_policy = data.insurance_policy or None
        profile.insurance_expires = data.insurance_expires
    return profile


def choose_honour_list(profile: VolunteerProfile, listed: bool, full_name: bool) -> VolunteerProfile:
    """The person's own choice to appear on the public honour list (光荣榜), and whether by
    their full name (otherwise masked, 张*). Leaving the list also withdraws the full name."""
    profile.honour_listed = bool(listed)
    profile.honour_full_name = bool(listed and full_name)
    db.session.flush()
    return profile


def choose_shift_notices(profile: VolunteerProfile, on: bool) -> VolunteerProfile:
    """The person's own choice to be told when a shift that suits them opens."""
    profile.shift_notices = bool(on)
    db.session.flush()
    return profile


def _unique_id_number(refusals: dict | None = None):
    """Writes to a volunteer record: an ID number already on another record of the tenant
    (even one registered a moment ago) is refused by the database."""
    taken = VolunteerError(_l("This ID number is already registered. Please contact the bureau if this is wrong."))
    return claim({"uq_volunteer_profile_tenant_id_id_number": taken, **(refusals or {})})


def profile_for(user: User, tenant: Tenant) -> VolunteerProfile | None:
    return db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.user_id == user.id))


def export_personal_data(profile: VolunteerProfile) -> dict:
    """Everything we hold about the person, for their own download."""
    return {
        "real_name": profile.real_name, "gender": profile.gender,
        "birth_date": profile.birth_date.isoformat(), "id_number": profile.id_number,
        "phone": profile.phone, "area_id": profile.area_id, "skills": profile.skills,
        "service_categories": profile.service_categories,
        "insurance_policy": profile.insurance_policy,
        "insurance_expires": profile.insurance_expires.isoformat() if profile.insurance_expires else None,
        "consent_at": profile.consent_at.isoformat(), "consent_version": profile.consent_version,
    }
