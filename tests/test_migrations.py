"""Migrations: one head, an empty database upgrades to it, and models do not drift."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import Migrate

from app.extensions import db as _db


def script_directory(app) -> ScriptDirectory:
    migrate: Migrate = app.extensions["migrate"].migrate
    with app.app_context():
        return ScriptDirectory.from_config(migrate.get_config())


def test_single_head(app):
    assert len(script_directory(app).get_heads()) == 1


def test_database_is_at_head_and_matches_models(app):
    """The session database was built by ``upgrade()`` from empty; compare it to the models."""
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        assert set(context.get_current_heads()) == set(script_directory(app).get_heads())
        diff = compare_metadata(context, _db.metadata)
    assert diff == [], f"models and migrations drift: {diff}"
