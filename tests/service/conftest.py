"""``zh``: the ``db`` fixture inside a request context, so messages render as a Chinese
user reads them (the default language)."""

from __future__ import annotations

import pytest


@pytest.fixture
def zh(app, db):
    with app.test_request_context("/"):
        yield db
