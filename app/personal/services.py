"""Consent and closing an account (个人信息保护法 Art. 15, 47). No request objects here.

Closing withdraws every consent, deactivates the account and erases or masks the person's
data. What a rule requires to be kept stays, with the person masked in it: service records,
training and award records and issued proofs of service (民政部令第67号), money records
(points, redemptions, expenditures and approvals), complaints and past sign-ups that
evidence a service. The audit log is append-only and is not rewritten.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select
from werkzeug.security import generate_password_hash

from app.auth import sessions
from app.auth.models import ApiToken, Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db
from app.personal.models import DOCUMENTS, CalendarFeed, Consent
from app.privacy import mask_name, mask_phone
from app.templating import joined


class PersonalError(ValueError):
    """A refusal the person can read (a lazily translated message)."""


def agree(user: User, now: datetime | None = None) -> list[Consent]:
    """Record the person's consent to the current version of every document."""
    now = now or utcnow()
    rows = [Consent(user_id=user.id, document=doc, version=version, given_at=now)
            for doc, version in DOCUMENTS.items()]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def consents_of(user: User) -> list[Consent]:
    return list(db.session.scalars(select(Consent).where(Consent.user_id == user.id)
                                   .order_by(Consent.given_at, Consent.id)))


def _sole_admin_of(user: User) -> list[str]:
    from app.orgs.models import Organization

    names = []
    for grant in user.grants:
        if grant.role != Role.ORG_ADMIN:
            continue
        others = db.session.scalar(select(RoleGrant.id).where(
            RoleGrant.org_id == grant.org_id, RoleGrant.role == Role.ORG_ADMIN,
            RoleGrant.user_id != user.id).limit(1))
        if others is None:
            names.append(db.session.scalar(select(Organization.name).where(
                Organization.id == grant.org_id).execution_options(all_tenants=True)))
    return names


def close_account(user: User, now: datetime | None = None) -> None:
    """Withdraw consent and close the account: deactivated, personal data erased or masked."""
    if user.closed_at is not None:
        raise PersonalError(_l("This account is already closed."))
    if orgs := _sole_admin_of(user):
        raise PersonalError(_l("You are the only admin of %(orgs)s: make someone else admin "
                               "before closing your account.", orgs=joined(orgs)))
    now = now or utcnow()
    for consent in consents_of(user):
        consent.withdrawn_at = consent.withdrawn_at or now
    _withdraw_upcoming(user)
    _erase_around(user)
    _mask_volunteer_records(user)
    user.name = mask_name(user.name)
    user.phone, user.email = None, f"closed-{user.id}@closed.invalid"
    user.password_hash = generate_password_hash(secrets.token_urlsafe(32))
    user.active, user.closed_at, user.locale = False, now, None
    sessions.end_all(user)  # every device is signed out (API tokens are erased above)
    for grant in list(user.grants):
        user.grants.remove(grant)
    db.session.flush()


def _withdraw_upcoming(user: User) -> None:
    """Give up places not yet served, so the next in line gets them (past ones stay: they
    evidence a service that took place)."""
    from app.projects import signups
    from app.projects.models import ServiceSlot, Shift, ShiftSignup, SignupStatus, SlotBooking

    for model, place in ((ShiftSignup, Shift), (SlotBooking, ServiceSlot)):
        key = model.shift_id if model is ShiftSignup else model.slot_id
        rows = db.session.scalars(select(model).join(place, place.id == key).where(
            model.user_id == user.id, model.status != SignupStatus.CANCELLED,
            place.starts_at > utcnow())).all()
        for row in rows:
            # Too close to the start: the organizer sees the place of a closed account.
            with suppress(signups.SignupError):
                signups.withdraw(row)


def _erase_around(user: User) -> None:
    """What nothing requires to keep: the inbox, API tokens, the calendar address, open
    invitations, rating notes."""
    from app.notifications.models import Notification
    from app.orgs.models import InvitationStatus, OrgInvitation
    from app.service.models import ServiceRating

    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    contact = [c for c in (OrgInvitation.phone == user.phone if user.phone else None,
                           OrgInvitation.email == user.email if user.email else None) if c is not None]
    if contact:
        for invitation in db.session.scalars(select(OrgInvitation).where(
                or_(*contact), OrgInvitation.status == InvitationStatus.PENDING)
                .execution_options(all_tenants=True)):
            invitation.status = InvitationStatus.WITHDRAWN
            invitation.phone = mask_phone(invitation.phone) if invitation.phone else None
    for rating in db.session.scalars(select(ServiceRating).where(ServiceRating.user_id == user.id)):
        rating.comment = ""


def _mask_volunteer_records(user: User) -> None:
    """The volunteer record stays beside the service records it identifies, masked."""
    from app.volunteers.models import VolunteerProfile

    for profile in db.session.scalars(select(VolunteerProfile).where(
            VolunteerProfile.user_id == user.id)):
        profile.real_name = mask_name(profile.real_name)
        profile.id_number = f"closed-{profile.id}"[:18]
        profile.phone = mask_phone(profile.phone)
        profile.birth_date = date(profile.birth_date.year, 1, 1)
        profile.skills, profile.service_categories, profile.area_id = "", [], None
        profile.insurance_policy = profile.insurance_expires = None
