"""The rules of needs: post (for oneself or on a resident's behalf), claim (one claimant: an
organization, or a volunteer in person), decline (back to open, with a reason), arrange the
service it becomes, meet, confirm and rate. Reminders and escalation are in ``escalation``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.inbound import text_problem
from app.needs.models import REASON_MAX, WHAT_MAX, LinkKind, Need, NeedDecline, NeedStatus, Urgency
from app.needs.routing import routed_org_ids
from app.orgs.models import Organization
from app.tenancy.models import Area, Tenant

#: Roles that may post a need on a resident's behalf (代填): bureau staff, an
#: organization's admins and coordinators, volunteers.
ON_BEHALF_ROLES = (Role.BUREAU_OFFICER, Role.ORG_ADMIN, Role.ORG_COORDINATOR, Role.VOLUNTEER)


class NeedError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(message)
        self.status = status


def deadline_days(tenant: Tenant, urgency: str) -> int:
    days = tenant.setting("need_deadline_days") or {}
    fallback = {"urgent": 2, "soon": 7, "routine": 30}
    return int(days.get(urgency, fallback[urgency]))


def may_post_for_others(user: User, tenant: Tenant) -> bool:
    return user.has_role(tenant.id, *ON_BEHALF_ROLES)


def _text(value: str, limit: int, empty_message) -> str:
    value = (value or "").strip()
    if not value:
        raise NeedError(str(empty_message))
    if len(value) > limit:
        raise NeedError(_("Please keep it to %(n)s characters.", n=limit))
    if problem := text_problem(value):
        raise NeedError(problem)
    return value


def _find_resident(tenant: Tenant, phone: str) -> User | None:
    """The account the number is the mobile of, or else the one resident of the district
    not online (代办) whose record gives it as their contact number."""
    if not phone:
        return None
    found = db.session.scalar(select(User).where(User.phone == phone, User.active.is_(True)))
    if found is not None:
        return found
    from app.residents.models import ResidentProfile

    offline = db.session.scalars(
        select(User).join(ResidentProfile, ResidentProfile.user_id == User.id)
        .where(ResidentProfile.tenant_id == tenant.id, ResidentProfile.contact_phone == phone,
               User.offline.is_(True), User.active.is_(True)).limit(2)).all()
    return offline[0] if len(offline) == 1 else None


def post(tenant: Tenant, poster: User, *, what: str, category: str, target_group: str,
         area: Area, urgency: str, on_wall: bool, wanted_on: date | None = None,
         for_name: str = "", for_phone: str = "", now: datetime | None = None) -> Need:
    """A need for ``poster`` themselves, or, when ``for_name``/``for_phone`` is given, on a
    resident's behalf (recorded as such; the resident is linked when the phone is theirs)."""
    now = now or utcnow()
    what = _text(what, WHAT_MAX, _l("Say what is needed."))
    if category not in tenant.setting("service_categories"):
        raise NeedError(_("Choose one of the service categories."))
    if target_group not in tenant.setting("target_groups"):
        raise NeedError(_("Choose one of the target groups."))
    if urgency not in set(Urgency):
        raise NeedError(_("Choose how urgent it is."))
    if area.tenant_id != tenant.id:
        raise NeedError(_("Choose an area of this district."), 404)
    for_name, for_phone = (for_name or "").strip(), (for_phone or "").strip()
    on_behalf = bool(for_name or for_phone)
    if on_behalf:
        if not may_post_for_others(poster, tenant):
            raise NeedError(_("Only grid and community staff, organization staff and "
                              "volunteers may post a need for someone else."), 403)
        if for_phone and not (for_phone.isdigit() and len(for_phone) == 11
                              and for_phone.startswith("1")):
            raise NeedError(_("Enter an 11-digit mobile number, or leave it empty."))
        if len(for_name) > 60 or (for_name and text_problem(for_name)):
            raise NeedError(_("Enter the resident's name (at most 60 characters)."))
        resident = _find_resident(tenant, for_phone)
        name = for_name or (resident.name if resident else "")
        if not name:
            raise NeedError(_("Name the resident you post for."))
    else:
        resident, name, for_phone = poster, poster.name, poster.phone or ""
    need = Need(tenant_id=tenant.id, what=what, category=category, target_group=target_group,
                area_id=area.id, wanted_on=wanted_on, urgency=urgency, on_wall=bool(on_wall),
                due_at=now + timedelta(days=deadline_days(tenant, urgency)),
                status=NeedStatus.OPEN, resident_id=resident.id if resident else None,
                resident_name=name, resident_phone=for_phone, posted_by_id=poster.id,
                on_behalf=on_behalf, created_at=now)
    db.session.add(need)
    db.session.flush()
    from app.needs import messages

    messages.routed(need)
    return need


