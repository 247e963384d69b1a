"""One answer to "may this user do this to this object".

Every check names an action (``"project.edit"``) and usually an object that
carries ``tenant_id`` (and ``org_id`` when an organization owns it). Rules are
small predicates registered here or, for a domain's own actions, by that
domain with ``@rule``; ``can()`` is the only way views, the API and templates
ask. The auditor's rules are read-only by construction: no write rule names it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g
from flask_login import current_user

from app.auth.models import ORG_ROLES, Role

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}

BUREAU = (Role.BUREAU_OFFICER,)
OVERSIGHT = (Role.BUREAU_OFFICER, Role.AUDITOR)


def rule(*actions: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for action in actions:
            if action in RULES and RULES[action] is not fn:
                raise RuntimeError(f"rule {action!r} registered twice")
            RULES[action] = fn
        return fn

    return register


def can(action: str, obj: Any = None, user: Any = None) -> bool:
    user = current_user if user is None else user
    check = RULES.get(action)
    if check is None:
        raise KeyError(f"no permission rule for {action!r}")
    if not getattr(user, "is_authenticated", False):
        return bool(getattr(check, "public", False)) and check(None, obj)
    if not user.active:
        return False
    return bool(check(user, obj))


def require(action: str, obj: Any = None) -> None:
    """Abort with 403 unless the current user may do ``action`` to ``obj``."""
    if not getattr(current_user, "is_authenticated", False):
        abort(401)
    if not can(action, obj):
        abort(403)


def public(fn: Rule) -> Rule:
    """Mark a rule as answerable for anonymous visitors (user is ``None``)."""
    fn.public = True  # type: ignore[attr-defined]
    return fn


# Predicates the rules are built from ---------------------------------------------------

def tenant_of(obj: Any) -> int:
    tenant_id = getattr(obj, "tenant_id", None)
    if tenant_id is None:
        tenant = g.get("tenant")
        tenant_id = tenant.id if tenant is not None else None
    return tenant_id


def has_tenant_role(user: Any, obj: Any, *roles: Role) -> bool:
    return user is not None and user.has_role(tenant_of(obj), *roles)


def is_staff(user: Any, tenant_id: int, org_id: int | None, *roles: Role) -> bool:
    """``user`` holds one of ``roles`` (default: any org role) in organization ``org_id``."""
    if user is None or org_id is None:
        return False
    return user.has_role(tenant_id, *(roles or tuple(ORG_ROLES)), org_id=org_id)


def org_of(obj: Any) -> int | None:
    from app.orgs.models import Organization

    return obj.id if isinstance(obj, Organization) else getattr(obj, "org_id", None)


# Foundation rules ----------------------------------------------------------------------

@rule("platform.admin")
def _platform_admin(user, obj) -> bool:
    return user.is_platform_admin


@rule("tenant.administer", "org.verify", "area.manage")
def _bureau(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)


@rule("area.assign_staff")
def _assign_staff(user, obj) -> bool:
    """Who is in charge of which area is the bureau's to say: an officer in charge of areas
    (community or street staff, a grid worker) may not widen, or drop, their own charge —
    without one, they would write community notices to the whole district."""
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import AreaStaff

    if not has_tenant_role(user, obj, *BUREAU):
        return False
    return db.session.scalar(select(AreaStaff.id).where(
        AreaStaff.tenant_id == tenant_of(obj), AreaStaff.user_id == user.id).limit(1)) is None


@rule("tenant.oversee", "audit.read")
def _oversight(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT)


@rule("org.view_internal")
def _org_internal(user, obj) -> bool:
    """Rosters, drafts, receipts: the org's own staff, the bureau and auditors."""
    return is_staff(user, tenant_of(obj), org_of(obj)) or has_tenant_role(user, obj, *OVERSIGHT)


@rule("org.manage")
def _org_manage(user, obj) -> bool:
    return is_staff(user, tenant_of(obj), org_of(obj), Role.ORG_ADMIN)


@rule("org.coordinate")
def _org_coordinate(user, obj) -> bool:
    return is_staff(user, tenant_of(obj), org_of(obj), Role.ORG_ADMIN, Role.ORG_COORDINATOR)


@rule("org.keep_books")
def _org_books(user, obj) -> bool:
    return is_staff(user, tenant_of(obj), org_of(obj), Role.ORG_ADMIN, Role.ORG_BOOKKEEPER)


@rule("volunteer.view_profile", "volunteer.edit_profile")
def _own_profile(user, profile) -> bool:
    return getattr(profile, "user_id", None) == user.id


@rule("volunteer.view_personal_data")
def _personal_data(user, profile) -> bool:
    """Unmasked ID/phone: the person themselves only; staff see masked values."""
    return getattr(profile, "user_id", None) == user.id


@rule("tenant.member")
def _member(user, obj) -> bool:
    return bool(user.roles_in(tenant_of(obj)))
