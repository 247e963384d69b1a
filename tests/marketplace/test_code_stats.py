"""The search names only its query's rarest code in the index condition (PostgreSQL), by
PostgreSQL's own statistics; what it finds is confirmed word by word either way."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.marketplace import code_stats
from app.projects import searchtext
from tests.factories import OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory


def test_the_rarest_code_is_the_one_the_fewest_projects_hold(client, db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("codes and their statistics are PostgreSQL's (SQLite scans the text)")
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    for i in range(60):
        ProjectFactory(org=org, name=f"法律咨询{i}", theme="每周法律咨询")
    ProjectFactory(org=org, name="老人理发", theme="上门理发")
    db.session.flush()
    db.session.execute(text("ANALYZE project"))
    code_stats.forget()
    try:
        common = searchtext.term_grams("法律咨询")
        rare = searchtext.term_grams("理发")
        assert code_stats.rarest(common + rare) == rare
        # The search still finds every project holding both words, and only those.
        body = client.get(f"/t/{tenant.slug}/projects?q=法律咨询").get_data(as_text=True)
        assert "共找到 60 个项目" in body
        body = client.get(f"/t/{tenant.slug}/projects?q=理发 老人").get_data(as_text=True)
        assert "共找到 1 个项目" in body and "老人理发" in body
    finally:
        code_stats.forget()


def test_one_code_or_none_is_kept_as_it_is():
    assert code_stats.rarest([]) == [] and code_stats.rarest([7]) == [7]
