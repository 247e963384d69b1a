"""Property-based fuzzing of every ``/api/v1`` operation from its OpenAPI document, as each
role: no server error, and every response matches the documented schema.

Reproducible: the examples are derandomized and the ids start where they would on an empty
database, so the same requests meet the same rows on every run and either backend. The
longer random exploration is ``make fuzz`` (``tests/api/fuzz_long.py``).
"""

from __future__ import annotations

import pytest

from app.auth.models import Role
from tests import dbsetup
from tests.api.fuzzing import ROLES, api_operations, fuzz, role_headers

EXAMPLES = 12


@pytest.fixture
def fuzz_world(db):
    dbsetup.restart_ids(db.session.connection())
    from tests.factories import build_world

    return build_world()


@pytest.mark.parametrize("role", ROLES)  # one test per role: the suite's workers share them
def test_every_operation_as_every_role(app, db, fuzz_world, role):
    headers = role_headers(fuzz_world)
    operations = api_operations(app)
    assert operations, "the OpenAPI document lists no operation"
    findings = [finding for operation in operations
                for finding in fuzz(app, operation, {role: headers[role]},
                                    fuzz_world.a.tenant.slug, examples=EXAMPLES)]
    assert findings == [], "\n\n".join(map(str, findings))


def test_documented_roles_cover_every_role():
    assert {r.value for r in Role} - {"org_coordinator"} <= set(ROLES) | {"org_admin", "org_bookkeeper"}
