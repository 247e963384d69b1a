"""Who a community notice reaches: the residents on the roll living in the area or under it,
of the group if one is chosen, whose accounts are open; those who stopped community notices
are counted apart. One query counts them all; the batches read the same rows by person."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_, select

from app.auth.models import User
from app.extensions import db
from app.notices.models import NoticeChoice
from app.residents.models import ResidentProfile
from app.tenancy.models import Area


@dataclass(frozen=True)
class Reach:
    """How many a notice would reach, of them by text message, and how many are skipped."""

    reached: int
    by_sms: int
    opted_out: int


def _stopped():
    """Stopped community notices: a choice that says so (no choice: they receive them)."""
    return NoticeChoice.receives.is_(False)


def _sms():
    """Reached by text message (``app.notifications.services.sms_number``, in SQL): a resident
    not online at their record's contact number, anyone else who asked, at their mobile."""
    return or_(and_(User.offline.is_(True), ResidentProfile.contact_phone.is_not(None),
                    ResidentProfile.contact_phone != ""),
               and_(User.offline.is_(False), User.sms.is_(True), User.phone.is_not(None)))


def rows(tenant_id: int, area: Area, group: str = ""):
    """The residents as a select of (user id, stopped?, by text message?, has an email?)."""
    query = (select(User.id, _stopped().label("stopped"), _sms().label("sms"),
                    User.email.is_not(None).label("email"))
             .select_from(ResidentProfile)
             .join(User, User.id == ResidentProfile.user_id)
             .join(Area, Area.id == ResidentProfile.area_id)
             .outerjoin(NoticeChoice, and_(NoticeChoice.tenant_id == ResidentProfile.tenant_id,
                                           NoticeChoice.user_id == ResidentProfile.user_id))
             .where(ResidentProfile.tenant_id == tenant_id, Area.tenant_id == tenant_id,
                    Area.path.startswith(area.path, autoescape=True),
                    User.active.is_(True), User.closed_at.is_(None)))
    if group:
        query = query.where(ResidentProfile.target_group == group)
    return query


def count(tenant_id: int, area: Area, group: str = "") -> Reach:
    inner = rows(tenant_id, area, group).subquery()
    one, zero = literal(1), literal(0)
    total, stopped, sms = db.session.execute(select(
        func.count(), func.sum(case((inner.c.stopped, one), else_=zero)),
        func.sum(case((and_(inner.c.stopped.is_(False), inner.c.sms), one), else_=zero)),
    ).select_from(inner)).one()
    stopped, sms = int(stopped or 0), int(sms or 0)
    return Reach(reached=int(total or 0) - stopped, by_sms=sms, opted_out=stopped)
