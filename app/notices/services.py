"""The rules of community notices: who may write to which area (community staff, to the areas
they are in charge of; the bureau, to any), what a notice may say, how many an area gets in a
day, and the choices residents make (text messages; community notices or not), by themselves,
by a stop link, or through staff with their consent (代办)."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.inbound import text_problem
from app.notices.models import BODY_MAX, TITLE_MAX, ChoiceHow, CommunityNotice, NoticeChoice
from app.parsing import SHANGHAI
from app.residents.models import ConsentHow
from app.tenancy.models import Area, AreaStaff, Tenant

GIVEN_BY_MAX = 60


class NoticeError(ValueError):
    """A refused action, with a message for the person and an HTTP status."""

    def __init__(self, message, status: int = 422, field: str | None = None):
        super().__init__(str(message))
        self.status = status
        self.field = field


# Who writes to which area -------------------------------------------------------------------

def staff_areas(user: User, tenant_id: int) -> list[Area]:
    """The areas ``user`` is in charge of as community staff (``AreaStaff``, put on the
    bureau's areas page), by place in the tree; none for the bureau."""
    return list(db.session.scalars(
        select(Area).join(AreaStaff, AreaStaff.area_id == Area.id)
        .where(AreaStaff.tenant_id == tenant_id, AreaStaff.user_id == user.id,
               Area.tenant_id == tenant_id)
        .order_by(Area.path)))


def may_write(user: User, tenant_id: int) -> bool:
    return user.has_role(tenant_id, Role.BUREAU_OFFICER)


def may_target(user: User, area: Area) -> bool:
    """Community staff write to the areas they are in charge of and those under them; a
    bureau officer in charge of none is the bureau, and writes to any area of the district."""
    if not may_write(user, area.tenant_id):
        return False
    mine = staff_areas(user, area.tenant_id)
    if not mine:
        return True
    return any(area.path.startswith(own.path) for own in mine)


def targetable(user: User, tenant: Tenant) -> list[Area]:
    """The areas ``user`` may write to, by place in the tree."""
    mine = staff_areas(user, tenant.id)
    areas = db.session.scalars(select(Area).where(Area.tenant_id == tenant.id)
                               .order_by(Area.path)).all()
    if not mine:
        return list(areas)
    return [a for a in areas if any(a.path.startswith(own.path) for own in mine)]


# Writing a notice ---------------------------------------------------------------------------

def _text(value: str, most: int, field: str, missing) -> str:
    value = (value or "").strip()
    if not value:
        raise NoticeError(missing, field=field)
    if len(value) > most:
        raise NoticeError(_("Please keep it to %(n)s characters.", n=most), field=field)
    if problem := text_problem(value):
        raise NoticeError(problem, field=field)
    return value


def sent_today(tenant: Tenant, area: Area, now: datetime | None = None) -> int:
    """Notices to ``area`` since midnight, Beijing time."""
    now = now or utcnow()
    midnight = datetime.combine(now.astimezone(SHANGHAI).date(), time(), SHANGHAI)
    return db.session.scalar(select(func.count(CommunityNotice.id)).where(
        CommunityNotice.tenant_id == tenant.id, CommunityNotice.area_id == area.id,
        CommunityNotice.created_at >= midnight)) or 0


def check(tenant: Tenant, staff: User, *, area: Area, group: str, title: str, body: str,
          now: datetime | None = None) -> tuple[str, str]:
    """Refuse what may not be sent; the title and text as they will be sent."""
    if area.tenant_id != tenant.id:
        raise NoticeError(_("Choose an area of this district."), 404, field="area_id")
    if not may_target(staff, area):
        raise NoticeError(_("You may send notices only to the areas you look after."), 403,
                          field="area_id")
    if group and group not in tenant.setting("target_groups"):
        raise NoticeError(_("Choose one of the target groups."), field="target_group")
    title = _text(title, TITLE_MAX, "title", _("Give the notice a title."))
    body = _text(body, BODY_MAX, "body", _("Write what the notice says."))
    most = int(tenant.setting("community_notices_per_area_per_day"))
    if sent_today(tenant, area, now) >= most:
        raise NoticeError(_("%(area)s has already had %(n)s community notices today, the most "
                            "the district allows in a day. Please send it tomorrow, or put "
                            "it together with one already sent.", area=area.name, n=most),
                          429, field="area_id")
    return title, body


def compose(tenant: Tenant, staff: User, *, area: Area, group: str, title: str, body: str,
            now: datetime | None = None) -> CommunityNotice:
    """A notice, checked and stored; sending starts once it is committed."""
    from workers.notices import send_notice
    from workers.queue import enqueue_after_commit

    now = now or utcnow()
    title, body = check(tenant, staff, area=area, group=group, title=title, body=body, now=now)
    notice = CommunityNotice(tenant_id=tenant.id, area_id=area.id, area_name=area.name,
                             target_group=group or "", title=title, body=body,
                             sent_by_id=staff.id, created_at=now)
    db.session.add(notice)
    db.session.flush()
    enqueue_after_commit(send_notice, notice.id, retry=3, job_id=f"community-notice-{notice.id}")
    return notice


def sent_notices(tenant: Tenant, user: User, limit: int = 100) -> list[CommunityNotice]:
    """The notices ``user`` may see, newest first: community staff, those to their areas."""
    query = select(CommunityNotice).where(CommunityNotice.tenant_id == tenant.id)
    mine = staff_areas(user, tenant.id)
    if mine:
        ids = [a.id for a in targetable(user, tenant)]
        query = query.where(CommunityNotice.area_id.in_(ids))
    return list(db.session.scalars(query.order_by(CommunityNotice.id.desc()).limit(limit)))


# Residents' choices --------------------------------------------------------------------------

def receives(tenant_id: int, user_id: int) -> bool:
    return db.session.scalar(select(NoticeChoice.receives).where(
        NoticeChoice.tenant_id == tenant_id, NoticeChoice.user_id == user_id)) is not False


def choose(tenant_id: int, user: User, receive: bool, how: ChoiceHow, *,
           staff: User | None = None, consent_how: str | None = None,
           consent_given_by: str = "", now: datetime | None = None) -> NoticeChoice:
    """Record whether ``user`` receives community notices in the district. Staff record it
    only with the resident's consent: how it was given, and by whom if not the resident."""
    now = now or utcnow()
    given_by = " ".join((consent_given_by or "").split())
    if how == ChoiceHow.STAFF:
        if consent_how not in set(ConsentHow):
            raise NoticeError(_("Say how the resident gave their consent."), field="consent_how")
        if len(given_by) > GIVEN_BY_MAX or (given_by and text_problem(given_by)):
            raise NoticeError(_("Please keep it to %(n)s characters.", n=GIVEN_BY_MAX),
                              field="consent_given_by")
    else:
        consent_how, given_by = None, ""
    row = db.session.scalar(select(NoticeChoice).where(
        NoticeChoice.tenant_id == tenant_id, NoticeChoice.user_id == user.id))
    if row is None:
        row = NoticeChoice(tenant_id=tenant_id, user_id=user.id, created_at=now)
        db.session.add(row)
    row.receives, row.how, row.changed_at = bool(receive), how.value, now
    row.consent_how, row.consent_given_by = consent_how, given_by
    row.recorded_by_id = staff.id if staff is not None else None
    db.session.flush()
    return row


def choice_row(tenant_id: int, user_id: int) -> NoticeChoice | None:
    return db.session.scalar(select(NoticeChoice).where(
        NoticeChoice.tenant_id == tenant_id, NoticeChoice.user_id == user_id))


def want_sms(user: User, wanted: bool) -> None:
    """Text-message copies of one's messages, at one's own mobile number."""
    if wanted and not user.phone:
        raise NoticeError(_("Text messages need a mobile number on your account."), field="sms")
    user.sms = bool(wanted)
    db.session.flush()
