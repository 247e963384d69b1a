"""Needs: any member of the tenant posts; some post for others; the resident confirms; the
organizations the need is routed to see and claim it; a volunteer sees and takes on in person
a wish on the wish wall; the claimant handles it; the bureau and auditors see all and start
calls from them. The wish wall is public (masked) and needs no rule."""

from __future__ import annotations

from app.auth.models import Role
from app.needs.models import NeedStatus
from app.permissions import OVERSIGHT, has_tenant_role, rule, tenant_of
from app.service.permissions import COORDINATING


def _own(user, need) -> bool:
    return user.id in (getattr(need, "resident_id", None), getattr(need, "posted_by_id", None))


def _coordinating(user, need) -> set[int]:
    return user.org_ids(tenant_of(need), *COORDINATING)


def _routed_to_mine(user, need) -> bool:
    from app.needs.routing import routed_org_ids

    mine = _coordinating(user, need) | user.org_ids(tenant_of(need))
    return bool(mine) and bool(mine & routed_org_ids(need))


@rule("need.post")
def _post(user, tenant) -> bool:
    """Any member but in an auditor's read-only hat."""
    return bool(user.roles_in(tenant_of(tenant)) - {Role.AUDITOR})


@rule("need.view")
def _view(user, need) -> bool:
    if _own(user, need) or has_tenant_role(user, need, *OVERSIGHT):
        return True
    if need.claimed_org_id and need.claimed_org_id in user.org_ids(tenant_of(need)):
        return True
    if need.claimed_volunteer_id is not None and need.claimed_volunteer_id == user.id:
        return True
    if need.status == NeedStatus.OPEN and need.on_wall and has_tenant_role(user, need,
                                                                           Role.VOLUNTEER):
        return True
    return need.status == NeedStatus.OPEN and _routed_to_mine(user, need)


@rule("need.claim")
def _claim(user, need) -> bool:
    from app.needs.routing import routed_org_ids

    return getattr(need, "status", None) == NeedStatus.OPEN and bool(
        _coordinating(user, need) & routed_org_ids(need))


@rule("need.claim_in_person")
def _take(user, need) -> bool:
    """A volunteer takes on, in person, an open wish from the wish wall (not their own)."""
    from app.needs.models import Need
    from app.needs.services import may_claim_in_person

    return isinstance(need, Need) and may_claim_in_person(need, user)


@rule("need.handle")
def _handle(user, need) -> bool:
    if getattr(need, "claimed_volunteer_id", None) is not None:
        return need.claimed_volunteer_id == user.id
    claimant = getattr(need, "claimed_org_id", None)
    return claimant is not None and claimant in _coordinating(user, need)


@rule("need.act")
def _act(user, need) -> bool:
    """Coordinates an organization the need is routed to or that took it on: may ask to
    claim, give back or meet it (the service then says whether the need's state allows it)."""
    from app.needs.routing import routed_org_ids

    if getattr(need, "claimed_volunteer_id", None) is not None:
        return need.claimed_volunteer_id == user.id
    mine = _coordinating(user, need)
    if not mine or not hasattr(need, "claimed_org_id"):
        return False
    return need.claimed_org_id in mine or bool(mine & routed_org_ids(need))


@rule("need.confirm")
def _confirm(user, need) -> bool:
    from app.needs.models import Need
    from app.needs.services import may_confirm

    return isinstance(need, Need) and may_confirm(need, user)


@rule("need.queue.view")
def _queue(user, tenant) -> bool:
    return bool(user.org_ids(tenant_of(tenant))) or has_tenant_role(user, tenant, *OVERSIGHT)


@rule("need.overview.view")
def _oversee(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)


@rule("need.start_call")
def _start_call(user, tenant) -> bool:
    """Bureau officers start a call for proposals from a cluster of unmet needs."""
    return has_tenant_role(user, tenant, Role.BUREAU_OFFICER)


@rule("need.post_for_others")
def _for_others(user, tenant) -> bool:
    return has_tenant_role(user, tenant, Role.BUREAU_OFFICER, Role.VOLUNTEER) or bool(
        user.org_ids(tenant_of(tenant), *COORDINATING))


@rule("need.contact")
def _contact(user, need) -> bool:
    """The resident and the volunteer of a wish taken on in person, while it is in hand or
    waiting to be confirmed: they let each other see their mobile numbers."""
    from app.needs.contact import side
    from app.needs.models import Need

    return isinstance(need, Need) and side(need, user) is not None
