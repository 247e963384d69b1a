"""Tenant and organization isolation, tested as an attack on every registered route."""

from __future__ import annotations

import re

import pytest

from tests.isolation import MAKERS, OPEN_ENDPOINTS, PUBLIC_ENDPOINTS

ARG_RE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
ALLOWED = {401, 403, 404}

#: Who may open what is decided by the code, the same on either database: ``make test`` runs
#: this walk once, with the SQLite run.
pytestmark = pytest.mark.code_only


def tenant_rules(app):
    for rule in app.url_map.iter_rules():
        if "tenant" in rule.arguments and rule.endpoint != "static":
            yield rule


def build(rule, tenant_slug: str, ids: dict) -> str:
    missing = [a for a in rule.arguments if a != "tenant" and a not in ids]
    assert not missing, f"{rule.rule}: no isolation maker for {missing}; add one in tests/makers/<domain>.py"
    values = {"tenant": tenant_slug, **{a: ids[a] for a in rule.arguments if a != "tenant"}}
    return ARG_RE.sub(lambda m: str(values[m.group(1)]), rule.rule)


def methods(rule):
    return sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))


def assert_refused(client, rule, url, secrets, who):
    for method in methods(rule):
        if method == "GET":
            response = client.open(url, method=method)
        elif url.startswith("/api/"):
            response = client.open(url, method=method, json={})
        else:
            response = client.open(url, method=method, data={})
        body = response.get_data(as_text=True)
        assert response.status_code in ALLOWED, f"{who} {method} {url} -> {response.status_code}"
        for secret in secrets:
            assert secret not in body, f"{who} {method} {url} leaked {secret!r}"


ATTACKERS = ["officer", "auditor", "admin", "coordinator", "bookkeeper", "volunteer", "resident"]


@pytest.mark.parametrize("role", ATTACKERS)
def test_other_tenants_ids_are_refused_on_every_route(app, client, world, login, role):
    """Signed in to tenant A, naming tenant B's objects: every route answers 403/404."""
    login(getattr(world.a.users, role))
    secrets = [o.name for o in world.b.orgs]
    checked = 0
    for rule in tenant_rules(app):
        if len(rule.arguments) == 1:
            continue  # only the tenant: nothing of B's to name
        url = build(rule, world.a.tenant.slug, world.b.extra[0])
        assert_refused(client, rule, url, secrets, role)
        checked += 1
    assert checked == sum(1 for r in tenant_rules(app) if len(r.arguments) > 1)


@pytest.mark.parametrize("role", ATTACKERS)
def test_other_tenants_internal_pages_are_refused(app, client, world, login, role):
    """Signed in to tenant A, opening tenant B's non-public pages: 401/403/404, nothing leaked."""
    login(getattr(world.a.users, role))
    for rule in tenant_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS | OPEN_ENDPOINTS:
            continue
        url = build(rule, world.b.tenant.slug, world.b.extra[0])
        assert_refused(client, rule, url, [world.b.orgs[0].name], role)


@pytest.mark.parametrize("role", ["admin", "coordinator", "bookkeeper"])
def test_other_organizations_internals_are_refused(app, client, world, login, role):
    """Staff of organization 1 naming organization 2's objects in the same tenant."""
    login(getattr(world.a.users, role))
    for rule in tenant_rules(app):
        if len(rule.arguments) == 1 or rule.endpoint in PUBLIC_ENDPOINTS | OPEN_ENDPOINTS:
            continue
        url = build(rule, world.a.tenant.slug, world.a.extra[1])
        assert_refused(client, rule, url, [], role)


def test_every_object_argument_has_a_maker(app):
    from tests.isolation import load_makers

    load_makers()
    args = {a for r in app.url_map.iter_rules() for a in r.arguments} - {"tenant", "filename", "code"}
    assert args <= set(MAKERS), f"routes take {sorted(args - set(MAKERS))} with no isolation maker"


def test_unknown_tenant_is_404(client):
    assert client.get("/t/no-such-tenant/").status_code == 404
    assert client.get("/api/v1/t/no-such-tenant/areas").status_code == 404


def test_backstop_hides_other_tenants_rows_even_without_scoped(app, db, world):
    """A query that forgets ``scoped()`` still sees only the bound tenant's rows."""
    from flask import g
    from sqlalchemy import select

    from app.orgs.models import Organization

    mine, theirs = _named_for(db, world.a), _named_for(db, world.b)  # before it is bound
    with app.test_request_context(f"/t/{world.a.tenant.slug}/"):
        g.tenant, g.tenant_id = world.a.tenant, world.a.tenant.id
        names = set(db.session.scalars(select(Organization.name)))
    assert names == mine and {o.name for o in world.a.orgs} <= names and not names & theirs


def _named_for(db, side) -> set[str]:
    """The organizations of one tenant of the world, found by its id without a request
    bound (its two organizations, and any group an isolation maker added)."""
    from sqlalchemy import select

    from app.orgs.models import Organization

    return set(db.session.scalars(select(Organization.name).where(
        Organization.tenant_id == side.tenant.id)))


def test_backstop_keeps_a_statement_built_once_to_the_tenant_it_runs_for(app, db, world):
    """A statement built once and run for one tenant, then another, sees each time only the
    rows of the tenant bound at that moment: its scoped copy is kept per tenant."""
    from flask import g
    from sqlalchemy import select

    from app.orgs.models import Organization

    a, b = _named_for(db, world.a), _named_for(db, world.b)  # before a tenant is bound
    built_once = select(Organization.name)
    seen = []
    for side in (world.a, world.b, world.a):
        with app.test_request_context(f"/t/{side.tenant.slug}/"):
            g.tenant, g.tenant_id = side.tenant, side.tenant.id
            seen.append(set(db.session.scalars(built_once)))
    assert seen == [a, b, a] and not a & b and {o.name for o in world.b.orgs} <= b
