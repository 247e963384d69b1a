"""Funding jobs: make expenditures final once their overseer window has passed."""

from __future__ import annotations


def finalize_due(tenant_id: int) -> int:
    """Finalize every expenditure of the tenant whose objection window ended without an open
    objection. Idempotent: a final expenditure is skipped. Returns how many became final."""
    from app.db_commit import commit
    from app.extensions import db
    from app.funding.models_spending import Expenditure
    from app.funding.spending import due_for_finalizing, finalize_if_due

    done = 0
    for expenditure_id in due_for_finalizing(tenant_id):
        if finalize_if_due(db.session.get(Expenditure, expenditure_id)):
            done += 1
        commit()
    return done
