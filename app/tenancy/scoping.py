"""The tenant-scoped query layer: the one place tenant isolation is enforced.

Every tenant-owned row is loaded through ``scoped()`` or ``get_or_404()``, which
filter by the tenant resolved from the URL (``/t/<tenant>/…``). A second,
independent backstop adds the same criterion to every ORM SELECT of a
``TenantScoped`` model while a request is bound to a tenant, so a query that
forgot ``scoped()`` still cannot see another tenant's rows.
"""

from __future__ import annotations

import json
import time
import weakref
from typing import TypeVar

from flask import Flask, abort, current_app, g, has_app_context
from sqlalchemy import Select, event, select
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    make_transient_to_detached,
    with_loader_criteria,
)
from sqlalchemy.orm.util import identity_key

from app.db import OrgScoped, TenantScoped
from app.extensions import db
from app.tenancy.models import Tenant

M = TypeVar("M")


def current_tenant() -> Tenant:
    tenant = g.get("tenant")
    if tenant is None:
        abort(404)
    return tenant


def scoped(model: type[M], *criteria) -> Select:
    """``SELECT model`` restricted to the current tenant."""
    return select(model).where(model.tenant_id == current_tenant().id, *criteria)


def get_or_404(model: type[M], ident: int | str | None, *, org_id: int | None = None) -> M:
    """Load one tenant-owned row by id, or 404 if it is missing or not this tenant's.

    With ``org_id``, the row must also belong to that organization.
    """
    try:
        ident = int(ident)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        abort(404)
    stmt = scoped(model, model.id == ident)
    if org_id is not None:
        if not issubclass(model, OrgScoped):
            raise TypeError(f"{model.__name__} is not organization-owned")
        stmt = stmt.where(model.org_id == org_id)
    obj = db.session.scalar(stmt)
    if obj is None:
        abort(404)
    return obj


#: slug -> (valid until, the tenant row's values, its JSON columns as JSON text). Every tenant page
#: starts by resolving its slug, and the row changes rarely. A change made in this process
#: clears the cache at once; other processes see it within ``TENANT_CACHE_SECONDS``.
_by_slug: dict[str, tuple[float, dict, str]] = {}
_JSON_COLUMNS = ("settings", "rule_timeline")
_COLUMNS = [c.key for c in Tenant.__table__.columns]


def tenant_by_slug(slug: str) -> Tenant | None:
    hit = _by_slug.get(slug)
    if hit is not None and hit[0] > time.monotonic():
        values = hit[1]
        known = db.session.identity_map.get(identity_key(Tenant, values["id"]))
        if known is not None:
            return known
        tenant = Tenant(**values, **json.loads(hit[2]))  # a copy of its own
        make_transient_to_detached(tenant)  # as if just loaded: nothing to write back
        db.session.add(tenant)
        return tenant
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    seconds = current_app.config.get("TENANT_CACHE_SECONDS", 0)
    if tenant is not None and seconds:
        values = {key: getattr(tenant, key) for key in _COLUMNS if key not in _JSON_COLUMNS}
        _by_slug[slug] = (time.monotonic() + seconds, values,
                          json.dumps({key: getattr(tenant, key) for key in _JSON_COLUMNS}))
    return tenant


@event.listens_for(Tenant, "after_insert")
@event.listens_for(Tenant, "after_update")
@event.listens_for(Tenant, "after_delete")
def _forget_tenants(*args) -> None:
    _by_slug.clear()


def _bind_tenant(endpoint, values) -> None:
    if values and "tenant" in values:
        tenant = tenant_by_slug(values.pop("tenant"))
        if tenant is None:
            abort(404)
        g.tenant = tenant
        g.tenant_id = tenant.id


def _tenant_endpoints(app: Flask) -> frozenset[str]:
    """The endpoints whose address names a tenant, found once: the routes are fixed once the
    app serves (``url_map.is_endpoint_expecting`` walks them on every ``url_for``)."""
    found = app.extensions.get("gz_tenant_endpoints")
    if found is None:
        found = app.extensions["gz_tenant_endpoints"] = frozenset(
            rule.endpoint for rule in app.url_map.iter_rules() if "tenant" in rule.arguments)
    return found


def _default_tenant(endpoint, values) -> None:
    if "tenant" in values or g.get("tenant") is None:
        return
    if endpoint in _tenant_endpoints(current_app):
        values["tenant"] = g.tenant.slug


#: statement -> {tenant id: the same statement with the tenant criterion}. A statement built
#: once (at module level, with bound parameters) keeps one scoped copy per tenant, so its
#: SQL and cache key are worked out once, not again on every execution.
_scoped_copies: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _with_tenant(statement, tenant_id: int):
    copies = _scoped_copies.get(statement)
    if copies is None:
        copies = _scoped_copies[statement] = {}
    scoped_copy = copies.get(tenant_id)
    if scoped_copy is None:
        scoped_copy = copies[tenant_id] = statement.options(with_loader_criteria(
            TenantScoped, lambda cls: cls.tenant_id == tenant_id, include_aliases=True))
    return scoped_copy


def _backstop(state: ORMExecuteState) -> None:
    if not state.is_select or state.execution_options.get("all_tenants"):
        return
    if not has_app_context():
        return
    tenant_id = g.get("tenant_id")
    if tenant_id is None:
        return
    state.statement = _with_tenant(state.statement, tenant_id)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_bind_tenant)
    app.url_defaults(_default_tenant)
    if not event.contains(Session, "do_orm_execute", _backstop):
        event.listen(Session, "do_orm_execute", _backstop)


def bind_tenant_for_job(tenant: Tenant) -> None:
    """Jobs and CLI commands that act for one tenant bind it the same way a URL does."""
    g.tenant = tenant
    g.tenant_id = tenant.id
