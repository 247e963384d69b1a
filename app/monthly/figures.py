"""The figures of a monthly report, read from the functions that define them elsewhere:

- money per contract: the month's movements on its account (``disclosure.statements``, as the
  quarterly statements read them) and the contract's figures at the month's end, by the same
  definitions as ``funding.figures`` (合同金额, 已拨付 = 账面余额 + 已支出 + 已退回, 已支出 = the
  expense accounts, 已退回, 账面余额 = the contract account); 待审批支出 (not in the books) is
  as it stood when the report was made, and 可用余额 = 账面余额 − 待审批支出;
- service: ``oversight.service_figures.live`` for the month (verified hours, volunteers,
  people served = attendance, ratings, complaints received), plus complaints answered and
  needs met in the month; the month before is read the same way, for the change.

Everything is stored as plain numbers and names (``snapshot``), so the published report
does not change when names or records change later.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app.extensions import db

#: The beginning of the books, for "everything up to the month's end".
EPOCH = date(2000, 1, 1)
#: Service figures in the order every page and file shows them.
SERVICE_KEYS = ("hours", "volunteers", "people_served", "satisfaction", "ratings",
                "complaints_received", "complaints_answered", "needs_met")
MONEY_KEYS = ("opening", "received", "spent", "returned", "closing")
PUBLISHED = ("signed", "closed")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _contracts(tenant_id: int, org_id: int | None, end: date) -> list:
    from app.funding.models import Contract

    stmt = select(Contract).where(Contract.tenant_id == tenant_id,
                                  Contract.status.in_(PUBLISHED), Contract.starts_on <= end)
    if org_id is not None:
        stmt = stmt.where(Contract.org_id == org_id)
    return list(db.session.scalars(stmt.order_by(Contract.starts_on, Contract.id)))


def contract_money(tenant_id: int, contract, start: date, end: date, pending: int) -> dict:
    """One contract's month (movements) and its figures at the month's end, in fen."""
    from app.disclosure.statements import movements

    month = movements(tenant_id, contract, start, end)
    to_date = movements(tenant_id, contract, EPOCH, end)
    spent = sum(to_date.by_line.values())
    held, refunded = to_date.closing, to_date.returned
    return {
        "month": {"opening": month.opening, "received": month.received, "spent": month.spent,
                  "returned": month.returned, "closing": month.closing},
        "figures": {"amount": contract.price_fen, "disbursed": held + spent + refunded,
                    "spent": spent, "pending": pending, "held": held, "refunded": refunded},
    }


def _answered(tenant_id: int, org_id: int | None, start: date, end: date) -> int:
    from app.audit.log import day_after, day_start
    from app.complaints.models import Complaint

    stmt = select(func.count(Complaint.id)).where(
        Complaint.tenant_id == tenant_id, Complaint.answered_at >= day_start(start),
        Complaint.answered_at < day_after(end))
    if org_id is not None:
        stmt = stmt.where(Complaint.org_id == org_id)
    return int(db.session.scalar(stmt) or 0)


def _needs_met(tenant_id: int, org_id: int | None, start: date, end: date) -> int:
    from app.audit.log import day_after, day_start
    from app.needs.models import Need, NeedStatus

    stmt = select(func.count(Need.id)).where(
        Need.tenant_id == tenant_id, Need.status.in_((NeedStatus.MET, NeedStatus.CONFIRMED)),
        Need.met_at >= day_start(start), Need.met_at < day_after(end))
    if org_id is not None:
        stmt = stmt.where(Need.claimed_org_id == org_id)
    return int(db.session.scalar(stmt) or 0)


def service(tenant_id: int, org_id: int | None, start: date, end: date) -> dict:
    from app.oversight.service_figures import live

    s = live(tenant_id, org_id, start, end)
    return {"hours": str(s.hours), "verified_minutes": s.verified_minutes,
            "volunteers": s.volunteers, "people_served": s.people_served,
            "satisfaction": None if s.satisfaction is None else str(s.satisfaction),
            "ratings": s.ratings, "complaints_received": s.complaints,
            "complaints_answered": _answered(tenant_id, org_id, start, end),
            "needs_met": _needs_met(tenant_id, org_id, start, end)}


def snapshot(tenant_id: int, org_id: int | None, year: int, month: int) -> dict:
    """Everything a monthly report shows, as plain numbers and names."""
    from app.funding.figures import for_contracts
    from app.orgs.models import Organization

    start, end = month_bounds(year, month)
    contracts = _contracts(tenant_id, org_id, end)
    current = for_contracts(tenant_id, contracts)
    names = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant_id)).all())
    rows, total_month, total_figures = [], dict.fromkeys(MONEY_KEYS, 0), {}
    for c in contracts:
        money = contract_money(tenant_id, c, start, end, current[c.id].pending)
        if c.ends_on < start and not any(money["month"][k] for k in ("received", "spent", "returned")):
            continue  # ended before the month and nothing moved in it
        rows.append({"number": c.number, "title": c.title, "org": names.get(c.org_id, ""),
                     "starts_on": c.starts_on.isoformat(), "ends_on": c.ends_on.isoformat(),
                     **money})
        for key in MONEY_KEYS:
            total_month[key] += money["month"][key]
        for key, fen in money["figures"].items():
            total_figures[key] = total_figures.get(key, 0) + fen
    before = month_bounds(*previous_month(year, month))
    return {"start": start.isoformat(), "end": end.isoformat(), "contracts": rows,
            "month": total_month, "figures": total_figures,
            "service": service(tenant_id, org_id, start, end),
            "previous": service(tenant_id, org_id, *before)}


def change(now, before) -> str:
    """The month's change as the page prints it: +3, −1.5, 0, or — when either is unknown."""
    if now is None or before is None:
        return "—"
    delta = Decimal(str(now)) - Decimal(str(before))
    if delta > 0:
        return f"+{delta}"
    return f"−{-delta}" if delta < 0 else "0"
