"""The link to purchased-service contracts: which contracts an evaluation may attach to."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db


def choices(org_id: int | None = None) -> list[tuple[int, str]]:
    """Signed or closed contracts of the current tenant (of one organization if given)."""
    from app.funding.models import Contract
    from app.tenancy.scoping import current_tenant

    stmt = select(Contract).where(Contract.tenant_id == current_tenant().id,
                                  Contract.status.in_(("signed", "closed")))
    if org_id:
        stmt = stmt.where(Contract.org_id == org_id)
    return [(c.id, f"{c.number or '#' + str(c.id)} {c.title}")
            for c in db.session.scalars(stmt.order_by(Contract.id.desc()))]
