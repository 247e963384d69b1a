"""Fixtures for funding tests: a tenant with bureau staff, two organizations and their staff.

Service tests run inside a request context so refusal messages render in the user's language
(zh-CN by default), exactly as a page would show them.
"""

from __future__ import annotations

import pytest

from tests.funding.factories import funding_world


@pytest.fixture
def fw(app, db):
    with app.test_request_context("/"):
        yield funding_world()
