"""Navigation by role. Each domain adds its entries with ``nav_item``; the layout shows
the ones the current user may use in the current tenant.

An entry either stands at the top of the header or belongs to a menu (``group``): the
person's own things (我的, which also holds the account and signing out, at the right end),
an organization's work, the bureau's organizations and service, funds, oversight, and what
is public. A menu with a single entry for this person shows as that entry, so nobody opens
a menu to find one link; the header stays short for every role.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, g, has_request_context, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event

from app.auth.models import ORG_ROLES, Role
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any  # a lazy string
    order: int


MINE = "mine"

#: The menus, in header order.
GROUPS: dict[str, NavGroup] = {g.key: g for g in (
    NavGroup("mine", _l("My things"), 20),
    NavGroup("work", _l("Organization work"), 30),
    NavGroup("bureau", _l("Organizations and service"), 40),
    NavGroup("money", _l("Funds and books"), 50),
    NavGroup("oversight", _l("Oversight and audit"), 60),
    NavGroup("public", _l("Public look-up"), 70),
)}


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy string
    endpoint: str
    visible: Callable[[Any, Any], bool]
    order: int = 50
    group: str | None = None


@dataclass
class NavEntry:
    """What the header shows: a link, or a menu of links (``children``)."""

    label: str
    href: str | None = None
    children: list[tuple[str, str]] = field(default_factory=list)
    key: str = ""


NAV: list[NavItem] = []


def nav_item(label, endpoint: str, visible: Callable[[Any, Any], bool], order: int = 50,
             group: str | None = None) -> None:
    """Offer ``endpoint`` to those ``visible`` says may use it. One endpoint may be offered
    twice, to different people (the front page: a visitor's home, a member's workbench)."""
    if group is not None and group not in GROUPS:
        raise ValueError(f"unknown menu {group!r}")
    item = NavItem(label, endpoint, visible, order, group)
    if not any((i.endpoint, i.group, i.visible) == (endpoint, group, visible) for i in NAV):
        NAV.append(item)


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


def visible_items(user, tenant) -> list[NavItem]:
    """The items ``user`` may see in ``tenant``; worked out once per request (the header and
    the 我的 menu both ask)."""
    key = (getattr(user, "id", None), tenant.id)
    known = request.environ.setdefault("gongzhi.nav", {}) if has_request_context() else {}
    if key not in known:
        known[key] = [item for item in sorted(NAV, key=lambda i: i.order)
                      if item.visible(user, tenant)]
    return known[key]


def entries(user, tenant) -> list[NavEntry]:
    """The header's entries for ``user`` (None for a visitor) in ``tenant``, but 我的
    (``mine``)."""
    top: list[tuple[int, NavEntry]] = []
    menus: dict[str, list[NavItem]] = {}
    seen: set[str] = set()
    for item in visible_items(user, tenant):
        if item.group == MINE:
            continue
        if item.endpoint in seen:  # offered twice (two roles): the first menu keeps it
            continue
        seen.add(item.endpoint)
        if item.group is None:
            top.append((item.order, NavEntry(str(item.label), url_for(item.endpoint),
                                             key=item.endpoint)))
        else:
            menus.setdefault(item.group, []).append(item)
    for key, items in menus.items():
        group = GROUPS[key]
        if len(items) == 1:
            only = items[0]
            entry = NavEntry(str(only.label), url_for(only.endpoint), key=only.endpoint)
        else:
            entry = NavEntry(str(group.label), key=key,
                             children=[(str(i.label), url_for(i.endpoint)) for i in items])
        top.append((group.order, entry))
    return [entry for _order, entry in sorted(top, key=lambda pair: pair[0])]


def mine(user, tenant) -> list[tuple[str, str]]:
    """The person's own things in ``tenant``, for the 我的 menu."""
    return [(str(i.label), url_for(i.endpoint)) for i in visible_items(user, tenant)
            if i.group == MINE]


#: (tenant id, language, script root) -> (valid until, a visitor's header entries). What a
#: visitor may see depends on the tenant row alone: kept as long as that row is
#: (``TENANT_CACHE_SECONDS``), and dropped at once when a tenant changes in this process.
_visitors: dict[tuple, tuple[float, list[NavEntry]]] = {}


def items() -> list[NavEntry]:
    tenant = g.get("tenant")
    if tenant is None:
        return []
    if current_user.is_authenticated:
        return entries(current_user, tenant)
    seconds = current_app.config.get("TENANT_CACHE_SECONDS", 0)
    key = (tenant.id, str(get_locale()), request.script_root)
    hit = _visitors.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    found = entries(None, tenant)
    if seconds:
        _visitors[key] = (time.monotonic() + seconds, found)
    return found


@event.listens_for(Tenant, "after_update")
@event.listens_for(Tenant, "after_delete")
def _forget_visitors(*args) -> None:
    _visitors.clear()


def my_items() -> list[tuple[str, str]]:
    tenant = g.get("tenant")
    if tenant is None or not current_user.is_authenticated:
        return []
    return mine(current_user, tenant)


def path_for(endpoint: str, **values) -> str:
    """The site-relative path of ``endpoint``: in a request as ``url_for`` gives it, and from
    a job or a command too (no request, no server name), so a message sent from the
    background still links to its object."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost",
                                       script_name=current_app.config.get("APPLICATION_ROOT"))
    return adapter.build(endpoint, values)
