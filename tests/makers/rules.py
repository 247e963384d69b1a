"""Isolation makers for rule changes; the funding and incentive rules page is public."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker


@maker("change_id")
def _change(world, org):
    """A money rule's change waiting for approval, proposed by the world's bureau officer."""
    from datetime import date

    from app.rules import services

    return services.propose(world.tenant, world.users.officer, "petty_cash_cap_fen", "1500",
                            date(2099, 1, 1), reason=f"{org.name}的机密理由").id


PUBLIC_ENDPOINTS.update({"rules.public", "api_rules.PublicRules"})
