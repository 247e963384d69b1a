"""The departure report's figures: what one person recorded or approved over a period, with
the money involved, read from the business tables (each row names who did it)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit.departure import Figure, contribution
from app.audit.log import day_after, day_start
from app.extensions import db


def _count(model, who, when, tenant_id, user_id, start, end, amount=None) -> tuple[int, int | None]:
    cols = [func.count(model.id)] + ([func.coalesce(func.sum(amount), 0)] if amount is not None else [])
    row = db.session.execute(select(*cols).where(
        model.tenant_id == tenant_id, who == user_id, when >= day_start(start),
        when < day_after(end))).one()
    return int(row[0]), (int(row[1]) if amount is not None else None)


def _tables(*names: str) -> bool:
    return set(names) <= set(db.metadata.tables)


@contribution
def service(tenant_id: int, user_id: int, start: date, end: date) -> list[Figure]:
    if not _tables("service_record", "hours_request"):
        return []
    from app.service.models import HoursRequest as H
    from app.service.models import ServiceRecord as R

    out = []
    n, minutes = _count(R, R.verified_by_id, R.verified_at, tenant_id, user_id, start, end, R.minutes)
    if n:
        out.append(Figure(_l("Service records verified: %(m)s minutes", m=minutes), n))
    for label, who, when in ((_l("Hours added or corrected, proposed"), H.proposed_by_id, H.created_at),
                             (_l("Hours added or corrected, decided"), H.decided_by_id, H.decided_at)):
        n, _ = _count(H, who, when, tenant_id, user_id, start, end)
        if n:
            out.append(Figure(label, n))
    return out


@contribution
def money(tenant_id: int, user_id: int, start: date, end: date) -> list[Figure]:
    if not _tables("expenditure", "disbursement", "contract", "redemption", "tranche"):
        return []
    from app.funding.models import Contract, Disbursement, Tranche
    from app.funding.models_spending import Expenditure as E
    from app.funding.models_spending import Redemption

    rows = [
        (_l("Expenditures recorded"), E, E.recorded_by_id, E.created_at, E.amount_fen),
        (_l("Expenditures approved for the organization"), E, E.org_approved_by_id,
         E.org_approved_at, E.amount_fen),
        (_l("Expenditures approved for the bureau"), E, E.bureau_approved_by_id,
         E.bureau_approved_at, E.amount_fen),
        (_l("Payments requested"), Tranche, Tranche.requested_by_id, Tranche.requested_at,
         Tranche.amount_fen),
        (_l("Payments approved"), Disbursement, Disbursement.approved_by_id,
         Disbursement.created_at, Disbursement.amount_fen),
        (_l("Contracts signed"), Contract, Contract.signed_by_id, Contract.signed_at,
         Contract.price_fen),
        (_l("Point redemptions settled"), Redemption, Redemption.settled_by_id,
         Redemption.settled_at, Redemption.value_fen),
    ]
    out = []
    for label, model, who, when, amount in rows:
        n, fen = _count(model, who, when, tenant_id, user_id, start, end, amount)
        if n:
            out.append(Figure(label, n, fen))
    return out
