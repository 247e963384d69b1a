"""Navigation by role. Each domain adds its entries with ``nav_item``; the layout
shows the ones the current user may use in the current tenant."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import g, url_for
from flask_login import current_user

from app.auth.models import ORG_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy string
    endpoint: str
    visible: Callable[[Any, Any], bool]
    order: int = 50


NAV: list[NavItem] = []


def nav_item(label, endpoint: str, visible: Callable[[Any, Any], bool], order: int = 50) -> None:
    if not any(item.endpoint == endpoint for item in NAV):
        NAV.append(NavItem(label, endpoint, visible, order))


def anyone(user, tenant) -> bool:
    return True


def signed_in(user, tenant) -> bool:
    return user is not None


def with_roles(*roles: Role) -> Callable[[Any, Any], bool]:
    def check(user, tenant) -> bool:
        return user is not None and user.has_role(tenant.id, *roles)

    return check


def org_staff(user, tenant) -> bool:
    return user is not None and user.has_role(tenant.id, *ORG_ROLES)


def items() -> list[tuple[str, str]]:
    tenant = g.get("tenant")
    if tenant is None:
        return []
    user = current_user if current_user.is_authenticated else None
    return [(str(item.label), url_for(item.endpoint))
            for item in sorted(NAV, key=lambda i: i.order) if item.visible(user, tenant)]
