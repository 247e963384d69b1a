"""The resident overseers' review (居务监督): what they see, their sign-off (签字确认).

Which spending they review is the tenant's ``overseer_scope`` (every expenditure, or only from
``overseer_threshold_fen`` up; ``spending.in_overseers_scope``). Once its approvals are done, an
expenditure in scope is open to them for ``overseer_window_days``: each overseer may sign it
off, once, or object (``spending.object_to``); an objection holds it until the bureau answers.

Finality waits for the window to pass with every objection answered, not for a sign-off:
the window is the time the overseers have, and silence in it is consent, so spending is never
stuck because no overseer came by. A sign-off records that one overseer looked at the receipts
and found it in order; it is shown to the organization, the bureau and auditors, and does not
shorten the window for the other overseers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.db import utcnow
from app.extensions import db
from app.funding.models_spending import (
    Expenditure,
    ExpenditureStatus,
    OverseerObjection,
    OverseerSignoff,
)
from app.funding.services import FundingError, locked

#: How many of an overseer's own past sign-offs and answered objections the queue shows.
RECENT = 20
OPEN = (ExpenditureStatus.WINDOW, ExpenditureStatus.OBJECTED)


def sign_off(expenditure: Expenditure, overseer) -> OverseerSignoff:
    """An overseer signs an expenditure off while it is open to them: once each, and not
    while their own objection to it waits for the bureau's answer."""
    expenditure = locked(Expenditure, expenditure.id)
    if expenditure.status not in OPEN or (
            expenditure.window_ends_at is None or utcnow() >= expenditure.window_ends_at):
        raise FundingError(_l("This expenditure is not open to the overseers."))
    if any(s.overseer_id == overseer.id for s in expenditure.signoffs):
        raise FundingError(_l("You have already signed this expenditure off."))
    if any(o.overseer_id == overseer.id for o in expenditure.open_objections):
        raise FundingError(_l("Your objection to it waits for the bureau's answer; you can sign "
                              "it off once it is answered."))
    signoff = OverseerSignoff(tenant_id=expenditure.tenant_id, expenditure_id=expenditure.id,
                              overseer_id=overseer.id)
    db.session.add(signoff)
    db.session.flush()
    db.session.expire(expenditure, ["signoffs"])
    return signoff


def tell_answered(expenditure: Expenditure, objections: list[OverseerObjection]) -> None:
    """Each overseer whose objection the bureau answered hears of it (the answer is on the
    expenditure's page and in their queue)."""
    from app.auth.models import User
    from app.navigation import path_for
    from app.notifications.services import notify
    from app.tenancy.models import Tenant

    link = path_for("funding.expenditure", expenditure_id=expenditure.id,
                    tenant=db.session.get(Tenant, expenditure.tenant_id).slug)
    for overseer_id in sorted({o.overseer_id for o in objections}):
        notify(db.session.get(User, overseer_id), _l("The bureau answered your objection"),
               link=link, tenant_id=expenditure.tenant_id, email=False)


@dataclass
class Queue:
    """One overseer's page: what waits for them, their objections, what they signed."""

    to_review: list[Expenditure]
    objections: list[OverseerObjection]
    signed: list[OverseerSignoff]


def queue(tenant_id: int, overseer_id: int, now: datetime | None = None) -> Queue:
    now = now or utcnow()
    loads = (selectinload(Expenditure.org), selectinload(Expenditure.line),
             selectinload(Expenditure.receipts), selectinload(Expenditure.signoffs),
             selectinload(Expenditure.objections))
    open_ones = db.session.scalars(select(Expenditure).where(
        Expenditure.tenant_id == tenant_id, Expenditure.status.in_(OPEN),
        Expenditure.window_ends_at > now).options(*loads)
        .order_by(Expenditure.window_ends_at, Expenditure.id)).all()
    to_review = [e for e in open_ones
                 if not any(s.overseer_id == overseer_id for s in e.signoffs)
                 and not any(o.overseer_id == overseer_id for o in e.open_objections)]
    objections = db.session.scalars(select(OverseerObjection).where(
        OverseerObjection.tenant_id == tenant_id, OverseerObjection.overseer_id == overseer_id)
        .order_by(OverseerObjection.resolved_at.is_not(None), OverseerObjection.id.desc())
        .limit(RECENT)).all()
    signed = db.session.scalars(select(OverseerSignoff).where(
        OverseerSignoff.tenant_id == tenant_id, OverseerSignoff.overseer_id == overseer_id)
        .order_by(OverseerSignoff.id.desc()).limit(RECENT)).all()
    return Queue(to_review, list(objections), list(signed))
