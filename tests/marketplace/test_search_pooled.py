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