def claim(need: Need, org: Organization, user: User, now: datetime | None = None) -> Need:
    """``org`` takes the need on. One claimant: the UPDATE only changes an open need, so of
    two organizations claiming at once the second changes nothing and is told so."""
    if org.id not in routed_org_ids(need):
        raise NeedError(_("This need is not in your organization's areas and categories."), 403)
    now = now or utcnow()
    result = db.session.execute(
        update(Need).where(Need.id == need.id, Need.tenant_id == need.tenant_id,
                           Need.status == NeedStatus.OPEN)
        .values(status=NeedStatus.CLAIMED, claimed_org_id=org.id, claimed_by_id=user.id,
                claimed_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(need)
        raise NeedError(_("Another organization has already taken this need on."), 409)
    db.session.refresh(need)
    from app.needs import messages

    messages.claimed(need)
    return need


def may_claim_in_person(need: Need, user: User) -> bool:
    """A volunteer may take on, in person, an open wish its resident put on the wish wall
    (微心愿), unless it is their own."""
    return (need.status == NeedStatus.OPEN and need.on_wall
            and user.has_role(need.tenant_id, Role.VOLUNTEER)
            and user.id not in (need.resident_id, need.posted_by_id))


def claim_in_person(need: Need, volunteer: User, now: datetime | None = None) -> Need:
    """A volunteer takes a small wish on themselves; the resident is told their name. One
    claimant, as for organizations (the same conditional UPDATE)."""
    if not may_claim_in_person(need, volunteer):
        if need.status != NeedStatus.OPEN:
            raise NeedError(_("Someone has already taken this need on."), 409)
        raise NeedError(_("Volunteers may take on the wishes residents put on the wish wall, "
                          "other than their own."), 403)
    now = now or utcnow()
    result = db.session.execute(
        update(Need).where(Need.id == need.id, Need.tenant_id == need.tenant_id,
                           Need.status == NeedStatus.OPEN)
        .values(status=NeedStatus.CLAIMED, claimed_volunteer_id=volunteer.id,
                claimed_by_id=volunteer.id, claimed_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(need)
        raise NeedError(_("Someone has already taken this need on."), 409)
    db.session.refresh(need)
    from app.needs import messages

    messages.claimed(need)
    return need


def is_claimant(need: Need, user: User, org_ids: set[int]) -> bool:
    """``user`` holds the claimed need: in person, or for one of ``org_ids``."""
    if need.claimed_volunteer_id is not None:
        return need.claimed_volunteer_id == user.id
    return need.claimed_org_id is not None and need.claimed_org_id in org_ids


def _claimed_by(need: Need, user: User, org_ids: set[int]) -> None:
    if need.status != NeedStatus.CLAIMED or not is_claimant(need, user, org_ids):
        raise NeedError(_("Only whoever took this need on can do this."), 409)


def decline(need: Need, user: User, reason: str, org_ids: set[int]) -> NeedDecline:
    """Whoever took the need on gives it back: open again, for everyone it is routed to."""
    reason = _text(reason, REASON_MAX, _l("Say why you give it back."))
    _claimed_by(need, user, org_ids)
    record = NeedDecline(tenant_id=need.tenant_id, need_id=need.id, org_id=need.claimed_org_id,
                         declined_by_id=user.id, reason=reason)
    db.session.add(record)
    need.status, need.claimed_org_id, need.claimed_volunteer_id = NeedStatus.OPEN, None, None
    need.claimed_by_id, need.claimed_at = None, None
    need.met_kind, need.met_object_id = None, None
    # What the resident and the volunteer let each other see was for this claim only.
    need.resident_shares_phone_at, need.volunteer_shares_phone_at = None, None
    db.session.flush()
    from app.needs import messages

    messages.declined(need, record)
    return record


def _linked_object_org(kind: str, object_id: int | None, tenant_id: int) -> int | None:
    from app.projects.models import Project, ServiceSlot, Shift, SlotBooking

    if object_id is None:
        return None
    if kind == LinkKind.PROJECT:
        row = db.session.get(Project, object_id)
    elif kind == LinkKind.SHIFT:
        row = db.session.get(Shift, object_id)
    elif kind == LinkKind.SLOT:
        row = db.session.get(ServiceSlot, object_id)
    else:
        booking = db.session.get(SlotBooking, object_id)
        row = db.session.get(ServiceSlot, booking.slot_id) if booking else None
    if row is None or row.tenant_id != tenant_id:
        return None
    return row.org_id


def _check_link(need: Need, kind: str, object_id: int | None) -> None:
    if kind not in set(LinkKind) or kind == LinkKind.NOTE:
        raise NeedError(_("Say how the need was met."))
    if need.claimed_org_id is None or (
            _linked_object_org(kind, object_id, need.tenant_id) != need.claimed_org_id):
        raise NeedError(_("Choose a booking, shift or project of your own organization."))


def arrange(need: Need, user: User, org_ids: set[int], kind: str, object_id: int) -> Need:
    """The claiming organization links the service it set up for the need (a new project, a
    shift, a slot, a booking); the need stays in hand until it is met, and meeting it names that
    service unless another is chosen."""
    _claimed_by(need, user, org_ids)
    _check_link(need, kind, object_id)
    need.met_kind, need.met_object_id = kind, object_id
    db.session.flush()
    return need


def meet(need: Need, user: User, org_ids: set[int], kind: str, object_id: int | None = None,
         note: str = "", now: datetime | None = None) -> Need:
    """Whoever took the need on says it is met: an organization by a booking, a shift or a
    project of its own, or in words; a volunteer in words."""
    _claimed_by(need, user, org_ids)
    if kind not in set(LinkKind):
        raise NeedError(_("Say how the need was met."))
    note = (note or "").strip()
    if kind == LinkKind.NOTE:
        note = _text(note, REASON_MAX, _l("Say how the need was met."))
        object_id = None
    else:
        if note:
            note = _text(note, REASON_MAX, "")
        _check_link(need, kind, object_id)
    need.status, need.met_at = NeedStatus.MET, now or utcnow()
    need.met_kind, need.met_object_id, need.met_note = kind, object_id, note
    db.session.flush()
    from app.needs import messages

    messages.met(need)
    return need


def may_confirm(need: Need, user: User) -> bool:
    """The resident confirms; for a resident without an account, the person who posted."""
    if need.resident_id is not None:
        return need.resident_id == user.id
    return need.posted_by_id == user.id


def confirm(need: Need, user: User, rating: int, comment: str = "",
            now: datetime | None = None) -> Need:
    if not may_confirm(need, user):
        raise NeedError(_("Only the resident can confirm that the need was met."), 403)
    if need.status != NeedStatus.MET:
        raise NeedError(_("The organization has not said this need is met yet."), 409)
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise NeedError(_("Give 1 to 5 stars."))
    comment = (comment or "").strip()
    if comment:
        comment = _text(comment, REASON_MAX, "")
    need.status, need.confirmed_at, need.confirmed_by_id = NeedStatus.CONFIRMED, now or utcnow(), user.id
    need.rating, need.rating_comment = rating, comment
    db.session.flush()
    return need


def overdue(tenant: Tenant, now: datetime):
    """Unmet needs past their deadline (a select of Need)."""
    return select(Need).where(Need.tenant_id == tenant.id,
                              Need.status.in_([NeedStatus.OPEN, NeedStatus.CLAIMED]),
                              Need.due_at < now).order_by(Need.due_at, Need.id)


def escalate_overdue(tenant: Tenant, now: datetime | None = None) -> int:
    """One step up the area tree for each late need that is due one (``escalation``)."""
    from app.needs import escalation

    return escalation.escalate_overdue(tenant, now)
