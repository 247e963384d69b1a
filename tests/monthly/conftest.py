"""Fixtures for monthly reports: a journal directory per test and a funded tenant."""

from __future__ import annotations

import pytest


@pytest.fixture
def books_dir(app, tmp_path):
    before = app.config["LEDGER_DIR"]
    app.config["LEDGER_DIR"] = str(tmp_path / "ledger")
    yield tmp_path / "ledger"
    app.config["LEDGER_DIR"] = before


@pytest.fixture
def fw(app, db, books_dir):
    """A funding world inside a request context (messages render in Chinese)."""
    from tests.funding.factories import funding_world

    with app.test_request_context("/"):
        yield funding_world()
