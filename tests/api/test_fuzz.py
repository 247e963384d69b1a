"""Property-based fuzzing of every ``/api/v1`` operation from its OpenAPI document, as each
role: no server error, and every response matches the documented schema.

Reproducible: the examples are derandomized, drawn with the same project modules loaded,
and the ids start where they would on an empty database, so the same requests meet the same
rows on every run and either backend. The longer random exploration is ``make fuzz``
(``tests/api/fuzz_long.py``).
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import app as app_package
import ledger
import tests
import workers
from app.auth.models import Role
from tests import dbsetup
from tests.api.fuzzing import ROLES, api_operations, fuzz, role_headers

EXAMPLES = 12


def load_every_project_module() -> None:
    """Hypothesis now and then draws a string or number found in the project's loaded modules:
    load them all, so that what it draws does not depend on which tests ran before."""
    for package in (app_package, ledger, workers, tests):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


@pytest.fixture
def fuzz_world(db):
    load_every_project_module()
    dbsetup.restart_ids(db.session.connection())
    from tests.factories import build_world

    return build_world()


#: The operations are shared out among this many tests, so parallel workers finish together.
SHARDS = 6


@pytest.mark.long
@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_operation_as_every_role(app, db, fuzz_world, shard):
    # Each generated request is sent as every role: generating costs more than sending.
    headers = role_headers(fuzz_world)
    operations = api_operations(app)
    assert len(operations) >= SHARDS, "the OpenAPI document lists too few operations"
    findings = [finding for operation in operations[shard::SHARDS]
                for finding in fuzz(app, operation, headers, fuzz_world.a.tenant.slug,
                                    examples=EXAMPLES)]
    assert findings == [], "\n\n".join(map(str, findings))


def test_documented_roles_cover_every_role():
    assert {r.value for r in Role} - {"org_coordinator"} <= set(ROLES) | {"org_admin", "org_bookkeeper"}
