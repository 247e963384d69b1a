"""The search as production runs it: the session bound to the engine, so a visitor's search
takes a pooled connection of its own, outside any transaction (real commits here)."""

from __future__ import annotations

import re

from sqlalchemy import text

from app.extensions import db
from tests.factories import OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory, shift


def names(client, url) -> list[str]:
    body = client.get(url).get_data(as_text=True)
    return re.findall(r'<h2><a href="/t/[^"]+/projects/\d+">([^<]+)</a></h2>', body)


def test_a_pooled_search_finds_the_same_and_leaves_its_connection_as_it_found_it(app, committed):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    for i in range(23):
        shift(ProjectFactory(org=org, name=f"助老服务{i:02d}"), capacity=3, confirmed_count=1)
    ProjectFactory(org=org, name="儿童课堂")
    committed.session.commit()
    slug, org_id = tenant.slug, org.id
    committed.session.close()  # SQLite: no read of ours holds the file while the pages read
    visitor = app.test_client(use_cookies=False)
    url = f"/t/{slug}/projects?q=助老&page=2"

    # More times than the driver waits before it prepares a statement it sees again.
    pages = [names(visitor, url) for _ in range(8)]
    assert pages[0] == [f"助老服务{i:02d}" for i in (2, 1, 0)]
    assert all(page == pages[0] for page in pages)
    body = visitor.get(f"/t/{slug}/projects?q=儿童").get_data(as_text=True)
    assert "儿童课堂" in body and "志愿岗位剩余" not in body
    # A page past the last shows the last.
    assert names(visitor, f"/t/{slug}/projects?q=助老&page=9") == pages[0]

    with app.app_context():
        # The pool hands the connection back in a transaction again, as every other use
        # of it expects: what is not committed is rolled back.
        org_name = db.session.scalar(text("SELECT name FROM organization WHERE id = :id"),
                                     {"id": org_id})
        db.session.execute(text("UPDATE organization SET name = '改名' WHERE id = :id"),
                           {"id": org_id})
        db.session.rollback()
        assert db.session.scalar(text("SELECT name FROM organization WHERE id = :id"),
                                 {"id": org_id}) == org_name == "阳光社工"
        db.session.remove()


def test_ids_past_a_database_integer_and_nul_characters_are_refused_not_failed(client, db):
    """Found by ``make fuzz`` (``GET /api/v1/t/{tenant}/projects?area=2147483648`` as an
    overseer answered 500 once the search handed its text to the driver): ids past what an
    integer column holds are refused by the API's arguments and ignored by the page; a word
    PostgreSQL cannot hold (a NUL character) is refused like any value out of range."""
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    ProjectFactory(org=org, name="助老服务")
    base = f"/api/v1/t/{tenant.slug}/projects"
    for query in ("area=2147483648", "org=2147483648", "area=0", "org=-1",
                  "area=99999999999999999999"):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 422, (query, response.status_code)
        assert response.get_json()["code"] == 422
        page = client.get(f"/t/{tenant.slug}/projects?{query}")
        assert page.status_code == 200 and "助老服务" in page.get_data(as_text=True)
    for url in (f"{base}?q=%E5%8A%A9%00%E8%80%81", f"/t/{tenant.slug}/projects?q=%E5%8A%A9%00"):
        assert client.get(url).status_code in (200, 400), url


def test_a_value_the_database_refuses_is_raised_as_sqlalchemy_raises_it(db):
    """The search hands its text to the driver itself on PostgreSQL; what the driver refuses
    still reaches the app as SQLAlchemy's error (a ``DataError`` is answered with a 400),
    not as the driver's own, which the app would take for a fault."""
    import pytest
    from sqlalchemy.exc import DataError

    from app.marketplace import services

    tenant = TenantFactory()
    filters = services.Filters(area_id=2**31)  # past what PostgreSQL's integer holds
    if db.engine.dialect.name == "postgresql":
        with pytest.raises(DataError):
            services.search(tenant, filters)
    else:
        assert services.search(tenant, filters).total == 0


def test_a_search_on_connections_the_server_has_closed_is_answered(app, committed):
    """The search's pool hands out a connection without asking the server first whether it
    is still there. After a restart (here: the server ends every other connection to the
    database) the first search finds its connection closed, drops the pool's idle ones and
    runs again on a new one: the visitor sees the page, not an error."""
    import pytest

    if committed.engine.dialect.name != "postgresql":
        pytest.skip("the search has a pool of its own on PostgreSQL only")
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    for i in range(3):
        ProjectFactory(org=org, name=f"助老服务{i}")
    committed.session.commit()
    slug = tenant.slug
    committed.session.close()
    visitors = [app.test_client(use_cookies=False) for _ in range(2)]
    url = f"/t/{slug}/projects?q=助老"
    first = names(visitors[0], url)
    assert first == ["助老服务2", "助老服务1", "助老服务0"]

    with app.app_context():
        ended = db.session.scalar(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        db.session.remove()
    assert ended >= 1  # the search's pooled connection among them

    for visitor in visitors:
        response = visitor.get(url)
        assert response.status_code == 200
        assert names(visitor, url) == first
