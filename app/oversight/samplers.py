"""Spot-check samplers for the records oversight knows: service records and expenditures."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.spotchecks.samplers import period, sampler


@sampler("service_record", title=_l("Service records (verified)"),
         tables=("service_record",))
def service_records(tenant_id: int, params: dict, cutoff):
    from app.service.models import ServiceRecord as R

    start, end = period(params)
    stmt = select(R.id, R.org_id).where(R.tenant_id == tenant_id, R.status == "verified",
                                         R.created_at <= cutoff)
    if params.get("org_id"):
        stmt = stmt.where(R.org_id == params["org_id"])
    if start:
        stmt = stmt.where(R.activity_date >= start)
    if end:
        stmt = stmt.where(R.activity_date <= end)
    return stmt


@sampler("expenditure", title=_l("Expenditures (recorded spending)"), tables=("expenditure",))
def expenditures(tenant_id: int, params: dict, cutoff):
    from app.funding.models_spending import Expenditure as E

    start, end = period(params)
    stmt = select(E.id, E.org_id).where(
        E.tenant_id == tenant_id, E.status.in_(("pending", "window", "objected", "final")),
        E.created_at <= cutoff)
    if params.get("org_id"):
        stmt = stmt.where(E.org_id == params["org_id"])
    if start:
        stmt = stmt.where(E.spent_on >= start)
    if end:
        stmt = stmt.where(E.spent_on <= end)
    return stmt
