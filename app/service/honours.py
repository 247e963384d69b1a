"""Training and award records (培训记录、表彰奖励记录, 民政部令第67号) kept by an organization."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, union

from app.auth.models import User
from app.extensions import db
from app.orgs.models import Organization
from app.projects.models import Shift, ShiftSignup
from app.service.models import AwardRecord, ServiceRecord, TrainingRecord
from app.service.services import ServiceError


def volunteers_of(org: Organization) -> list[User]:
    """People who signed up for or served the organization's shifts."""
    ids = union(
        select(ShiftSignup.user_id).join(Shift, Shift.id == ShiftSignup.shift_id)
        .where(Shift.org_id == org.id),
        select(ServiceRecord.user_id).where(ServiceRecord.org_id == org.id)).subquery()
    return list(db.session.scalars(select(User).where(User.id.in_(select(ids.c.user_id)))
                                   .order_by(User.name)))


def _volunteer(org: Organization, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.id not in {u.id for u in volunteers_of(org)}:
        raise ServiceError(_l("Please choose a volunteer of this organization."))
    return user


def add_training(org: Organization, recorder: User, user_id: int, *, name: str, content: str,
                 hours: Decimal, organizer: str, held_on: date) -> TrainingRecord:
    volunteer = _volunteer(org, user_id)
    minutes = int(Decimal(hours) * 60)
    if minutes <= 0:
        raise ServiceError(_l("The duration must be positive."))
    row = TrainingRecord(tenant_id=org.tenant_id, org_id=org.id, user_id=volunteer.id,
                         name=name.strip(), content=(content or "").strip(), minutes=minutes,
                         organizer=organizer.strip(), held_on=held_on, recorded_by_id=recorder.id)
    db.session.add(row)
    db.session.flush()
    return row


def add_award(org: Organization, recorder: User, user_id: int, *, name: str, awarded_on: date,
              grantor: str) -> AwardRecord:
    volunteer = _volunteer(org, user_id)
    row = AwardRecord(tenant_id=org.tenant_id, org_id=org.id, user_id=volunteer.id,
                      name=name.strip(), awarded_on=awarded_on, grantor=grantor.strip(),
                      recorded_by_id=recorder.id)
    db.session.add(row)
    db.session.flush()
    return row


def of_org(org: Organization) -> tuple[list[TrainingRecord], list[AwardRecord]]:
    return (list(db.session.scalars(select(TrainingRecord).where(TrainingRecord.org_id == org.id)
                                    .order_by(TrainingRecord.held_on.desc()).limit(200))),
            list(db.session.scalars(select(AwardRecord).where(AwardRecord.org_id == org.id)
                                    .order_by(AwardRecord.awarded_on.desc()).limit(200))))
