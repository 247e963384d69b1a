"""Migrations on a database that already holds data: nothing is lost (SQLite recreates
the organization table, which must not cascade to its projects) and old projects become
searchable."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db as _db
from tests import settings
from tests.conftest import test_config as config_for

ROWS = """
INSERT INTO tenant (id, slug, name, settings, created_at) VALUES (1, 'mig', 'm', '{}', '2026-01-01');
INSERT INTO organization (id, name, credit_code, kind, status, tenant_id, created_at)
  VALUES (1, '旧组织', '91350100M000100Y43', '群众生活类', 'verified', 1, '2026-01-01');
INSERT INTO project (id, name, theme, highlights, content, schedule, expected_outcomes, team_roles,
  budget_lines, safety_plan, target_groups, category, status, cancel_deadline_hours,
  closing_report, org_id, tenant_id, created_at)
  VALUES (1, '老年助餐', '', '', '每天中午送餐', '', '', '', '[]', '', '[]', '助老服务', 'published', 24,
          '', 1, 1, '2026-01-01')
"""


@pytest.fixture
def keep_loggers():
    """Alembic's ``fileConfig`` disables every logger that exists; put them back after."""
    loggers = [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    before = {lg: lg.disabled for lg in loggers}
    yield
    for lg, disabled in before.items():
        lg.disabled = disabled


@pytest.fixture
def empty_app(tmp_path, keep_loggers):
    """The app on a database of its own, empty, at no revision."""
    if settings.BACKEND == "sqlite":
        url, admin = f"sqlite:///{tmp_path / 'mig.sqlite'}", None
    else:
        name = f"gz_mig_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(settings.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = sa.engine.make_url(settings.POSTGRES_ADMIN_URL).set(database=name)
        url = url.render_as_string(hide_password=False)
    app = create_app(config_for(tmp_path, url))
    try:
        with app.app_context():
            yield app
            _db.engine.dispose()
    finally:
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()


def test_upgrade_keeps_rows_and_indexes_old_projects(empty_app):
    upgrade(revision="0002")
    with _db.engine.begin() as conn:
        for statement in ROWS.split(";"):
            conn.exec_driver_sql(statement)
    upgrade(revision="0003")
    with _db.engine.connect() as conn:
        project = conn.execute(sa.text("SELECT name, search_text FROM project")).one()
        orgs = conn.execute(sa.text("SELECT name, description FROM organization")).all()
        if settings.BACKEND != "sqlite":
            grams = conn.execute(sa.text("SELECT search_grams FROM project")).scalar()
            assert "助餐" in grams and "午送" in grams
    assert tuple(project) == ("老年助餐", "老年助餐   每天中午送餐")
    assert [tuple(o) for o in orgs] == [("旧组织", "")]
    upgrade()
    downgrade(revision="0002")
    with _db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM project")).scalar() == 1


def test_upgrade_folds_the_search_text_of_every_project(empty_app):
    """Projects written before the search text was folded, or written without it at all (as
    the demo wrote its past project), are found after the upgrade; a downgrade goes back."""
    from app.marketplace import services
    from app.projects import searchtext
    from app.tenancy.models import Tenant

    upgrade(revision="0009")
    with _db.engine.begin() as conn:
        for statement in ROWS.split(";"):
            conn.exec_driver_sql(statement)
        conn.exec_driver_sql(
            "INSERT INTO project (id, name, theme, highlights, content, schedule, expected_outcomes,"
            " team_roles, budget_lines, safety_plan, target_groups, category, status,"
            " cancel_deadline_hours, closing_report, org_id, tenant_id, created_at, published_at)"
            " VALUES (2, '邻里助老送餐（演示）', 'ＡＥＤ急救', '', '为独居老人送午餐', '', '', '', '[]',"
            " '', '[]', '助老服务', 'published', 24, '', 1, 1, '2026-01-01', '2026-01-02')")
    upgrade()
    with _db.engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT search_name, search_text, search_grams FROM project ORDER BY id")).all()
    assert [tuple(r[:2]) for r in rows] == [("老年助餐", "老年助餐 每天中午送餐"),
                                           ("邻里助老送餐(演示)", "邻里助老送餐(演示) aed急救 为独居老人送午餐")]
    postgres = settings.BACKEND != "sqlite"
    assert [list(r[2]) if postgres else json.loads(r[2]) for r in rows] == [
        searchtext.grams(r[1]) if postgres else [] for r in rows]
    tenant = _db.session.get(Tenant, 1)
    for q in ("助老", "老人", "（演示）", "aed", "ＡＥＤ", "独"):
        assert [c.name for c in services.search(tenant, services.Filters(q=q)).cards] == [
            "邻里助老送餐（演示）"], q
    _db.session.rollback()
    downgrade(revision="0009")
    with _db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM project")).scalar() == 2
        if postgres:
            grams = conn.execute(sa.text("SELECT search_grams FROM project WHERE id = 1")).scalar()
            assert "助餐" in grams and "午送" in grams
