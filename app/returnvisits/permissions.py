"""Return visits: the bureau's officers draw samples and make the visits; auditors read the
samples and outcomes (with phone numbers masked); only the officer doing a visit records it."""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule


@rule("returnvisit.view")
def _view(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT)


@rule("returnvisit.draw", "returnvisit.take")
def _bureau(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)


@rule("returnvisit.record")
def _record(user, visit) -> bool:
    """The officer who took the visit on."""
    return has_tenant_role(user, visit, *BUREAU) and getattr(visit, "visited_by_id", None) == user.id
